"""Checks on key attributes that an item operation makes from its request and the table's key
schema: no document path may reach inside a key attribute, and an index key attribute written
whole must have the index's type.

Facts: dynalite db/index.js `validateKeyPaths`, `validateItem` and `traverseIndexes` (GSIs
backwards, then LSIs backwards: the order that decides which index AWS names when several are
wrong), its test/scan.js "non-scalar key access" and test/query.js "non-scalar index access in
FilterExpression"; all recorded against AWS.
"""

from __future__ import annotations

from typing import Iterable, Optional

from dynoscale.services.dynamodb import errors, indexes, keys
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.table_record import TableRecord

_KEY_SCALARS = ("Key attributes must be scalars; list random access '[]' and map lookup '.' are "
                "not allowed: ")


def index_key_types(table: TableRecord) -> list:
    """[(attribute, (type, index name))...] for every live index key attribute, in
    traverseIndexes order."""
    live = indexes.of(table, live_only=True)
    ordered = [i for i in live if i.is_global][::-1] + [i for i in live if not i.is_global][::-1]
    out = []
    for index in ordered:
        for name, type_name, _ in index.schema.typed():
            out.append((name, (type_name, index.name)))
    return out


def check_key_paths(table: TableRecord, schema: keys.KeySchema, paths: Iterable[tuple]) -> None:
    """GetItem, UpdateItem: reject a nested path (`a.b`, `a[0]`) into a table or live index key
    attribute, naming `Key: a` for the table's keys (schema order) before `IndexKey: d` for index
    keys (traverseIndexes order). `paths`: resolved paths from any expression of the request."""
    nested = _nested_heads(paths)
    if not nested:
        return
    for name in schema.names:
        if name in nested:
            raise errors.validation(f"{_KEY_SCALARS}Key: {name}")
    for name, _ in index_key_types(table):
        if name in nested:
            raise errors.validation(f"{_KEY_SCALARS}IndexKey: {name}")


def check_scalar_keys(table: TableRecord, filter_tree: Optional[t.ConditionTree],
                      projection: Optional[t.ProjectionTree]) -> None:
    """Query, Scan: the same rule for the filter, then the projection; index keys here are those
    of every index, in the table record's order."""
    table_keys = list(keys.KeySchema.of(table).names)
    index_keys = [n for index in indexes.of(table) for n in index.schema.names
                  if n not in table_keys]
    for tree in (filter_tree, projection):
        if tree is None:
            continue
        nested = _nested_heads(t.document_paths(tree))
        for label, names in (("Key", table_keys), ("IndexKey", index_keys)):
            for name in names:
                if name in nested:
                    raise errors.validation(f"{_KEY_SCALARS}{label}: {name}")


def check_index_key_types(table: TableRecord, item: dict) -> None:
    """PutItem: an index key attribute of the wrong type, naming the index AWS names (dynalite
    putItem.js "should return ValidationException if secondary index key is incorrect type"
    expects index4 over index3/1). Empty index key values are left to indexes.check_item at
    save time."""
    for name, (type_name, index_name) in index_key_types(table):
        value = item.get(name)
        if value is not None and type_name not in value:
            raise errors.invalid(f"Type mismatch for Index Key {name} Expected: {type_name} "
                                 f"Actual: {next(iter(value))} IndexName: {index_name}")


def _nested_heads(paths: Iterable[tuple]) -> set:
    """The attributes that paths reach inside of."""
    return {path[0] for path in paths if len(path) > 1}
