"""AWS's TableDescription, rendered from a table record (table_record.py).

Fields: spec 5 and 3.4.5 (Last*DateTime only once set), 3.5.3 (BillingModeSummary; on-demand
tables report 0/0 throughput), 3.6.1 (OnDemandThroughput only when set), 3.6.2 (WarmThroughput,
12000/4000 for on-demand), GSI/LSI descriptions (MODEL; dynalite test/describeTable.js), stream
label and ARN (ack-api-quirks DDB-TABLE-050).
"""

from __future__ import annotations

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
        # on-demand: the default, or more once raised (it never decreases, capacity/warm.py)
        read, write = ((max(ON_DEMAND_WARM[0], table.warm_read),
                        max(ON_DEMAND_WARM[1], table.warm_write))
                       if on_demand else (table.warm_read, table.warm_write))
        out["WarmThroughput"] = {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write,
                                 "Status": "ACTIVE"}
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
    if warm:
        read, write = ON_DEMAND_WARM if on_demand else (g.throughput.read, g.throughput.write)
        out["WarmThroughput"] = {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write,
                                 "Status": g.status if g.status != "UPDATING" else "ACTIVE"}
    return out
