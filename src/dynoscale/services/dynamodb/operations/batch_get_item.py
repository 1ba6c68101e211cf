"""BatchGetItem: up to 100 keys across tables, each table with its own projection, consistency
and ExpressionAttributeNames.

Checked before this handler runs (protocol/validate.py): RequestItems absent or `{}` -> `The
requestItems parameter is required for BatchGetItem`, and more than 100 Keys for one table ->
`Value at 'RequestItems.<table>.member.Keys' failed to satisfy constraint: ...` (conformance
captures and tier3 tests run against AWS).

Check order (dynalite validations/batchGetItem.js then actions/batchGetItem.js, recorded against
AWS): per table the expression/legacy conflict, AttributesToGet duplicates, the projection, key
values, and more than 100 keys in all -> `Too many items requested for the BatchGetItem call`; then
per table its existence (`Requested resource not found`), key schema, and duplicate keys ->
`Provided list of item keys contains duplicates`. AttributesToGet on one table and
ProjectionExpression on another is refused like the single-table conflict (dynamodb-conformance
tier3 batchGetItem: AWS rejects the mix; its exact text was not captured).

Results (MODEL BatchGetItem doc; spec 1.3.2, 1.4.4, 2.1.6): every requested table appears in
Responses, empty when nothing was found; items come back in no particular order (we keep request
order). A key is left in UnprocessedKeys (with its table's ConsistentRead/projection/names) when
the 16 MB response limit would be passed or its table is out of read capacity; only when no key
at all could be read for lack of throughput does the call fail with
ProvisionedThroughputExceededException. Capacity: each key like a GetItem (the whole stored item,
4 KB units, halved unless ConsistentRead; missing items cost the minimum), summed per table.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors, items, keys, values
from dynoscale.services.dynamodb.batches import Usage, require_tables
from dynoscale.services.dynamodb.capacity.units import consumed_capacity_list, read_units
from dynoscale.services.dynamodb.expr import legacy, members, project

MAX_KEYS = 100
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
ECHOED = ("ConsistentRead", "ProjectionExpression", "ExpressionAttributeNames", "AttributesToGet")


def _check(svc, request_items: dict) -> dict:
    """name -> (projection tree or None, checked keys); everything before touching storage."""
    checked: dict = {}
    count = 0
    for name, spec in request_items.items():
        members.check_params(spec, ["ProjectionExpression"], ["AttributesToGet"])
        projection = legacy.attributes_to_get(spec.get("AttributesToGet"))
        if spec.get("ProjectionExpression") is not None:
            resolver = members.resolver(spec, svc.expression_cache)
            projection = resolver.projection(spec["ProjectionExpression"])
            resolver.check_unused()
        key_items = [values.check_item(key) for key in spec["Keys"]]
        count += len(key_items)
        if count > MAX_KEYS:
            raise errors.too_many_batch_items("BatchGetItem")
        checked[name] = (projection, key_items)
    legacy_used = [n for n, s in request_items.items() if s.get("AttributesToGet") is not None]
    expression_used = [n for n, s in request_items.items()
                       if s.get("ProjectionExpression") is not None]
    if legacy_used and expression_used:
        raise errors.validation("Can not use both expression and non-expression parameters in the "
                                "same request: Non-expression parameters: {AttributesToGet} "
                                "Expression parameters: {ProjectionExpression}")
    return checked


def handle(svc, caller: Caller, request: dict) -> dict:
    request_items = request["RequestItems"]
    checked = _check(svc, request_items)
    tables = require_tables(svc.tables, caller.scope, request_items)
    plans: dict = {}
    for name, (projection, key_items) in checked.items():
        schema = keys.KeySchema.of(tables[name])
        seen = set()
        planned = []
        for key_item in key_items:
            keys.check_key(schema, key_item)
            storage_key = keys.storage_key(schema, key_item)
            if storage_key in seen:
                raise errors.duplicate_keys()
            seen.add(storage_key)
            planned.append((key_item, storage_key))
        plans[name] = (projection, planned)

    usage = Usage(svc.limiter, svc.meter, svc.clock, caller, "read", "BatchGetItem")
    responses: dict = {name: [] for name in request_items}
    unprocessed: dict = {}
    units_by_table: dict = {}
    response_bytes = 0
    full = False  # the 16 MB response limit was reached: every later key is left over
    processed = 0
    for name, (projection, planned) in plans.items():
        table, spec = tables[name], request_items[name]
        consistent = bool(spec.get("ConsistentRead"))
        left_over = []
        for key_item, storage_key in planned:
            if full or not usage.admits(table, storage_key[0]):
                left_over.append(key_item)
                continue
            item = items.load(svc.store, table, storage_key)
            if item is not None:
                visible = project(item, projection) if projection is not None else item
                visible_size = values.item_size(visible)
                if response_bytes + visible_size > MAX_RESPONSE_BYTES:
                    full = True
                    left_over.append(key_item)
                    continue
                response_bytes += visible_size
                responses[name].append(visible)
            units = read_units(values.item_size(item) if item is not None else 0, consistent)
            usage.consume(table, units, pk=storage_key[0])
            units_by_table[name] = units_by_table.get(name, 0.0) + units
            processed += 1
        if left_over:
            unprocessed[name] = {"Keys": left_over, **{k: spec[k] for k in ECHOED if k in spec}}
    nothing_read = processed == 0 and bool(usage.throttled)
    usage.settle(every_item_throttled=nothing_read)
    if nothing_read:
        raise usage.error()

    out: dict = {"Responses": responses, "UnprocessedKeys": unprocessed}
    capacity = consumed_capacity_list(request.get("ReturnConsumedCapacity"), units_by_table)
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out
