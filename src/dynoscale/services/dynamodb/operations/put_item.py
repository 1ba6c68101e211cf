"""PutItem: create or replace one item, optionally only if a condition holds.

Check order (dynalite validations/putItem.js then actions/putItem.js): expression vs. legacy
members, attribute values, ReturnValues (NONE | ALL_OLD), item size (<= 409,600 bytes, spec
1.1.9), Expected, then the expressions (placeholder maps, ConditionExpression, unused
placeholders), table (missing/CREATING -> ResourceNotFoundException), key attributes; then
throttling (spec 2.1), the condition and the write. Cost: max(old, new) item size in 1 KB units
(spec 1.3.6), charged also when the condition fails (1.3.10); plus index writes (1.3.12), with
GSI back-pressure checked once the write's effect on each GSI is known.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import (conditional_write, errors, item_collections, items,
                                         key_attributes, keys, values)
from dynoscale.services.dynamodb.expr import members
from dynoscale.services.dynamodb.capacity.units import write_units
from dynoscale.services.dynamodb.capacity.writes import write_cost


def handle(svc, caller: Caller, request: dict) -> dict:
    members.check_params(request, ["ConditionExpression"], ["Expected", "ConditionalOperator"])
    members.check_conditional_operator(request)
    item = values.check_item(request["Item"], enveloped=True)
    return_values = request.get("ReturnValues", "NONE")
    if return_values not in ("NONE", "ALL_OLD"):
        raise errors.validation("ReturnValues can only be ALL_OLD or NONE")
    size = values.item_size(item)
    if size > values.MAX_ITEM_SIZE:
        raise errors.item_too_large()
    resolver = members.resolver(request, svc.expression_cache)
    condition = members.condition(request, resolver)
    resolver.check_unused()
    table = svc.tables.require_usable(caller.scope, request["TableName"])
    schema = keys.KeySchema.of(table)
    keys.check_item_keys(schema, item)
    key_attributes.check_index_key_types(table, item)
    key = keys.storage_key(schema, item)
    svc.limiter.admit(caller, table, "write", "PutItem", pk=key[0])  # table, then partition
    with svc.store.transaction():
        old = items.load(svc.store, table, key)
        passed = conditional_write.holds(condition, old)
        cost = write_cost(table, key, old, item if passed else old,
                          write_units(max(size, values.item_size(old) if old else 0)))
        if passed:
            svc.limiter.admit_index_writes(caller, table, cost.gsis, "PutItem", cost.gsi_pks)  # spec 2.1.5
            items.save(svc.store, table, key, item, old=old, changes=svc.changes)
    attributes = old if return_values == "ALL_OLD" else None
    out = conditional_write.settle(svc.limiter, caller, table, request, cost, passed, old,
                                   attributes, pk=key[0])
    out.update(item_collections.for_write(svc.store, table, request, item))
    return out
