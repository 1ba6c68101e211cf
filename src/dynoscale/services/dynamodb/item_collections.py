"""Item collections: in a table with local secondary indexes, the items sharing a partition key
value together with their LSI entries (DG "Local secondary indexes", Item collections). Their size
is limited to 10 GB (ItemCollectionSizeLimitExceededException, "Collection size exceeded.", DG
"Error handling with DynamoDB"; writes that shrink a collection stay allowed), and a write asked
for ReturnItemCollectionMetrics=SIZE reports the collection it touched (botocore
ItemCollectionMetrics: absent for tables without LSIs).

Size of a collection (inferred from DG "Storage considerations for local secondary indexes" and
the table size rule spec 1.1.8): every item's size plus 100 bytes, plus every LSI entry's size
(the projected entry: table key, index key, projected attributes) plus 100 bytes; the same sums
DescribeTable's TableSizeBytes and IndexSizeBytes make. It is kept as a running total per
collection in a storage table of its own (partition bytes -> total), changed inside the write's
transaction, so that the limit check costs one read; a collection without a stored total (data
written before totals were kept) is measured once by a range scan of its partition.

SizeEstimateRangeGB: AWS documents a lower and an upper bound that it "periodically updates" and
shows [0.0, 1.0] for a small collection (DG "Local secondary indexes", Item collections); it does
not publish its bucketing. Inferred: the whole gigabytes below the size and one more,
[floor(GB), floor(GB) + 1] (GB = 2^30 bytes, the unit of the 10 GB limit). dynalite returns no
ItemCollectionMetrics at all (architect/dynalite actions/putItem.js).
"""

from __future__ import annotations

from typing import Optional

import orjson

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors, indexes, keys, values
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.storage.interface import Store

GB = 1 << 30
LIMIT_BYTES = 10 * GB
ENTRY_OVERHEAD = 100   # bytes per item and per index entry (spec 1.1.8)


def storage_id(table: TableRecord) -> str:
    return f"{table.id}/collections"


def item_bytes(table: TableRecord, table_key: tuple, item: Optional[dict]) -> int:
    """What one item adds to its collection: itself and its LSI entries."""
    if item is None:
        return 0
    size = values.item_size(item) + ENTRY_OVERHEAD
    table_schema = keys.KeySchema.of(table)
    for index in indexes.of(table):
        if index.is_global or indexes.entry_key(index, table_key, item) is None:
            continue
        size += values.item_size(indexes.project_entry(index, table_schema, item)) + ENTRY_OVERHEAD
    return size


def size_of(store: Store, table: TableRecord, partition: bytes) -> int:
    """The stored total of one collection, measured from its items when none is stored."""
    raw = store.get_item(storage_id(table), partition)
    if raw is not None:
        return orjson.loads(raw)
    total = 0
    for pk, sk, stored in store.scan_items(table.id, pk=partition):
        total += item_bytes(table, (pk, sk), values.item_from_stored(stored))
    return total


MESSAGE = "Collection size exceeded."


def limit_exceeded() -> AwsError:
    return AwsError("ItemCollectionSizeLimitExceededException", MESSAGE, namespace=errors.DDB)


def would_exceed(store: Store, table: TableRecord, table_key: tuple, old: Optional[dict],
                 new: Optional[dict]) -> bool:
    """Whether writing `new` over `old` grows the item's collection past 10 GB (a shrinking or
    unchanged collection never does: DG "Item collection size limit")."""
    if not table.lsis:
        return False
    delta = item_bytes(table, table_key, new) - item_bytes(table, table_key, old)
    return delta > 0 and size_of(store, table, table_key[0]) + delta > LIMIT_BYTES


def change(store: Store, table: TableRecord, table_key: tuple, old: Optional[dict],
           new: Optional[dict]) -> None:
    """Account for an item changing from `old` to `new` (None: absent) in a table with LSIs;
    refuse a growth that would take the collection past 10 GB. Run inside the write's
    transaction, before the item is written."""
    delta = item_bytes(table, table_key, new) - item_bytes(table, table_key, old)
    if delta == 0:
        return
    partition = table_key[0]
    total = size_of(store, table, partition) + delta
    if delta > 0 and total > LIMIT_BYTES:
        raise limit_exceeded()
    if total <= 0:
        store.delete_item(storage_id(table), partition)
    else:
        store.put_item(storage_id(table), partition, b"", orjson.dumps(total))


def size_estimate_range(size: int) -> list[float]:
    """SizeEstimateRangeGB of a collection of `size` bytes (see the module docstring)."""
    low = float(size // GB)
    return [low, low + 1.0]


def metrics(store: Store, table: TableRecord, key_or_item: dict) -> dict:
    """One ItemCollectionMetrics entry for the collection of an item (or Key)."""
    schema = keys.KeySchema.of(table)
    partition = keys.storage_key(schema, key_or_item)[0]
    return {"ItemCollectionKey": {schema.hash_name: key_or_item[schema.hash_name]},
            "SizeEstimateRangeGB": size_estimate_range(size_of(store, table, partition))}


def wanted(request: dict, table: TableRecord) -> bool:
    """ReturnItemCollectionMetrics=SIZE on a table that has item collections (LSIs)."""
    return request.get("ReturnItemCollectionMetrics") == "SIZE" and bool(table.lsis)


def for_write(store: Store, table: TableRecord, request: dict, key_or_item: dict) -> dict:
    """The `ItemCollectionMetrics` member of a single-item write's output ({} when not asked
    for or the table has no LSIs)."""
    if not wanted(request, table):
        return {}
    return {"ItemCollectionMetrics": metrics(store, table, key_or_item)}


class PerTable:
    """ItemCollectionMetrics of a multi-item write (BatchWriteItem, TransactWriteItems): table
    name -> one entry per item collection the request wrote to, in request order (inferred: AWS
    documents "information about any item collections that were affected", one collection
    once)."""

    def __init__(self, request: dict):
        self.asked = request.get("ReturnItemCollectionMetrics") == "SIZE"
        self.touched: dict = {}   # table name -> (table, {partition bytes: key})

    def add(self, table: TableRecord, name: str, key_or_item: dict) -> None:
        if not self.asked or not table.lsis:
            return
        schema = keys.KeySchema.of(table)
        partition = keys.storage_key(schema, key_or_item)[0]
        _, seen = self.touched.setdefault(name, (table, {}))
        seen.setdefault(partition, {schema.hash_name: key_or_item[schema.hash_name],
                                    **({schema.range_name: key_or_item[schema.range_name]}
                                       if schema.range_name else {})})

    def output(self, store: Store) -> dict:
        if not self.touched:
            return {}
        return {"ItemCollectionMetrics": {
            name: [metrics(store, table, key) for key in seen.values()]
            for name, (table, seen) in self.touched.items()}}


def drop(store: Store, table: TableRecord) -> None:
    store.drop_items(storage_id(table))
