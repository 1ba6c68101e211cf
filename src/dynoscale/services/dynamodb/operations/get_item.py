"""GetItem: read one item by key, strongly or eventually consistent, optionally projected.

Check order (dynalite validations/getItem.js, actions/getItem.js): expression vs. legacy members,
key attribute values, AttributesToGet duplicates, the expressions (placeholder maps,
ProjectionExpression, unused names), table, key schema, nested paths into key attributes
("Key attributes must be scalars"); then throttling. Projection: expr.project
(nested paths come back nested, list elements in their original order). Cost: the whole stored
item (projection does not reduce it) in 4 KB units, halved unless ConsistentRead; a missing item
costs the minimum (spec 1.3.1, 1.2.4).
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import items, key_attributes, keys, values
from dynoscale.services.dynamodb.capacity.units import consumed_capacity, read_units
from dynoscale.services.dynamodb.expr import legacy, members, project


def handle(svc, caller: Caller, request: dict) -> dict:
    members.check_params(request, ["ProjectionExpression"], ["AttributesToGet"])
    key_item = values.check_item(request["Key"])
    paths = legacy.attributes_to_get(request.get("AttributesToGet"))
    resolver = members.resolver(request, svc.expression_cache)
    if request.get("ProjectionExpression") is not None:
        paths = resolver.projection(request["ProjectionExpression"])
    resolver.check_unused()
    table = svc.tables.require_usable(caller.scope, request["TableName"])
    schema = keys.KeySchema.of(table)
    keys.check_key(schema, key_item)
    if paths is not None:  # dynalite actions/getItem.js validateKeyPaths, after the key check
        key_attributes.check_key_paths(table, schema, paths.paths)
    key = keys.storage_key(schema, key_item)
    svc.limiter.admit(caller, table, "read", "GetItem", pk=key[0])  # table, then partition

    item = items.load(svc.store, table, key)
    units = read_units(values.item_size(item) if item else 0, bool(request.get("ConsistentRead")))
    svc.limiter.charge(caller, table, "read", units, pk=key[0])

    out: dict = {}
    if item is not None:
        out["Item"] = project(item, paths) if paths is not None else item
    capacity = consumed_capacity(request.get("ReturnConsumedCapacity"), request["TableName"], units)
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out
