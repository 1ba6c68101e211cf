"""OnlineIndex* metrics: the progress of a GSI being added to an existing table, one sample per
minute while it builds, under TableName + GlobalSecondaryIndexName.

Source: Amazon DynamoDB Developer Guide, "DynamoDB Metrics and dimensions"
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html):
- OnlineIndexPercentageProgress: "The percentage of completion when a new global secondary index
  is being added to a table. DynamoDB must first allocate resources for the new index, and then
  backfill attributes from the table into the index." Units: Count.
- OnlineIndexConsumedWriteCapacity and OnlineIndexThrottleEvents: "This metric is expected to
  show 0 during index builds. This metric previously showed the number of write capacity units
  consumed [write throttle events that occur] when adding a new global secondary index". So
  both are published as 0 for each minute of a build, as AWS does today (the backfill's writes
  are not in the index's ConsumedWriteCapacityUnits either).
- Not in the one-minute list, so five-minute granularity: each minute adds one sample to the
  five-minute period containing it, as the Provisioned* metrics do (metrics.py).

The timeline is the GSI record's `build` ([started, backfill starts, done], tables.create_index,
from the timing profile: allocation takes `index_create`, the backfill the rest). Inferred, as
the page gives no curve: progress is 0 while resources are allocated, then grows linearly with
the backfill's elapsed time to 100 when the index becomes ACTIVE; a minute's sample is the
progress at the minute's end (or at the end of the build). Under `--timing fast` the whole build
happens at one instant, so its minute has one sample of 100.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.services.cloudwatch.api import CloudWatchApi
from dynoscale.services.dynamodb.table_record import TableRecord

NAMESPACE = "AWS/DynamoDB"
ZERO_METRICS = ("OnlineIndexConsumedWriteCapacity", "OnlineIndexThrottleEvents")


def progress(build: list, at: float) -> float:
    """Percent complete at `at` of a build [started, backfill starts, done]."""
    _, begin, end = build
    if at >= end:
        return 100.0
    if at <= begin:
        return 0.0
    return 100.0 * (at - begin) / (end - begin)


def publish(cloudwatch: CloudWatchApi, scope: str, table: TableRecord, minute_end: float,
            period: float) -> bool:
    """Samples for every GSI of `table` whose build overlaps the minute ending at
    `minute_end`; forgets builds that ended by then. True when the record changed (the caller
    saves it)."""
    changed = False
    account, region = scope.split("/", 1)
    for gsi in table.gsis:
        build: Optional[list] = gsi.build
        if build is None:
            continue
        started, _, end = build
        if started >= minute_end:   # began at this very boundary: the next minute reports it
            continue
        if end >= minute_end - 60:  # the build ran during the minute just ended
            dims = [{"Name": "TableName", "Value": table.name},
                    {"Name": "GlobalSecondaryIndexName", "Value": gsi.name}]
            pct = progress(build, min(minute_end, end))
            cloudwatch.put_datapoints(account, region, NAMESPACE, "OnlineIndexPercentageProgress",
                                      dims, "Count", [(period, 1, pct, pct, pct)])
            for metric in ZERO_METRICS:
                cloudwatch.put_datapoints(account, region, NAMESPACE, metric, dims, "Count",
                                          [(period, 1, 0.0, 0.0, 0.0)])
        if end <= minute_end:       # reported in full: forget it
            gsi.build = None
            changed = True
    return changed
