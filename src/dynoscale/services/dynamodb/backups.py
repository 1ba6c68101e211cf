"""On-demand backups: a snapshot of a table's record (schema, indexes, billing) and its items.

Storage: one document per backup (kind `dynamodb.backup`, id = the backup ARN, scope =
account/region) holding the table record as it was (its store encoding, table_record.py), plus
the items copied raw (same key bytes) into a storage table of the backup's own (`backup/<uuid>`),
so backups survive restarts and the deletion of their source table; DeleteBackup drops those
items.

AWS facts: botocore model `dynamodb` (BackupDetails, BackupSummary, SourceTableDetails,
SourceTableFeatureDetails shapes; ListBackups TimeRangeLowerBound inclusive, UpperBound
exclusive, BackupType default USER). ARN `arn:aws:dynamodb:<region>:<account>:table/<table>/backup/
<epoch ms, zero-padded to 14 digits>-<8 hex>` as AWS prints it (awscli examples
dynamodb/create-backup.rst `backup/01576616366715-b4e58d3a`; steampipe-plugin-aws issue #1913
quoting a live DescribeBackup error `backup/01681997703770-aa93528e`).

Status: CreateBackup's own answer says CREATING (awscli create-backup example), every later call
AVAILABLE. The model doc says "Backup requests are processed instantaneously" and the data is
the table's as of the request time, which we snapshot at once, so there is no window in which a
backup could be half-made; emulating one would only add BackupInUseException texts nobody has
recorded.
"""

from __future__ import annotations

import uuid
from typing import Optional

from dynoscale.services.dynamodb import errors, indexes, values
from dynoscale.services.dynamodb.table_record import TableRecord, Throughput
from dynoscale.storage.interface import Store

KIND = "dynamodb.backup"
ITEM_OVERHEAD = 100  # per-item indexing overhead counted in table/backup sizes (spec 1.1.8)


def backup_arn(table_arn: str, created_ms: int, suffix: str) -> str:
    return f"{table_arn}/backup/{created_ms:014d}-{suffix}"


def sort_key_of_arn(arn: str) -> Optional[tuple[int, str]]:
    """(creation ms, ARN): the order ListBackups pages in, recoverable from the ARN alone so an
    ExclusiveStartBackupArn still positions the page after that backup was deleted."""
    tail = arn.rsplit("/backup/", 1)
    if len(tail) != 2:
        return None
    ms = tail[1].split("-", 1)[0]
    return (int(ms), arn) if ms.isdigit() else None


class Backups:
    def __init__(self, store: Store):
        self.store = store

    def get(self, scope: str, arn: str) -> Optional[dict]:
        return self.store.get_doc(KIND, scope, arn)

    def require(self, scope: str, arn: str) -> dict:
        backup = self.get(scope, arn)
        if backup is None:
            raise errors.backup_not_found(arn)
        return backup

    def all(self, scope: str) -> list[dict]:
        return [doc for _, _, doc in self.store.list_docs(KIND, scope)]

    def create(self, scope: str, table: TableRecord, name: str, now: float) -> dict:
        """Snapshot `table` (as stored) and its items, in one transaction."""
        created_ms = int(round(now * 1000))
        storage_id = f"backup/{uuid.uuid4()}"
        backup = {
            "arn": backup_arn(table.arn, created_ms, uuid.uuid4().hex[:8]),
            "name": name, "created": created_ms / 1000, "type": "USER",
            "storage_id": storage_id, "table": table.to_doc(),
            "item_count": 0, "size_bytes": 0,
        }
        with self.store.transaction():
            count = size = 0
            for pk, sk, raw in list(self.store.scan_items(table.id)):
                self.store.put_item(storage_id, pk, sk, raw)
                count += 1
                size += values.item_size(values.item_from_stored(raw)) + ITEM_OVERHEAD
            backup["item_count"], backup["size_bytes"] = count, size
            self.store.put_doc(KIND, scope, backup["arn"], backup)
        return backup

    def delete(self, scope: str, backup: dict) -> None:
        with self.store.transaction():
            self.store.delete_doc(KIND, scope, backup["arn"])
            self.store.drop_items(backup["storage_id"])

    def restore_items(self, backup: dict, table: TableRecord) -> None:
        """Copy the backup's items into the (new, empty) `table` and build its indexes."""
        with self.store.transaction():
            for pk, sk, raw in list(self.store.scan_items(backup["storage_id"])):
                self.store.put_item(table.id, pk, sk, raw)
            for index in indexes.of(table):
                indexes.backfill(self.store, table, index)


def source_table(backup: dict) -> TableRecord:
    """The table record as it was when the backup was made."""
    return TableRecord.from_doc(backup["table"])


# -- rendering (model shapes) -----------------------------------------------------------------
def details(backup: dict, status: str = "AVAILABLE") -> dict:
    return {"BackupArn": backup["arn"], "BackupName": backup["name"],
            "BackupSizeBytes": backup["size_bytes"], "BackupStatus": status,
            "BackupType": backup["type"], "BackupCreationDateTime": backup["created"]}


def summary(backup: dict) -> dict:
    table = source_table(backup)
    return {"TableName": table.name, "TableId": table.id, "TableArn": table.arn,
            "BackupArn": backup["arn"], "BackupName": backup["name"],
            "BackupCreationDateTime": backup["created"], "BackupStatus": "AVAILABLE",
            "BackupType": backup["type"], "BackupSizeBytes": backup["size_bytes"]}


def _throughput(throughput: Throughput, on_demand: bool) -> dict:
    read, write = throughput.described_units(on_demand)
    return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}


def description(backup: dict, status: str = "AVAILABLE") -> dict:
    table = source_table(backup)
    on_demand = table.on_demand
    source = {"TableName": table.name, "TableId": table.id, "TableArn": table.arn,
              "TableSizeBytes": table.size_bytes, "KeySchema": table.key_schema,
              "TableCreationDateTime": table.created,
              "ProvisionedThroughput": _throughput(table.throughput, on_demand),
              "ItemCount": table.item_count, "BillingMode": table.billing_mode}
    if table.throughput.on_demand:
        source["OnDemandThroughput"] = dict(table.throughput.on_demand)
    features: dict = {}
    if table.lsis:
        features["LocalSecondaryIndexes"] = [lsi.definition() for lsi in table.lsis]
    gsis = [g for g in table.gsis if g.status != "DELETING"]
    if gsis:
        features["GlobalSecondaryIndexes"] = [
            {**g.definition(), "ProvisionedThroughput": _throughput(g.throughput, on_demand)}
            for g in gsis]
    stream = table.stream
    if stream and stream.enabled:
        features["StreamDescription"] = {"StreamEnabled": True,
                                         "StreamViewType": stream.view_type}
    return {"BackupDetails": details(backup, status), "SourceTableDetails": source,
            "SourceTableFeatureDetails": features}
