"""The account-level metrics: AWS/DynamoDB's account quota and utilization metrics and the
AWS/Usage resource counts, computed each minute from one account+Region's table records.

Source: Amazon DynamoDB Developer Guide, "DynamoDB Metrics and dimensions"
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html):
- AccountMaxReads / AccountMaxWrites: "The maximum number of read [write] capacity units that can
  be used by an account. This limit doesn't apply to on-demand tables or global secondary
  indexes." Count, Maximum. AccountMaxTableLevelReads / ...Writes: the same "by a table or global
  secondary index of an account". These are the quotas DescribeLimits reports
  (capacity/limits.py), so the metric and the API always agree.
- AccountProvisionedRead/WriteCapacityUtilization: "The percentage of provisioned read [write]
  capacity units utilized by an account", Percent, Maximum/Minimum/Average;
  MaxProvisionedTableRead/WriteCapacityUtilization: "utilized by the highest provisioned read
  [write] table or global secondary index of an account". Read as the share of the quota the
  provisioned settings take (the account's sum over AccountMaxReads; the largest single table or
  GSI setting over the table-level quota): "utilized" is the quota's use, as the usage metrics
  below and Service Quotas read it; inferred, the page gives no formula.
- Usage metrics (AWS/Usage, "DynamoDB also integrates these usage metrics with Service Quotas"):
  AccountProvisionedWriteCapacityUnits / AccountProvisionedReadCapacityUnits ("The sum of write
  [read] capacity units provisioned for all tables and global secondary indexes of an account",
  Count) and TableCount ("The number of active tables of an account", Count). Their dimensions
  (metric ResourceCount; Service=DynamoDB, Type=Resource, Resource=<name>, Class=None) are those
  of AWS's own dashboard for them (aws-samples/aws-cloudwatch-usage-metric-dashboard-examples,
  AWS-Usage-Metrics-DynamoDB.txt).
- "For all other DynamoDB metrics [not the one-minute list], the aggregation granularity is five
  minutes": each minute adds one sample to the five-minute period containing the minute just
  ended, as the Provisioned* metrics do (metrics.py), so Minimum/Maximum/Average span changes.

Inferred: an account+Region is reported once it has a table (one that never used DynamoDB
there has no metrics); TableCount counts every table not being deleted; on-demand tables and
their GSIs are left out of the provisioned sums and maxima ("doesn't apply to on-demand
tables"), and a setting counts at its current value (a pending change once it takes effect).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from dynoscale.services.cloudwatch.api import CloudWatchApi
from dynoscale.services.dynamodb.capacity.limits import ACCOUNT_MAX_UNITS, TABLE_MAX_UNITS
from dynoscale.services.dynamodb.table_record import TableRecord

NAMESPACE = "AWS/DynamoDB"
USAGE_NAMESPACE = "AWS/Usage"
QUOTAS = (("AccountMaxReads", ACCOUNT_MAX_UNITS), ("AccountMaxWrites", ACCOUNT_MAX_UNITS),
          ("AccountMaxTableLevelReads", TABLE_MAX_UNITS),
          ("AccountMaxTableLevelWrites", TABLE_MAX_UNITS))


def usage_dimensions(resource: str, type_: str = "Resource") -> list[dict[str, str]]:
    """AWS/Usage dimensions of a DynamoDB usage metric (CloudWatch User Guide, "CloudWatch
    usage metrics": Service, Type, Resource, Class; DynamoDB's use Class=None)."""
    return [{"Name": "Service", "Value": "DynamoDB"}, {"Name": "Type", "Value": type_},
            {"Name": "Resource", "Value": resource}, {"Name": "Class", "Value": "None"}]


def provisioned_settings(tables: Iterable[TableRecord]) -> Iterator[tuple[int, int]]:
    """(read, write) of every provisioned table and GSI at its current setting."""
    for table in tables:
        if table.billing_mode != "PROVISIONED" or table.status == "DELETING":
            continue
        yield table.throughput.read, table.throughput.write
        for gsi in table.gsis:
            if gsi.status != "DELETING":
                yield gsi.throughput.read, gsi.throughput.write


def publish(cloudwatch: CloudWatchApi, scope: str, tables: list[TableRecord],
            period: float) -> None:
    """One sample of each account metric, stamped with the five-minute period `period`."""
    account, region = scope.split("/", 1)
    settings = list(provisioned_settings(tables))
    read = sum(r for r, _ in settings)
    write = sum(w for _, w in settings)
    top_read = max((r for r, _ in settings), default=0)
    top_write = max((w for _, w in settings), default=0)

    def put(namespace: str, metric: str, dims: list, unit: str, value: float) -> None:
        cloudwatch.put_datapoints(account, region, namespace, metric, dims, unit,
                                  [(period, 1, value, value, value)])

    for metric, quota in QUOTAS:
        put(NAMESPACE, metric, [], "Count", quota)
    for metric, value in (
            ("AccountProvisionedReadCapacityUtilization", 100.0 * read / ACCOUNT_MAX_UNITS),
            ("AccountProvisionedWriteCapacityUtilization", 100.0 * write / ACCOUNT_MAX_UNITS),
            ("MaxProvisionedTableReadCapacityUtilization", 100.0 * top_read / TABLE_MAX_UNITS),
            ("MaxProvisionedTableWriteCapacityUtilization", 100.0 * top_write / TABLE_MAX_UNITS)):
        put(NAMESPACE, metric, [], "Percent", value)
    tables_now = sum(1 for t in tables if t.status != "DELETING")
    for resource, value in (("AccountProvisionedReadCapacityUnits", read),
                            ("AccountProvisionedWriteCapacityUnits", write),
                            ("TableCount", tables_now)):
        put(USAGE_NAMESPACE, "ResourceCount", usage_dimensions(resource), "Count", value)
