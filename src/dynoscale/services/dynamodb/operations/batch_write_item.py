"""BatchWriteItem: up to 25 PutRequest/DeleteRequest entries across tables, each applied like a
PutItem/DeleteItem without conditions.

Checked before this handler runs (protocol/validate.py): RequestItems absent or `{}` -> `The
requestItems parameter is required for BatchWriteItem`; a table with no or more than 25 entries ->
`Value '{<table>=[WriteRequest(...)]}' at 'requestItems' failed to satisfy constraint: Map value
must satisfy constraint: [...]` (conformance capture c_bw_over25, us-east-1).

Check order (dynalite validations/batchWriteItem.js then actions/batchWriteItem.js, recorded
against AWS): per request, an entry with neither PutRequest nor DeleteRequest; item/key values;
a put item over 409,600 bytes fails the WHOLE batch (`Item size has exceeded the maximum allowed
size`, MODEL BatchWriteItem doc; spec 1.1.9); more than 25 entries in all -> `Too many items
requested for the BatchWriteItem call` (moto's text, the BatchGetItem wording); then per table its
existence, each item's key (a put item missing or mistyping a key attribute answers `The provided
key element does not match the schema`, dynalite's rewrite of the PutItem text), and two entries
for one key -> `Provided list of item keys contains duplicates` (put+delete of one item included).

Throttling (MODEL doc, spec 2.1.6): entries whose table is out of write capacity come back in
UnprocessedItems (always present, `{}` when empty); only when no entry could be written for lack
of throughput does the call fail with ProvisionedThroughputExceededException. Capacity: each put
on max(new, replaced) and each delete on the deleted item (1 WCU when absent), in 1 KB units,
summed per table (spec 1.3.9), plus index writes (1.3.12; INDEXES breaks them down per table).
ItemCollectionMetrics (ReturnItemCollectionMetrics=SIZE): per table with LSIs, the item
collections written to (item_collections.PerTable).
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors, indexes, item_collections, items, keys, values
from dynoscale.services.dynamodb.batches import Usage, require_tables
from dynoscale.services.dynamodb.capacity.units import write_units
from dynoscale.services.dynamodb.capacity.writes import (WriteCost, consumed_write_capacity_list,
                                                         write_cost)

MAX_REQUESTS = 25


def _check(request_items: dict) -> dict:
    """name -> [(kind, checked item or key, original entry)]; nothing touches storage yet."""
    checked: dict = {}
    count = 0
    for name, entries in request_items.items():
        planned = []
        for entry in entries:
            put, delete = entry.get("PutRequest"), entry.get("DeleteRequest")
            if (put is None) == (delete is None):
                raise errors.write_request_empty()
            if put is not None:
                item = values.check_item(put["Item"])
                if values.item_size(item) > values.MAX_ITEM_SIZE:
                    raise errors.item_too_large()
                planned.append(("put", item, entry))
            else:
                planned.append(("delete", values.check_item(delete["Key"]), entry))
        count += len(planned)
        if count > MAX_REQUESTS:
            raise errors.too_many_batch_items("BatchWriteItem")
        checked[name] = planned
    return checked


def _check_put_keys(schema: keys.KeySchema, item: dict) -> None:
    problem = keys.item_key_problem(schema, item)
    if problem is not None:
        raise problem.error if problem.in_value else errors.key_schema_mismatch()


def handle(svc, caller: Caller, request: dict) -> dict:
    request_items = request["RequestItems"]
    checked = _check(request_items)
    tables = require_tables(svc.tables, caller.scope, request_items)
    plans: dict = {}
    for name, planned in checked.items():
        schema = keys.KeySchema.of(tables[name])
        seen = set()
        keyed = []
        for kind, value, entry in planned:
            if kind == "put":
                _check_put_keys(schema, value)
                # index keys too (type, empty, size), before anything is written or charged
                indexes.check_item(tables[name], value)
            else:
                keys.check_key(schema, value)
            storage_key = keys.storage_key(schema, value)
            if storage_key in seen:
                raise errors.duplicate_keys()
            seen.add(storage_key)
            keyed.append((kind, value, entry, storage_key))
        plans[name] = keyed

    usage = Usage(svc.limiter, svc.meter, svc.clock, caller, "write", "BatchWriteItem")
    unprocessed: dict = {}
    costs_by_table: dict = {}
    collections = item_collections.PerTable(request)
    written = 0
    with svc.store.transaction():
        for name, keyed in plans.items():
            table = tables[name]
            for kind, value, entry, storage_key in keyed:
                if not usage.admits(table, storage_key[0]):
                    unprocessed.setdefault(name, []).append(entry)
                    continue
                old = items.load(svc.store, table, storage_key)
                old_size = values.item_size(old) if old is not None else 0
                if kind == "put":
                    cost = write_cost(table, storage_key, old, value,
                                      write_units(max(values.item_size(value), old_size)))
                else:
                    cost = write_cost(table, storage_key, old, None, write_units(old_size))
                # GSI back-pressure (2.1.5), its bucket and its entry's partition
                if not usage.admits_indexes(table, cost.gsis, cost.gsi_pks):
                    unprocessed.setdefault(name, []).append(entry)
                    continue
                if kind == "put":
                    items.save(svc.store, table, storage_key, value, old=old,
                               changes=svc.changes)
                elif old is not None:
                    items.remove(svc.store, table, storage_key, old=old, changes=svc.changes)
                usage.consume_write(table, cost, storage_key[0])
                collections.add(table, name, value)
                costs_by_table.setdefault(name, WriteCost(0.0)).add(cost)
                written += 1
    nothing_written = written == 0 and bool(usage.throttled)
    usage.settle(every_item_throttled=nothing_written)
    if nothing_written:
        raise usage.error()

    out: dict = {"UnprocessedItems": unprocessed}
    capacity = consumed_write_capacity_list(request.get("ReturnConsumedCapacity"), costs_by_table)
    if capacity:
        out["ConsumedCapacity"] = capacity
    out.update(collections.output(svc.store))
    return out
