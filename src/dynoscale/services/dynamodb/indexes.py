"""Secondary indexes: their definitions in the table record, their entries in storage, and the
key-type checks every write makes against them.

Storage: each index is a storage "table" of its own (`storage_id`), holding one entry per item that
carries every index key attribute (sparse indexes, DG "Take advantage of sparse indexes"). An
entry's partition bytes are the index partition key's partition bytes (partitions.py: hash
prefix, then order-preserving bytes; a multi-attribute partition key hashes its attributes
together, partitions.composite_partition_bytes), so an index Scan runs in the index partition
key's hash order; its sort bytes are the index sort key attributes (one for a table or LSI, up to
four for a GSI, in KeySchema order) and the table partition key (its order-preserving bytes,
without the hash prefix), each escaped (0x00 -> 0x00 0xFF) and terminated (0x00 0x01),
followed by the table sort key bytes, so entries sort by index sort key, then by table key
(DynamoDB returns equal index keys in table-key order), and a Query on an index is a range scan.
The entry value is the projected item (keys plus ALL / INCLUDE attributes, spec 1.3.5: entries
are sized on their projection).

Messages: dynalite validations/createTable.js and db/index.js (recorded against AWS); the empty
index-key text from dynoxide's AWS captures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

import orjson

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors, keys, values
from dynoscale.services.dynamodb.capacity.units import write_units
from dynoscale.services.dynamodb.partitions import (PREFIX_BYTES, composite_partition_bytes,
                                                    partition_bytes)
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.storage.encoding import encode_key_value
from dynoscale.storage.interface import Store

TERM = b"\x00\x01"
TERM_AFTER = b"\x00\x02"   # just above every key that continues with TERM


def escape(raw: bytes) -> bytes:
    return raw.replace(b"\x00", b"\x00\xff")


def component(raw: bytes) -> bytes:
    return escape(raw) + TERM


def prefix_successor(prefix: bytes) -> Optional[bytes]:
    """The smallest byte string above every string starting with `prefix` (None: unbounded)."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


@dataclass(frozen=True)
class Index:
    name: str
    is_global: bool
    schema: keys.KeySchema
    projection_type: str
    non_key: tuple
    storage_id: str
    status: str

    @property
    def kind(self) -> str:
        return "GlobalSecondaryIndexes" if self.is_global else "LocalSecondaryIndexes"

    def projected_names(self, table_schema: keys.KeySchema) -> Optional[set]:
        """Attribute names an entry holds; None = all (projection ALL)."""
        if self.projection_type == "ALL":
            return None
        return set(table_schema.names) | set(self.schema.names) | set(self.non_key)


def storage_id(table: TableRecord, index_name: str) -> str:
    return f"{table.id}/index/{index_name}"


def of(table: TableRecord, *, live_only: bool = False) -> list[Index]:
    """The table's indexes (LSIs first, then GSIs, in definition order). `live_only` leaves out
    GSIs being deleted (their entries are no longer maintained)."""
    types = keys.attribute_types(table)
    out = []
    for d in table.indexes():
        if live_only and d.status == "DELETING":
            continue
        projection = d.projection
        out.append(Index(d.name, d.is_global, keys.KeySchema.from_elements(d.key_schema, types),
                         projection.get("ProjectionType", "ALL"),
                         tuple(projection.get("NonKeyAttributes") or ()),
                         storage_id(table, d.name), d.status))
    return out


def find(table: TableRecord, name: str) -> Optional[Index]:
    for index in of(table):
        if index.name == name:
            return index
    return None


# -- writes ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndexKeyProblem:
    """The first index key attribute of an item that cannot be indexed. `empty`: "string" or
    "binary" for an empty S/B value (a request-level error even in a transaction, where an Update
    words it its own way), None for a type mismatch (a transaction's cancellation reason;
    dynamodb-conformance tier3 transactWriteItems, captured from AWS)."""
    error: AwsError
    empty: Optional[str]


def item_problem(table: TableRecord, item: dict) -> Optional[IndexKeyProblem]:
    """Index key attributes present in an item must have the defined type, be non-empty
    (dynalite db/index.js validateItem; AWS text for empty values from dynoxide captures) and
    within the key size limits: after a backfill "all write operations on items that violate the
    new index key schema will be rejected" (DG "Detecting and correcting index key violations"),
    with the base table's texts (a PutItem refused for a 2049-byte GSI partition key is quoted
    with "Size of hashkey has exceeded the maximum size limit of2048 bytes" in actingweb's
    property-lookup notes; inferred for UpdateItem, whose own wording AWS does not document)."""
    for index in of(table, live_only=True):
        for name, type_name, is_hash in index.schema.typed():
            value = item.get(name)
            if value is None:
                continue
            if type_name not in value:
                actual = next(iter(value))
                return IndexKeyProblem(errors.invalid(
                    f"Type mismatch for Index Key {name} Expected: {type_name} Actual: {actual} "
                    f"IndexName: {index.name}"), None)
            if type_name in ("S", "B") and len(value[type_name]) == 0:
                kind = "string" if type_name == "S" else "binary"
                return IndexKeyProblem(errors.validation(
                    "One or more parameter values are not valid. A value specified for a secondary "
                    "index key is not supported. The AttributeValue for a key attribute cannot "
                    f"contain an empty {kind} value. IndexName: {index.name}, IndexKey: {name}"), kind)
            oversized = keys.size_problem(type_name, value[type_name], is_hash)
            if oversized is not None:
                return IndexKeyProblem(oversized, None)
    return None


def check_item(table: TableRecord, item: dict) -> None:
    problem = item_problem(table, item)
    if problem is not None:
        raise problem.error


def entry_key(index: Index, table_key: tuple[bytes, bytes], item: dict) -> Optional[tuple]:
    """(partition bytes, sort bytes) of the item's entry, or None if the item is not indexed: an
    item is indexed only when it carries every index key attribute with the defined type (a
    multi-attribute key missing any one attribute leaves the item out: DG "Using Global Secondary
    Indexes", Multi-attribute key schema; moto test_dynamodb_multi_attribute_gsi.py
    test_items_missing_range_key_excluded, marked aws_verified)."""
    schema = index.schema
    pk = partition_of(schema, item)
    if pk is None:
        return None
    sk = b""
    for name, type_name in schema.ranges:
        value = item.get(name)
        if value is None or type_name not in value:
            return None
        sk += component(encode_key_value(type_name, value[type_name]))
    return pk, sk + component(table_key[0][PREFIX_BYTES:]) + table_key[1]


def partition_of(schema: keys.KeySchema, values: dict) -> Optional[bytes]:
    """Partition bytes of an index key from `values` (an item, or name -> value of the partition
    key attributes), or None when one is missing or of another type. Sort bytes: each RANGE
    attribute's order-preserving bytes as one component, in KeySchema order, so entries sort by
    the sort attributes lexicographically, left to right."""
    if not schema.more_hash:
        value = values.get(schema.hash_name)
        if value is None or schema.hash_type not in value:
            return None
        return partition_bytes(schema.hash_type, value[schema.hash_type])
    parts = []
    for name, type_name in schema.hashes:
        value = values.get(name)
        if value is None or type_name not in value:
            return None
        parts.append((type_name, value[type_name]))
    return composite_partition_bytes(parts)


def project_entry(index: Index, table_schema: keys.KeySchema, item: dict) -> dict:
    names = index.projected_names(table_schema)
    if names is None:
        return item
    return {k: v for k, v in item.items() if k in names}


def sync(store: Store, table: TableRecord, table_key: tuple[bytes, bytes], old: Optional[dict],
         new: Optional[dict]) -> None:
    """Bring every live index in line with the item changing from `old` to `new`."""
    table_schema = keys.KeySchema.of(table)
    for index in of(table, live_only=True):
        old_key = entry_key(index, table_key, old) if old is not None else None
        new_key = entry_key(index, table_key, new) if new is not None else None
        if old_key is not None and old_key != new_key:
            store.delete_item(index.storage_id, *old_key)
        if new_key is not None:
            entry = project_entry(index, table_schema, new)
            store.put_item(index.storage_id, new_key[0], new_key[1],
                           orjson.dumps(values.item_to_json(entry)))


def backfill(store: Store, table: TableRecord, index: Index) -> None:
    """Index every existing item (a GSI added by UpdateTable)."""
    table_schema = keys.KeySchema.of(table)
    store.drop_items(index.storage_id)
    for pk, sk, raw in list(store.scan_items(table.id)):
        item = values.item_from_json(orjson.loads(raw))
        key = entry_key(index, (pk, sk), item)
        if key is not None and not _violates_key(index, item):
            entry = project_entry(index, table_schema, item)
            store.put_item(index.storage_id, key[0], key[1],
                           orjson.dumps(values.item_to_json(entry)))


def _violates_key(index: Index, item: dict) -> bool:
    """An index key violation the backfill skips rather than refuses: an empty S/B value or one
    above the key size limits (DG "Detecting and correcting index key violations": "the items
    remain in the table, but the index doesn't have a corresponding entry"). Type mismatches
    never reach here (entry_key leaves them out)."""
    for name, type_name, is_hash in index.schema.typed():
        raw = item[name][type_name]
        if type_name in ("S", "B") and len(raw) == 0:
            return True
        if keys.size_problem(type_name, raw, is_hash) is not None:
            return True
    return False


def drop_all(store: Store, table: TableRecord) -> None:
    for index in of(table):
        store.drop_items(index.storage_id)


def entries(store: Store, index: Index, **scan) -> Iterator[tuple[bytes, bytes, dict]]:
    for pk, sk, raw in store.scan_items(index.storage_id, **scan):
        yield pk, sk, values.item_from_json(orjson.loads(raw))


def stats(store: Store, index: Index) -> tuple[int, int]:
    """(ItemCount, IndexSizeBytes) of an index: projected entry sizes plus 100 bytes each."""
    count = size = 0
    for _, _, entry in entries(store, index):
        count += 1
        size += values.item_size(entry) + 100
    return count, size


# -- capacity (spec 1.3.12) ----------------------------------------------------------------------
def write_units_by_index(table: TableRecord, table_key: tuple[bytes, bytes], old: Optional[dict],
                         new: Optional[dict]) -> list[tuple[Index, float, bytes]]:
    """Write units each live index is charged when an item changes from `old` to `new` (None =
    absent), per DG-GSI/DG-LSI "Write capacity units": an entry appearing or disappearing is one
    write on that entry; a changed index key is two (delete + put); a changed projection under the
    same key is one write, sized like a table update on the larger of the two entries (spec 1.3.7);
    an item outside the index before and after, or an unchanged entry, costs nothing. Each write
    is sized on the projected entry and rounded up to 1 KB. Indexes costing 0 are left out. The
    third member is the entry's partition bytes (the new entry's, else the old one's): the index
    partition the write lands on (capacity/partitions.py)."""
    table_schema = keys.KeySchema.of(table)
    out = []
    for index in of(table, live_only=True):
        old_key = entry_key(index, table_key, old) if old is not None else None
        new_key = entry_key(index, table_key, new) if new is not None else None
        if old_key is None and new_key is None:
            continue
        old_entry = project_entry(index, table_schema, old) if old_key is not None else None
        new_entry = project_entry(index, table_schema, new) if new_key is not None else None
        if old_entry is None:
            units = write_units(values.item_size(new_entry))
        elif new_entry is None:
            units = write_units(values.item_size(old_entry))
        elif old_key != new_key:
            units = write_units(values.item_size(old_entry)) + write_units(
                values.item_size(new_entry))
        elif old_entry == new_entry:
            continue
        else:
            units = write_units(max(values.item_size(old_entry), values.item_size(new_entry)))
        out.append((index, units, (new_key or old_key)[0]))
    return out
