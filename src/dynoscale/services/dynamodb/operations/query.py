"""Query: the items of one partition of a table or index, in sort-key order, as a range scan over
the order-preserving sort key bytes under one partition's bytes (keys/partitions.py;
docs/architecture.md, Rules; never load-and-sort).

Check order (dynalite validations/query.js then actions/query.js, recorded against AWS):
expression vs legacy members, AttributesToGet duplicates, QueryFilter shape, ExclusiveStartKey
values, "Either the KeyConditions or KeyConditionExpression parameter must be specified",
expressions (key condition, filter, projection, unused placeholders), KeyConditions shape,
Select combinations; then the table, the index, ConsistentRead on a GSI, the key schema, the
starting key, filters on key attributes, ALL_ATTRIBUTES on a GSI; then throttling admission.
Paging, capacity and LastEvaluatedKey: reading.py.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors, indexes, key_attributes, keys, reading
from dynoscale.services.dynamodb.expr import (equal, key_condition_ranges, legacy, members,
                                              multi_key_ranges)
from dynoscale.services.dynamodb.expr import tree as t

EXPRESSIONS = ["ProjectionExpression", "FilterExpression", "KeyConditionExpression"]
LEGACY = ["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"]


def handle(svc, caller: Caller, request: dict) -> dict:
    members.check_params(request, EXPRESSIONS, LEGACY)
    projection = legacy.attributes_to_get(request.get("AttributesToGet"))
    filter_tree = legacy.filter_from_conditions(request.get("QueryFilter"),
                                                request.get("ConditionalOperator"), "QueryFilter")
    start = reading.check_start_key_values(request)
    if request.get("KeyConditions") is None and request.get("KeyConditionExpression") is None:
        raise errors.validation("Either the KeyConditions or KeyConditionExpression parameter "
                                "must be specified in the request.")
    resolver = members.resolver(request, svc.expression_cache)
    key_conditions = None
    if request.get("KeyConditionExpression") is not None:
        key_conditions = resolver.key_condition(request["KeyConditionExpression"])
    if request.get("FilterExpression") is not None:
        filter_tree = resolver.condition(request["FilterExpression"], "FilterExpression")
    if request.get("ProjectionExpression") is not None:
        projection = resolver.projection(request["ProjectionExpression"])
    resolver.check_unused()
    from_legacy = key_conditions is None
    if from_legacy:
        key_conditions = legacy.key_conditions(request["KeyConditions"])
    select = reading.check_select(request, is_query=True)

    table = svc.tables.require_usable(caller.scope, request["TableName"])
    table_schema = keys.KeySchema.of(table)
    index = reading.find_index(table, request)
    schema = index.schema if index else table_schema
    key_types = {name: type_name for name, type_name, _ in schema.typed()}
    key_range = _key_range(key_conditions, schema, key_types, from_legacy)
    if start is not None:
        reading.check_start_key(start, table_schema, index, scan=False)
        _check_start_in_range(start, key_range, schema)
    if filter_tree is not None:
        _check_filter_keys(filter_tree, schema, from_legacy and request.get("QueryFilter"))
    reading.check_all_attributes(index, select)
    reading.check_index_projection(index, table_schema, projection, filter_tree, keyed=True)
    key_attributes.check_scalar_keys(table, filter_tree, projection)
    partition = indexes.partition_of(
        schema, dict(key_range.partition or ((schema.hash_name, key_range.partition_value),)))
    charge = reading.Charge(svc.limiter, caller, table, index, "Query", partition)

    lo = hi = None
    if key_range.sort is not None:
        lo, hi = reading.key_range_bounds(key_range, schema, index is not None)
    forward = request.get("ScanIndexForward", True)
    scan = dict(pk=partition, lo=lo, hi=hi, reverse=not forward)
    if start is not None:
        scan["after"] = reading.start_position(table, table_schema, index, start)
    rows = (indexes.entries(svc.store, index, **scan) if index is not None
            else reading.table_rows(svc.store, table, **scan))
    accept = ((lambda pk, sk, row: key_range.sort_matches(row)) if key_range.sort is not None
              else None)
    fetch = reading.needs_fetch(index, table_schema, select, projection)
    page = reading.run(svc.store, table, index, rows, select=select, filter_tree=filter_tree,
                       projection=projection, limit=request.get("Limit"), fetch=fetch,
                       accept=accept)
    return reading.output(page, select, charge.finish(request, page))


def _key_range(conditions: tuple, schema: keys.KeySchema, key_types: dict, from_legacy: bool):
    """The key conditions matched to the queried key schema (keycond.py; legacy.py for
    KeyConditions)."""
    if schema.is_multi:
        ranges = legacy.multi_key_ranges if from_legacy else multi_key_ranges
        return ranges(conditions, tuple(n for n, _ in schema.hashes),
                      tuple(n for n, _ in schema.ranges), key_types)
    ranges = legacy.key_condition_ranges if from_legacy else key_condition_ranges
    return ranges(conditions, schema.hash_name, schema.range_name, key_types)


def _check_start_in_range(start: dict, key_range, schema: keys.KeySchema) -> None:
    """The starting key must lie inside the queried partition and sort-key range."""
    partition = key_range.partition or ((schema.hash_name, key_range.partition_value),)
    same_partition = all(equal(start.get(name), value) for name, value in partition)
    if key_range.sort is None:
        if not same_partition:
            raise errors.validation("The provided starting key is outside query boundaries based on "
                                    "provided conditions")
        return
    if not key_range.sort_matches(start):
        raise errors.validation("The provided starting key does not match the range key predicate")
    if not same_partition:
        raise errors.validation("The query can return at most one row and cannot be restarted")


def _check_filter_keys(filter_tree: t.ConditionTree, schema: keys.KeySchema, legacy_filter) -> None:
    """Filters may not use the queried key attributes (dynalite actions/query.js)."""
    heads = (set(legacy_filter) if legacy_filter
             else {path[0] for path in t.document_paths(filter_tree)})
    for name in schema.names:
        if name in heads:
            label = "QueryFilter" if legacy_filter else "Filter Expression"
            raise errors.validation(f"{label} can only contain non-primary key attributes: "
                                    f"Primary key attribute: {name}")
