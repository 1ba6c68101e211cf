"""AWS's TableDescription, rendered from a table record (table_record.py).

Fields: spec 5 and 3.4.5 (Last*DateTime only once set), 3.5.3 (BillingModeSummary; on-demand
tables report 0/0 throughput), 3.6.1 (OnDemandThroughput only when set), 3.6.2 (WarmThroughput,
12000/4000 for on-demand), GSI/LSI descriptions (MODEL; dynalite test/describeTable.js), stream
label and ARN (ack-api-quirks DDB-TABLE-050). SSEDescription: encryption.py (absent for the
AWS-owned key). TableClassSummary: absent until a TableClass is named ("STANDARD by omission",
dynamodb-conformance tier1 createTable/config.test.ts and terraform-provider-aws read it so);
named at CreateTable it shows TableClass alone, and LastUpdateDateTime once an UpdateTable changed
it (inferred from the model's "date and time at which the table class was last updated").
MultiRegionConsistency, Replicas and GlobalTableVersion describe global tables, which Dynoscale
does not keep: never present.
"""

from __future__ import annotations

from dynoscale.services.dynamodb import encryption
from dynoscale.services.dynamodb.table_record import IndexRecord, TableRecord, Throughput

ON_DEMAND_WARM = (12000, 4000)  # spec 3.6.2


def describe(table: TableRecord, now: float, *, warm: bool = True) -> dict:
    on_demand = table.on_demand
    out = {
        "AttributeDefinitions": table.attribute_definitions,
        "TableName": table.name,
        "KeySchema": table.key_schema,
        "TableStatus": table.status,
        "CreationDateTime": table.created,
        "ProvisionedThroughput": _throughput(table.throughput, on_demand, now),
        "TableSizeBytes": table.size_bytes,
        "ItemCount": table.item_count,
        "TableArn": table.arn,
        "TableId": table.id,
        "DeletionProtectionEnabled": table.deletion_protection,
    }
    if table.throughput.on_demand:  # only when set (spec 3.6.1)
        out["OnDemandThroughput"] = dict(table.throughput.on_demand)
    if table.ppr_since is not None:
        out["BillingModeSummary"] = {"BillingMode": table.billing_mode,
                                     "LastUpdateToPayPerRequestDateTime": table.ppr_since}
    if warm:
        read, write = warm_throughput(table)
        out["WarmThroughput"] = {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write,
                                 "Status": warm_status(table, now)}
    sse = encryption.description(table.sse)
    if sse is not None:
        out["SSEDescription"] = sse
    if table.table_class is not None:
        summary = {"TableClass": table.table_class}
        if table.table_class_updated is not None:
            summary["LastUpdateDateTime"] = table.table_class_updated
        out["TableClassSummary"] = summary
    if table.lsis:
        out["LocalSecondaryIndexes"] = [_lsi(table, d) for d in table.lsis]
    if table.gsis:
        out["GlobalSecondaryIndexes"] = [_gsi(table, g, on_demand, now, warm) for g in table.gsis]
    stream = table.stream
    if stream:
        if stream.enabled:
            out["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream.view_type}
        out["LatestStreamLabel"] = stream.label
        out["LatestStreamArn"] = f"{table.arn}/stream/{stream.label}"
    restore = table.restore  # a table made by RestoreTableFromBackup (MODEL RestoreSummary)
    if restore:
        out["RestoreSummary"] = {"SourceBackupArn": restore["backup_arn"],
                                 "SourceTableArn": restore["table_arn"],
                                 "RestoreDateTime": restore["at"],
                                 "RestoreInProgress": table.status == "CREATING"}
    return out


def warm_throughput(table: TableRecord) -> tuple[int, int]:
    """The table's (read, write) WarmThroughput: the highest units it ever had or was warmed
    to, never below the on-demand default on an on-demand table (spec 3.6.2)."""
    read, write = table.warm_read, table.warm_write
    if table.on_demand:
        read, write = max(read, ON_DEMAND_WARM[0]), max(write, ON_DEMAND_WARM[1])
    return read, write


def index_warm_throughput(g: IndexRecord, on_demand: bool) -> tuple[int, int]:
    """A GSI's (read, write) WarmThroughput: its units (the on-demand default on an on-demand
    table), raised by a requested WarmThroughput."""
    read, write = ON_DEMAND_WARM if on_demand else (g.throughput.read, g.throughput.write)
    if g.warm:
        read, write = max(read, g.warm[0]), max(write, g.warm[1])
    return read, write


def warm_status(table: TableRecord, now: float) -> str:
    """UPDATING while a raised WarmThroughput settles (the table stays ACTIVE, spec 3.6.2) and
    while the table is being created (CreateTable's answer: scylladb test/alternator/
    test_warm_throughput.py::test_create_table_warm_throughput_response, run against AWS,
    "DynamoDB reports UPDATING"; DescribeTable of a CREATING table alike, inferred), else
    ACTIVE."""
    if table.status == "CREATING":
        return "UPDATING"
    if table.warm_until is not None and now < table.warm_until:
        return "UPDATING"
    return "ACTIVE"


def _throughput(throughput: Throughput, on_demand: bool, now: float) -> dict:
    """ProvisionedThroughputDescription of a table or GSI."""
    read, write = throughput.described_units(on_demand)
    out = {"NumberOfDecreasesToday": throughput.decreases_today(now),
           "ReadCapacityUnits": read, "WriteCapacityUnits": write}
    if throughput.last_increase is not None:
        out["LastIncreaseDateTime"] = throughput.last_increase
    if throughput.last_decrease is not None:
        out["LastDecreaseDateTime"] = throughput.last_decrease
    return out


def _lsi(table: TableRecord, d: IndexRecord) -> dict:
    return {**d.definition(), "IndexSizeBytes": d.size_bytes or 0,
            "ItemCount": d.item_count or 0, "IndexArn": table.index_arn(d.name)}


def _gsi(table: TableRecord, g: IndexRecord, on_demand: bool, now: float, warm: bool) -> dict:
    """GlobalSecondaryIndexDescription (MODEL; dynalite test/describeTable.js)."""
    out = {**g.definition(), "IndexStatus": g.status}
    if g.status == "CREATING" and g.backfilling is not None:
        out["Backfilling"] = g.backfilling
    out.update({"ProvisionedThroughput": _throughput(g.throughput, on_demand, now),
                "IndexSizeBytes": g.size_bytes or 0, "ItemCount": g.item_count or 0,
                "IndexArn": table.index_arn(g.name)})
    if g.throughput.on_demand:  # only when set, as the table's (spec 3.6.1)
        out["OnDemandThroughput"] = dict(g.throughput.on_demand)
    if warm:
        read, write = index_warm_throughput(g, on_demand)
        status = g.status if g.status != "UPDATING" else "ACTIVE"
        if status == "ACTIVE" and g.warm_until is not None and now < g.warm_until:
            status = "UPDATING"
        out["WarmThroughput"] = {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write,
                                 "Status": status}
    return out
