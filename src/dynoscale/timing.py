"""Timing profiles (`--timing fast|aws`): how long each asynchronous AWS step takes, in simulated
seconds, in one object that app.py builds once and hands to the services that need it.

Every figure here is simulated time, so `--time-scale K` divides its wall duration by K and the
manual clock moves through it only when advanced, exactly like every other timed job.

`fast` (the default) is made for test suites: a created, updated or deleted table, a GSI
created or deleted, a stream enabled or disabled and a billing-mode switch take effect at once.
The response of the call itself still says CREATING / UPDATING / DELETING, as AWS's does; the
next read (DescribeTable, boto3's `table_exists` waiter on its first poll) sees the result.
Metrics are published and alarms evaluated at the minute boundary that closes a period, and
Application Auto Scaling checks a change it made 5 s later: the control loop runs at the
earliest instant AWS's rules allow, deterministically.

`aws` follows AWS's documented and observed durations, for people rehearsing operational
timing. Sources, cited by field below:
- ACK: aws-controllers-k8s/dynamodb-controller `docs/api-quirks/` probe notes against real
  DynamoDB (verified 2026-10-08/09): table-indexes.md, table-throughput-billing.md,
  table-streams-encryption-class.md, table-subresources.md ("Timing you should expect").
- DDB-DG metrics: Amazon DynamoDB Developer Guide, "DynamoDB Metrics and dimensions"
  (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html):
  "CloudWatch alarms might have a short delay of up to a few minutes before triggering auto
  scaling".
- AAS-UG: Application Auto Scaling User Guide, "Scaling activities": an activity is InProgress
  until the target service has fulfilled the change (tens of seconds on AWS).
Figures AWS does not state are marked "inferred" with the reasoning.
"""

from __future__ import annotations

from dataclasses import dataclass

NAMES = ("fast", "aws")


@dataclass(frozen=True)
class TimingProfile:
    name: str
    # -- DynamoDB table lifecycle --------------------------------------------------------------
    table_create: float            # CreateTable: CREATING -> ACTIVE
    table_create_with_gsis: float  # ... when the table has GSIs
    table_update: float            # provisioned throughput change: UPDATING -> ACTIVE
    table_delete: float            # DeleteTable: DELETING -> gone
    stream_change: float           # StreamSpecification enable/disable: UPDATING -> ACTIVE
    billing_to_provisioned: float  # PAY_PER_REQUEST -> PROVISIONED
    billing_to_on_demand: float    # PROVISIONED -> PAY_PER_REQUEST, the first time
    billing_to_on_demand_again: float  # ... when the table has been on-demand before
    index_create: float            # GSI added by UpdateTable, on an empty table
    index_backfill_kb_per_wcu: float   # backfill: seconds = KB of items / (index WCU x this)
    index_delete: float            # GSI deleted by UpdateTable: DELETING -> gone
    index_update: float            # GSI throughput change: UPDATING -> ACTIVE
    backups_ready: float           # after CreateTable, until continuous backups answer
    # -- the control loop (CloudWatch, Application Auto Scaling) -------------------------------
    metric_lag: float              # a finished minute's AWS/DynamoDB datapoints appear this late
    alarm_delay: float             # alarms judge the periods that ended this long ago
    scaling_poll: float            # auto scaling re-checks DynamoDB this often for fulfilment

    def index_create_seconds(self, size_bytes: int, write_units: float) -> float:
        """A GSI's backfill, proportional to the table's size. AWS: "the time required ...
        depends on the size of the base table, ... the provisioned write capacity of the index"
        (DynamoDB Developer Guide, "Adding a global secondary index to an existing table",
        https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html).
        Inferred rate: one write unit per KB of items, consumed at the index's write capacity
        (on-demand: its 4,000 WCU initial throughput)."""
        if self.index_backfill_kb_per_wcu <= 0 or size_bytes <= 0:
            return self.index_create
        units = size_bytes / 1024.0
        return self.index_create + units / (max(1.0, write_units) * self.index_backfill_kb_per_wcu)


FAST = TimingProfile(
    name="fast",
    table_create=0.0, table_create_with_gsis=0.0, table_update=0.0, table_delete=0.0,
    stream_change=0.0, billing_to_provisioned=0.0, billing_to_on_demand=0.0,
    billing_to_on_demand_again=0.0, index_create=0.0, index_backfill_kb_per_wcu=0.0,
    index_delete=0.0, index_update=0.0, backups_ready=0.0,
    # The control loop at the earliest instant AWS's rules allow: the minute boundary that
    # closes a period (metrics, then alarms), and auto scaling's first check 5 s after acting.
    metric_lag=0.0, alarm_delay=0.0, scaling_poll=5.0,
)

AWS = TimingProfile(
    name="aws",
    # ACK: CreateTable -> ACTIVE 4-10 s (spec dynamodb 3.4.3); with GSIs 14-22 s (table-indexes).
    table_create=5.0, table_create_with_gsis=16.0,
    # ACK: provisioned throughput change UPDATING 1.0-2.0 s (table-throughput-billing).
    table_update=2.0,
    # ACK: DescribeTable says DELETING until +5.2 s after DeleteTable (table-subresources).
    table_delete=5.0,
    # ACK: stream enable/disable UPDATING 4.05-5.07 s (table-streams-encryption-class).
    stream_change=5.0,
    # ACK: PAY_PER_REQUEST -> PROVISIONED 60-100 s (71.9 s fresh, 82.7-112.5 s with a GSI);
    # PROVISIONED -> PAY_PER_REQUEST 130-170 s the first time, 2-5 s on a re-flipped table.
    billing_to_provisioned=80.0, billing_to_on_demand=150.0, billing_to_on_demand_again=2.0,
    # ACK: a GSI added to an empty or 1-item table is ACTIVE after 506-539 s (most runs).
    index_create=520.0,
    # Inferred (AWS gives no rate): backfill writes at the index's write capacity, 1 WCU per KB.
    index_backfill_kb_per_wcu=1.0,
    # ACK: GSI delete DELETING 2.6-5.1 s; GSI throughput update UPDATING 2.0-4.0 s.
    index_delete=4.0, index_update=3.0,
    # ACK: continuous backups answer 1.4-2.7 s after ACTIVE (table-subresources), so ~8 s.
    backups_ready=8.0,
    # Inferred from DDB-DG metrics ("a short delay of up to a few minutes before triggering auto
    # scaling"): a minute's datapoints are published one minute after it ends, and alarms judge
    # the periods that ended two minutes before each evaluation, so a breach that starts at a
    # minute boundary T0 and lasts two periods puts AlarmHigh in ALARM at T0+240, not T0+120.
    metric_lag=60.0, alarm_delay=120.0,
    # Inferred from AAS-UG / the tutorial's sample output (EndTime "tens of seconds" after
    # StartTime): auto scaling notices the fulfilled change on a 30 s cadence.
    scaling_poll=30.0,
)

PROFILES = {"fast": FAST, "aws": AWS}


def profile(name: str) -> TimingProfile:
    return PROFILES[name]
