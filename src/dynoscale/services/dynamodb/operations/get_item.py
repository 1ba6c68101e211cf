"""GetItem: read one item by key, strongly or eventually consistent.

Check order (dynalite validations/getItem.js, actions/getItem.js): expression members, key
attribute values, AttributesToGet duplicates, table, key schema; then throttling. Cost: the
whole stored item (projection does not reduce it) in 4 KB units, halved unless ConsistentRead;
a missing item costs the minimum (spec 1.3.1, 1.2.4).
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors, expressions, items, keys, projection, values
from dynoscale.services.dynamodb.capacity.units import consumed_capacity, read_units


def handle(svc, caller: Caller, request: dict) -> dict:
    expressions.check_params(request, ["ProjectionExpression"], ["AttributesToGet"])
    key_item = values.check_item(request["Key"])
    attributes = request.get("AttributesToGet")
    if attributes is not None:
        seen = set()
        for name in attributes:
            if name in seen:
                raise errors.invalid(f"Duplicate value in attribute name: {name}")
            seen.add(name)
    paths = projection.parse(request.get("ProjectionExpression"),
                             request.get("ExpressionAttributeNames"))
    table = svc.tables.require_usable(caller.scope, request["TableName"])
    schema = keys.KeySchema.of(table)
    keys.check_key(schema, key_item)
    svc.limiter.admit(caller, table, "read", "GetItem")

    item = items.load(svc.store, table, keys.storage_key(schema, key_item))
    units = read_units(values.item_size(item) if item else 0, bool(request.get("ConsistentRead")))
    svc.limiter.charge(caller, table, "read", units)

    out: dict = {}
    if item is not None:
        if attributes is not None:
            item = {k: v for k, v in item.items() if k in seen}
        elif paths is not None:
            item = projection.project(item, paths)
        out["Item"] = item
    capacity = consumed_capacity(request.get("ReturnConsumedCapacity"), request["TableName"], units)
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out
