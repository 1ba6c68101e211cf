"""TransactGetItems: up to 100 Gets read as one serializable snapshot.

Errors (dynamodb-conformance tier3 transactGetItems, captured from AWS): a bad projection or key
VALUE (empty, too long) is a request-level ValidationException; a missing table is
`Requested resource not found`; a Key that does not match the table's schema cancels the
transaction with reason code `ValidationError` (TransactionCanceledException, reasons in request
order, `None` for the others, MODEL TransactionCanceledException doc). Two Gets of one item ->
`Transaction request cannot include multiple operations on one item`.

Capacity (spec 1.3.11): 2 x ceil(size / 4 KB) per Get, a missing item costs 2; the list carries
ReadCapacityUnits beside CapacityUnits. Insufficient capacity on any table cancels the whole read
with reason `ProvisionedThroughputExceeded` on that table's Gets, `ThrottlingError` for an
on-demand table (errors.throttled_reason; spec 2.1.7: we pick the cancellation form the MODEL
documents with these exact messages over the bare exception).
Responses: one entry per Get in order, `{}` for a missing item.

Conflicts: requests run one at a time on the event loop, each to completion, so no write is ever
in flight while a transactional read runs and TransactionConflict cannot arise.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors, items, keys, values
from dynoscale.services.dynamodb.batches import Usage, require_tables
from dynoscale.services.dynamodb.capacity.units import consumed_capacity_list, transact_read_units
from dynoscale.services.dynamodb.expr import members, project

NONE_REASON = {"Code": "None"}


def handle(svc, caller: Caller, request: dict) -> dict:
    gets = []
    for action in request["TransactItems"]:
        get = action["Get"]
        members.check_params(get, ["ProjectionExpression"], [])
        projection = None
        if get.get("ProjectionExpression") is not None:
            resolver = members.resolver(get, svc.expression_cache)
            projection = resolver.projection(get["ProjectionExpression"])
            resolver.check_unused()
        gets.append((get["TableName"], values.check_item(get["Key"]), projection))
    tables = require_tables(svc.tables, caller.scope, [name for name, _, _ in gets])

    reasons: list[dict] = []
    planned = []
    seen = set()
    for name, key_item, projection in gets:
        table = tables[name]
        problem = keys.key_problem(keys.KeySchema.of(table), key_item)
        if problem is not None:
            if problem.in_value:
                raise problem.error
            reasons.append({"Code": "ValidationError", "Message": problem.error.message})
            planned.append(None)
            continue
        storage_key = keys.storage_key(keys.KeySchema.of(table), key_item)
        if (table.id, storage_key) in seen:
            raise errors.transaction_multiple_operations()
        seen.add((table.id, storage_key))
        reasons.append(NONE_REASON)
        planned.append((name, table, storage_key, projection))
    if any(r is not NONE_REASON for r in reasons):
        raise errors.transaction_canceled(reasons)

    usage = Usage(svc.limiter, svc.meter, svc.clock, caller, "read", "TransactGetItems")
    # each item is also held to its table partition's maximum (capacity/partitions.py)
    throttled = {table.id for _, table, storage_key, _ in planned
                 if not usage.admits(table, storage_key[0])}
    if throttled:
        usage.settle(any_throttled_counts=True)
        raise errors.transaction_canceled([
            errors.throttled_reason(table.on_demand) if table.id in throttled else NONE_REASON
            for _, table, _, _ in planned])

    responses = []
    units_by_table: dict = {}
    for name, table, storage_key, projection in planned:
        item = items.load(svc.store, table, storage_key)
        units = transact_read_units(values.item_size(item) if item is not None else 0)
        usage.consume(table, units, pk=storage_key[0])
        units_by_table[name] = units_by_table.get(name, 0.0) + units
        if item is None:
            responses.append({})
        else:
            responses.append({"Item": project(item, projection) if projection is not None else item})
    usage.settle()

    out: dict = {"Responses": responses}
    capacity = consumed_capacity_list(request.get("ReturnConsumedCapacity"), units_by_table,
                                      "ReadCapacityUnits")
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out
