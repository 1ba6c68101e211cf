"""RestoreTableFromBackup: a new table with the backup's schema, indexes, billing and items.

The table is made by CreateTable's own code path (create_table.handle, with a CreateTable request
built from the backup and the overrides), so it validates, counts against quotas and goes
CREATING -> ACTIVE on the clock exactly like a created table; the backup's items are copied in
and its indexes built before the answer. Model docs: GlobalSecondaryIndexOverride /
LocalSecondaryIndexOverride replace the backup's index lists, BillingModeOverride and
ProvisionedThroughputOverride the billing settings; the TableDescription carries a
RestoreSummary (SourceBackupArn, SourceTableArn, RestoreDateTime, RestoreInProgress while
CREATING). Streams, TTL, tags and auto scaling are not restored (AWS Developer Guide,
"Restoring a DynamoDB table from a backup"). Errors: BackupNotFoundException `Backup not found:
<arn>`, then TableAlreadyExistsException `Table already exists: <name>` (moto's order and
texts). Attribute definitions no index uses any more after an override are dropped so the
CreateTable rules accept them [inferred]. SSESpecificationOverride sets the restored table's
encryption; without it the source's is kept (inferred: AWS requires the override only for
cross-region restores, "sseSpecificationOverride must be provided for cross-region restores",
ack-api-quirks DDB-TABLE-442), and so is its table class (inferred; no override exists).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.context import Caller
from dynoscale.services.dynamodb import backups, errors
from dynoscale.services.dynamodb.operations import create_table
from dynoscale.services.dynamodb.table_record import IndexRecord


def _index_throughput(gsi: IndexRecord, override: Optional[dict]) -> dict:
    read, write = gsi.throughput.read, gsi.throughput.write
    if (not read or not write) and override:  # the backup was on-demand: use the table override
        read, write = override["ReadCapacityUnits"], override["WriteCapacityUnits"]
    return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}


def create_request(backup: dict, request: dict) -> dict:
    """The CreateTable request that makes the restored table."""
    source = backups.source_table(backup)
    billing = request.get("BillingModeOverride", source.billing_mode)
    throughput = request.get("ProvisionedThroughputOverride")
    out: dict = {"TableName": request["TargetTableName"], "KeySchema": source.key_schema,
                 "BillingMode": billing}
    if billing == "PROVISIONED":
        if throughput is None and source.billing_mode == "PROVISIONED":
            throughput = {"ReadCapacityUnits": source.throughput.read,
                          "WriteCapacityUnits": source.throughput.write}
        if throughput is not None:
            out["ProvisionedThroughput"] = throughput
    lsis = request.get("LocalSecondaryIndexOverride")
    if lsis is None:
        lsis = [lsi.definition() for lsi in source.lsis]
    gsis = request.get("GlobalSecondaryIndexOverride")
    if gsis is None:
        gsis = []
        for g in source.gsis:
            if g.status == "DELETING":
                continue
            gsi = g.definition()
            if billing == "PROVISIONED":
                gsi["ProvisionedThroughput"] = _index_throughput(g, throughput)
            gsis.append(gsi)
    if lsis:
        out["LocalSecondaryIndexes"] = lsis
    if gsis:
        out["GlobalSecondaryIndexes"] = gsis
    used = {k["AttributeName"] for k in source.key_schema}
    for index in lsis + gsis:
        used |= {k["AttributeName"] for k in index["KeySchema"]}
    out["AttributeDefinitions"] = [d for d in source.attribute_definitions
                                   if d["AttributeName"] in used]
    on_demand = request.get("OnDemandThroughputOverride")
    if on_demand is None and billing == "PAY_PER_REQUEST":
        on_demand = source.throughput.on_demand
    if on_demand:
        out["OnDemandThroughput"] = on_demand
    sse = request.get("SSESpecificationOverride")
    if sse is None and source.sse is not None:
        sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": source.sse["key_arn"]}
    if sse is not None:
        out["SSESpecification"] = sse
    if source.table_class is not None:
        out["TableClass"] = source.table_class
    return out


def handle(svc, caller: Caller, request: dict) -> dict:
    store = backups.Backups(svc.store)
    backup = store.require(caller.scope, request["BackupArn"])
    name = request["TargetTableName"]
    if svc.tables.get(caller.scope, name) is not None:
        raise errors.restore_target_exists(name)
    with svc.store.transaction():  # a refused copy leaves no half-restored table behind
        create_table.handle(svc, caller, create_request(backup, request))
        table = svc.tables.as_stored(caller.scope, name)
        store.restore_items(backup, table)
        table.restore = {"backup_arn": backup["arn"],
                         "table_arn": backups.source_table(backup).arn, "at": svc.clock.now()}
        table.item_count, table.size_bytes = backup["item_count"], backup["size_bytes"]
        svc.tables.save(caller.scope, table)
    return {"TableDescription": svc.tables.describe(table, warm=False)}
