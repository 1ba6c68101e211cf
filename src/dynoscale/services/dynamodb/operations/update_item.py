"""UpdateItem: change (or create) one item with an UpdateExpression or legacy AttributeUpdates,
optionally only if a condition holds.

Check order (dynalite validations/updateItem.js, actions/updateItem.js; recorded against AWS):
expression vs. legacy members, Key values, AttributeUpdates shape (legacy.py), Expected, then the
expressions in AWS's order (placeholder maps, UpdateExpression, ConditionExpression, unused
placeholders); table, Key against the schema, "Cannot update attribute X. This attribute is part
of the key" (any action whose path starts at a key attribute); then throttling, the condition on
the old item, the update (a missing item starts as its Key, so SET may read key attributes:
dynalite test/updateItem.js), the 400 KB check ("Item size to update has exceeded the maximum
allowed size") and the write.
ReturnValues: NONE | ALL_OLD | UPDATED_OLD | ALL_NEW | UPDATED_NEW; UPDATED_* project the old/new
item onto the updated paths (expr.updated_paths); an empty result sends no Attributes.
Cost: max(old, new) item size in 1 KB units (spec 1.3.7); a failed condition is charged on the
old item, 1 WCU when there is none (1.3.10); plus index writes (1.3.12), with GSI back-pressure.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.context import Caller
from dynoscale.services.dynamodb import (conditional, errors, expressions, items, keys, legacy,
                                         values)
from dynoscale.services.dynamodb.capacity.units import write_units
from dynoscale.services.dynamodb.capacity.writes import consumed_write_capacity, write_cost
from dynoscale.services.dynamodb.expr import apply_update, project, updated_paths


def handle(svc, caller: Caller, request: dict) -> dict:
    expressions.check_params(request, ["UpdateExpression", "ConditionExpression"],
                             ["AttributeUpdates", "Expected"])
    key_item = values.check_item(request["Key"])
    attribute_updates = legacy.check_attribute_updates(request.get("AttributeUpdates"))
    expected = legacy.expected_condition(request.get("Expected"), request.get("ConditionalOperator"))
    resolver = expressions.resolver(svc, request)
    update = None
    if request.get("UpdateExpression") is not None:
        update = resolver.update(request["UpdateExpression"])
    condition = conditional.prepare(request, resolver) if expected is None else expected
    resolver.check_unused()

    table = svc.tables.require_usable(caller.scope, request["TableName"])
    schema = keys.KeySchema.of(table)
    keys.check_key(schema, key_item)
    if update is not None:
        paths = updated_paths(update)
    else:
        paths = tuple((name,) for name in attribute_updates or {})
    for path in paths:
        if path[0] in schema.names:
            raise errors.key_attribute_update(path[0])
    svc.limiter.admit(caller, table, "write", "UpdateItem")

    key = keys.storage_key(schema, key_item)
    new, new_size = None, 0
    with svc.store.transaction():
        old = items.load(svc.store, table, key)
        passed = conditional.holds(condition, old)
        if passed:
            new = _updated(update, attribute_updates, old or key_item)
            new_size = values.item_size(new)
            if new_size > values.MAX_ITEM_SIZE:
                raise errors.item_too_large_after_update()
        old_size = values.item_size(old) if old else 0
        cost = write_cost(table, key, old, new if passed else old,
                          write_units(max(old_size, new_size)))
        if passed:
            svc.limiter.admit_index_writes(caller, table, cost.gsis, "UpdateItem")  # spec 2.1.5
            items.save(svc.store, table, key, new, old=old)
    svc.limiter.charge_write(caller, table, cost)
    if not passed:
        raise conditional.failed(old, request.get("ReturnValuesOnConditionCheckFailure"))

    out: dict = {}
    attributes = _returned(request.get("ReturnValues", "NONE"), old, new, paths)
    if attributes:
        out["Attributes"] = attributes
    capacity = consumed_write_capacity(request.get("ReturnConsumedCapacity"), request["TableName"],
                                       cost)
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out


def _updated(update, attribute_updates: Optional[dict], start: dict) -> dict:
    if update is not None:
        return apply_update(update, start)
    if attribute_updates:
        return legacy.apply_attribute_updates(attribute_updates, start)
    return dict(start)


def _returned(mode: str, old: Optional[dict], new: dict, paths: tuple) -> Optional[dict]:
    if mode == "ALL_OLD":
        return old
    if mode == "UPDATED_OLD":
        return project(old, paths) if old else None
    if mode == "ALL_NEW":
        return new
    if mode == "UPDATED_NEW":
        return project(new, paths)
    return None
