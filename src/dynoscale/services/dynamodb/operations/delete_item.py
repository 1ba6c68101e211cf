"""DeleteItem: remove one item by key (absent items are fine), optionally only if a condition holds.

Check order (dynalite validations/deleteItem.js, actions/deleteItem.js): expression vs. legacy
members, key attribute values, ReturnValues (NONE | ALL_OLD), Expected, the expressions
(placeholder maps, ConditionExpression, unused placeholders), table, key schema; then throttling,
the condition and the delete. Cost: the deleted item's size in 1 KB units, 1 WCU when absent
(spec 1.3.8, 1.2.5), charged also when the condition fails (1.3.10); plus the removed index
entries (1.3.12), with GSI back-pressure.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import (conditional_write, errors, item_collections, items, keys,
                                         values)
from dynoscale.services.dynamodb.expr import members
from dynoscale.services.dynamodb.capacity.units import write_units
from dynoscale.services.dynamodb.capacity.writes import write_cost


def handle(svc, caller: Caller, request: dict) -> dict:
    members.check_params(request, ["ConditionExpression"], ["Expected", "ConditionalOperator"])
    members.check_conditional_operator(request)
    key_item = values.check_item(request["Key"])
    return_values = request.get("ReturnValues", "NONE")
    if return_values not in ("NONE", "ALL_OLD"):
        raise errors.validation("ReturnValues can only be ALL_OLD or NONE")
    resolver = members.resolver(request, svc.expression_cache)
    condition = members.condition(request, resolver)
    resolver.check_unused()
    table = svc.tables.require_usable(caller.scope, request["TableName"])
    schema = keys.KeySchema.of(table)
    keys.check_key(schema, key_item)
    key = keys.storage_key(schema, key_item)
    svc.limiter.admit(caller, table, "write", "DeleteItem", pk=key[0])  # table, then partition
    with svc.store.transaction():
        old = items.load(svc.store, table, key)
        passed = conditional_write.holds(condition, old)
        cost = write_cost(table, key, old, None if passed else old,
                          write_units(values.item_size(old) if old else 0))
        if passed and old is not None:
            svc.limiter.admit_index_writes(caller, table, cost.gsis, "DeleteItem", cost.gsi_pks)  # spec 2.1.5
            items.remove(svc.store, table, key, old=old, changes=svc.changes)
    attributes = old if return_values == "ALL_OLD" else None
    out = conditional_write.settle(svc.limiter, caller, table, request, cost, passed, old,
                                   attributes, pk=key[0])
    out.update(item_collections.for_write(svc.store, table, request, key_item))
    return out
