"""The storage format of DynamoDB items and index entries, and the one-time upgrade of data
directories written by earlier versions. DynamoDBService.start() runs it before anything reads
items (the server accepts no request before start() returns).

The format version lives in one store document (FORMAT_DOC, {"version": n}):
- 1 (no document; before partition hash order): a table item was stored under
  (table id, encode_key_value(partition key), encode_key_value(sort key) or b""), an index entry
  under (table id + "/index/" + index name, encode_key_value(index partition key), sort bytes as
  in format 2) (storage.encoding);
- 2: partition bytes begin with the 3-byte partition hash prefix (partitions.partition_bytes), so
  Scan runs in DynamoDB's order; sort bytes are unchanged.
A store without the document and without tables is new and is simply marked with the current
version; one with tables is format 1 and is rewritten, all in one transaction.
"""

from __future__ import annotations

import logging

from dynoscale.services.dynamodb import indexes, keys, values
from dynoscale.services.dynamodb.partitions import partition_bytes
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.storage.interface import Store

log = logging.getLogger("dynoscale.dynamodb")

FORMAT_DOC = ("dynamodb.storage", "_", "format")
FORMAT_VERSION = 2
CHUNK = 1000          # rows read per storage call while rewriting (bounded memory)
STAGING = "#format2"  # suffix of the storage id rows are staged under while they are re-keyed


def upgrade(store: Store, tables: list[tuple[str, TableRecord]]) -> int:
    """Bring the store to FORMAT_VERSION; the number of rows rewritten."""
    doc = store.get_doc(*FORMAT_DOC)
    version = doc["version"] if doc is not None else 1
    if version == FORMAT_VERSION:
        return 0
    if version > FORMAT_VERSION:
        raise RuntimeError(f"the data directory holds DynamoDB storage format {version}, written "
                           f"by a newer Dynoscale (this one reads format {FORMAT_VERSION})")
    rewritten = 0
    with store.transaction():
        for _, table in tables:
            rewritten += _rekey(store, table.id, keys.KeySchema.of(table))
            for index in indexes.of(table):
                rewritten += _rekey(store, index.storage_id, index.schema)
        store.put_doc(*FORMAT_DOC, {"version": FORMAT_VERSION})
    if rewritten:
        log.info("DynamoDB storage upgraded to format %d: %d rows re-keyed", FORMAT_VERSION,
                 rewritten)
    return rewritten


def _rekey(store: Store, storage_id: str, schema: keys.KeySchema) -> int:
    """Give every row of `storage_id` its format-2 partition bytes, computed from the stored
    item's (or entry's) partition key value. New keys interleave with old ones, so the rows are
    staged under another id and copied back rather than rewritten in place."""
    staging = storage_id + STAGING
    store.drop_items(staging)
    count = _copy(store, storage_id, staging, schema)
    store.drop_items(storage_id)
    _copy(store, staging, storage_id, None)
    store.drop_items(staging)
    return count


def _copy(store: Store, source: str, target: str, schema) -> int:
    """Copy rows from `source` to `target`, re-keyed by `schema`'s partition key (None: as is)."""
    count, after = 0, None
    while True:
        chunk = list(store.scan_items(source, after=after, limit=CHUNK))
        if not chunk:
            return count
        for pk, sk, raw in chunk:
            if schema is not None:
                value = values.item_from_stored(raw)[schema.hash_name][schema.hash_type]
                pk = partition_bytes(schema.hash_type, value)
            store.put_item(target, pk, sk, raw)
        count += len(chunk)
        after = chunk[-1][:2]
