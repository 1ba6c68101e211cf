"""Item storage: an item's value bytes are the compact JSON of its DynamoDB-JSON form (binary as
base64), stored under the key bytes of keys.storage_key (partition hash prefix and
order-preserving partition key bytes; order-preserving sort key bytes).

`save` and `remove` also maintain the table's secondary-index entries (indexes.py) and append the
change to the table's stream (changes.py), so every writer (PutItem, UpdateItem, DeleteItem,
batches, transactions, TTL) keeps indexes and streams current without knowing about them. Callers that already loaded the previous item pass it as `old` to save a read.
In a table with LSIs they also keep each item collection's size (item_collections.py), refusing a
write that would take one past 10 GB.
`save` checks index key types first (AWS rejects the write, indexes.check_item); run it inside the
caller's `store.transaction()` so a multi-item write rolls back as a whole.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.services.dynamodb import indexes, item_collections, values
from dynoscale.services.dynamodb.changes import ChangeCapture
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.storage.interface import Store

_UNKNOWN = object()


def load(store: Store, table: TableRecord, key: tuple[bytes, bytes]) -> Optional[dict]:
    raw = store.get_item(table.id, *key)
    return None if raw is None else values.item_from_stored(raw)


def has_indexes(table: TableRecord) -> bool:
    return bool(table.lsis or table.gsis)


def save(store: Store, table: TableRecord, key: tuple[bytes, bytes], item: dict,
         old=_UNKNOWN, *, changes: ChangeCapture) -> None:
    if changes.wanted(table):
        if old is _UNKNOWN:
            old = load(store, table, key)
        with store.transaction():
            _save(store, table, key, item, old)
            changes.record(table, old, item)
        return
    _save(store, table, key, item, old)


def _save(store: Store, table: TableRecord, key: tuple[bytes, bytes], item: dict, old) -> None:
    if has_indexes(table):
        indexes.check_item(table, item)
        if old is _UNKNOWN:
            old = load(store, table, key)
        with store.transaction():
            if table.lsis:  # the 10 GB item collection limit, checked before the write
                item_collections.change(store, table, key, old, item)
            store.put_item(table.id, key[0], key[1], values.item_to_stored(item))
            indexes.sync(store, table, key, old, item)
        return
    store.put_item(table.id, key[0], key[1], values.item_to_stored(item))


def remove(store: Store, table: TableRecord, key: tuple[bytes, bytes], old=_UNKNOWN, *,
           changes: ChangeCapture, expired: bool = False) -> None:
    """Delete one item; `expired`: by TTL (its stream record says so)."""
    if changes.wanted(table):
        if old is _UNKNOWN:
            old = load(store, table, key)
        with store.transaction():
            _remove(store, table, key, old)
            if old is not None:
                changes.record(table, old, None, expired=expired)
        return
    _remove(store, table, key, old)


def _remove(store: Store, table: TableRecord, key: tuple[bytes, bytes], old) -> None:
    if has_indexes(table):
        if old is _UNKNOWN:
            old = load(store, table, key)
        with store.transaction():
            store.delete_item(table.id, *key)
            if old is not None:
                if table.lsis:
                    item_collections.change(store, table, key, old, None)
                indexes.sync(store, table, key, old, None)
        return
    store.delete_item(table.id, *key)


def table_stats(store: Store, table: TableRecord) -> tuple[int, int]:
    """(ItemCount, TableSizeBytes): item sizes plus 100 bytes of per-item indexing overhead,
    which counts toward storage (spec 1.1.8). Also refreshes each index's ItemCount and
    IndexSizeBytes in the (caller-saved) table record, on the same six-hour cadence."""
    count = size = 0
    for _, _, raw in store.scan_items(table.id):
        count += 1
        size += values.item_size(values.item_from_stored(raw)) + 100
    for record in table.indexes():
        index = indexes.find(table, record.name)
        record.item_count, record.size_bytes = indexes.stats(store, index)
    return count, size
