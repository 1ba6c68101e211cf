"""AWS's TableDescription, rendered from a table record (tables.py).

Fields: spec 5 and 3.4.5 (Last*DateTime only once set), 3.5.3 (BillingModeSummary; on-demand
tables report 0/0 throughput), 3.6.1 (OnDemandThroughput only when set), 3.6.2 (WarmThroughput,
12000/4000 for on-demand), GSI/LSI descriptions (MODEL; dynalite test/describeTable.js), stream
label and ARN (ack-api-quirks DDB-TABLE-050).
"""

from __future__ import annotations

from typing import Callable

ON_DEMAND_WARM = (12000, 4000)  # spec 3.6.2

# (record, now) -> NumberOfDecreasesToday for a table or GSI record
DecreasesToday = Callable[[dict, float], int]


def describe(table: dict, now: float, decreases_today: DecreasesToday, *, warm: bool = True) -> dict:
    on_demand = table["billing_mode"] == "PAY_PER_REQUEST"
    out = {
        "AttributeDefinitions": table["AttributeDefinitions"],
        "TableName": table["name"],
        "KeySchema": table["KeySchema"],
        "TableStatus": table["status"],
        "CreationDateTime": table["created"],
        "ProvisionedThroughput": _throughput(table, on_demand, decreases_today(table, now)),
        "TableSizeBytes": table["size_bytes"],
        "ItemCount": table["item_count"],
        "TableArn": table["arn"],
        "TableId": table["id"],
        "DeletionProtectionEnabled": table["deletion_protection"],
    }
    if table.get("on_demand"):  # only when set (spec 3.6.1)
        out["OnDemandThroughput"] = dict(table["on_demand"])
    if table["ppr_since"] is not None:
        out["BillingModeSummary"] = {"BillingMode": table["billing_mode"],
                                     "LastUpdateToPayPerRequestDateTime": table["ppr_since"]}
    if warm:
        read, write = ON_DEMAND_WARM if on_demand else (table["warm_read"], table["warm_write"])
        out["WarmThroughput"] = {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write,
                                 "Status": "ACTIVE"}
    if table.get("lsis"):
        out["LocalSecondaryIndexes"] = [_lsi(table, d) for d in table["lsis"]]
    if table.get("gsis"):
        out["GlobalSecondaryIndexes"] = [_gsi(table, g, on_demand, decreases_today(g, now), warm)
                                         for g in table["gsis"]]
    stream = table.get("stream")
    if stream:
        if stream["enabled"]:
            out["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["view_type"]}
        out["LatestStreamLabel"] = stream["label"]
        out["LatestStreamArn"] = f"{table['arn']}/stream/{stream['label']}"
    restore = table.get("restore")  # a table made by RestoreTableFromBackup (MODEL RestoreSummary)
    if restore:
        out["RestoreSummary"] = {"SourceBackupArn": restore["backup_arn"],
                                 "SourceTableArn": restore["table_arn"],
                                 "RestoreDateTime": restore["at"],
                                 "RestoreInProgress": table["status"] == "CREATING"}
    return out


def _throughput(record: dict, on_demand: bool, decreases: int) -> dict:
    """ProvisionedThroughputDescription of a table or GSI record."""
    out = {"NumberOfDecreasesToday": decreases,
           "ReadCapacityUnits": 0 if on_demand else record["read"],
           "WriteCapacityUnits": 0 if on_demand else record["write"]}
    if record.get("last_increase") is not None:
        out["LastIncreaseDateTime"] = record["last_increase"]
    if record.get("last_decrease") is not None:
        out["LastDecreaseDateTime"] = record["last_decrease"]
    return out


def _lsi(table: dict, d: dict) -> dict:
    return {"IndexName": d["IndexName"], "KeySchema": d["KeySchema"],
            "Projection": d["Projection"], "IndexSizeBytes": d.get("size_bytes", 0),
            "ItemCount": d.get("item_count", 0),
            "IndexArn": f"{table['arn']}/index/{d['IndexName']}"}


def _gsi(table: dict, g: dict, on_demand: bool, decreases: int, warm: bool) -> dict:
    """GlobalSecondaryIndexDescription (MODEL; dynalite test/describeTable.js)."""
    out = {"IndexName": g["IndexName"], "KeySchema": g["KeySchema"],
           "Projection": g["Projection"], "IndexStatus": g["status"]}
    if g["status"] == "CREATING" and g.get("backfilling") is not None:
        out["Backfilling"] = g["backfilling"]
    out.update({"ProvisionedThroughput": _throughput(g, on_demand, decreases),
                "IndexSizeBytes": g.get("size_bytes", 0), "ItemCount": g.get("item_count", 0),
                "IndexArn": f"{table['arn']}/index/{g['IndexName']}"})
    if warm:
        read, write = ON_DEMAND_WARM if on_demand else (g["read"], g["write"])
        out["WarmThroughput"] = {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write,
                                 "Status": g["status"] if g["status"] != "UPDATING" else "ACTIVE"}
    return out
