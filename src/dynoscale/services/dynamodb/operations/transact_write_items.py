"""TransactWriteItems: up to 100 Put/Update/Delete/ConditionCheck actions, all applied or none.

Request-level errors (ValidationException unless noted; dynamodb-conformance tier3
transactWriteItems and limits/itemSizeBySurface, captured from AWS): expression members and
placeholders of each action; a Put item over 409,600 bytes (`Item size has exceeded the maximum
allowed size`, knowable from the request); items over 4 MB in all (dynoxide's text); an unknown
table -> ResourceNotFoundException `Requested resource not found`; an empty or oversized key
VALUE; an Update of a key attribute; two actions on one item -> `Transaction request cannot
include multiple operations on one item`.

Everything that depends on stored items or on the key schema cancels the transaction instead:
TransactionCanceledException `Transaction cancelled, please refer cancellation reasons for
specific reasons [None, ConditionalCheckFailed]`, with one CancellationReason per action in
order (MODEL TransactionCanceledException doc): `None` (no Message), `ConditionalCheckFailed`
(`The conditional request failed`, plus Item when ReturnValuesOnConditionCheckFailure=ALL_OLD and
the item exists), `ValidationError` (a Put key of the wrong type, a Key not matching the schema,
a secondary index key of the wrong type in the Put item or updated item, an update operand of the
wrong type, `Item size to update has exceeded the maximum allowed size`),
`ProvisionedThroughputExceeded`, or `ThrottlingError` on an on-demand table
(errors.throttled_reason; spec 2.1.7: we pick the cancellation form, whose messages the MODEL
documents, over the bare exception). All actions are evaluated against the state before the
transaction, then applied in one store transaction.

Idempotency: see transactions.py (10 minutes of clock time; a replay applies nothing and reports
the READ units of re-reading the result, spec 1.3.11 [OBS]). Capacity: 2 x ceil(size / 1 KB) per
action on max(old, new) (ConditionCheck on the item read; spec 1.3.11), index writes doubled
likewise (1.3.12; a GSI short of write capacity cancels the transaction), each action's units
also drawn from its item's table partition, which may cancel the transaction as the table's
capacity does (a GSI's units only from the GSI, as in BatchWriteItem); a cancelled transaction
returns no ConsumedCapacity (1.4.5) and is not charged (an emulator choice; AWS is silent).

Conflicts: requests run one at a time on the event loop and each transaction completes inside one
store transaction before the next request is read, so no single-item write can land inside a
transaction's window: TransactionConflict and TransactionInProgressException cannot arise here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import (conditional_write, errors, indexes, item_collections,
                                         items, keys, values)
from dynoscale.services.dynamodb.batches import Usage, require_tables
from dynoscale.services.dynamodb.capacity.units import (consumed_capacity_list, read_units,
                                                        transact_write_units, TRANSACTION_FACTOR)
from dynoscale.services.dynamodb.capacity.writes import (WriteCost, consumed_write_capacity_list,
                                                         write_cost)
from dynoscale.services.dynamodb.expr import apply_update, members, only_deletes, updated_paths
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.services.dynamodb.transactions import fingerprint

KINDS = ("ConditionCheck", "Put", "Delete", "Update")
MAX_TRANSACTION_BYTES = 4 * 1024 * 1024
NONE_REASON = {"Code": "None"}
UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"


@dataclass
class Action:
    kind: str
    table_name: str
    value: dict                    # the Put item, or the Key
    condition: Optional[object]    # resolved ConditionTree
    update: Optional[object]       # resolved UpdateTree
    return_on_failure: Optional[str]
    table: Optional[TableRecord] = None
    storage_key: Optional[tuple] = None


def _check_action(svc, entry: dict) -> Action:
    present = [k for k in KINDS if entry.get(k) is not None]
    if len(present) != 1:
        raise errors.validation("TransactItems can only contain one of Check, Put, Update or Delete")
    kind = present[0]
    body = entry[kind]
    expression_members = (["UpdateExpression", "ConditionExpression"] if kind == "Update"
                          else ["ConditionExpression"])
    members.check_params(body, expression_members, [])
    resolver = members.resolver(body, svc.expression_cache)
    update = resolver.update(body["UpdateExpression"]) if kind == "Update" else None
    condition = members.condition(body, resolver)
    resolver.check_unused()
    if kind == "Put":
        value = values.check_item(body["Item"], enveloped=True)
        if values.item_size(value) > values.MAX_ITEM_SIZE:
            raise errors.item_too_large()
    else:
        value = values.check_item(body["Key"])
    return Action(kind, body["TableName"], value, condition, update,
                  body.get("ReturnValuesOnConditionCheckFailure"))


def _key_reason(action: Action) -> Optional[dict]:
    """Resolve the action's storage key; a schema mismatch is a cancellation reason, a bad key
    value a request-level error."""
    schema = keys.KeySchema.of(action.table)
    problem = (keys.item_key_problem(schema, action.value) if action.kind == "Put"
               else keys.key_problem(schema, action.value))
    if problem is not None:
        if problem.in_value:
            raise problem.error
        return {"Code": "ValidationError", "Message": problem.error.message}
    if action.kind == "Put":
        reason = _index_key_reason(action, action.value)
        if reason is not None:
            return reason
    if action.update is not None:
        for path in updated_paths(action.update):
            if path[0] in schema.names:
                raise errors.invalid(f"Cannot update attribute {path[0]}. This attribute is part "
                                     "of the key")
    action.storage_key = keys.storage_key(schema, action.value)
    return None


def _index_key_reason(action: Action, item: dict) -> Optional[dict]:
    """Secondary index keys of the item to write: a wrong type cancels with a `ValidationError`
    reason; an empty S/B value is a request-level error, for an Update with its own text
    (dynamodb-conformance tier3 transactWriteItems, captured from AWS)."""
    problem = indexes.item_problem(action.table, item)
    if problem is None:
        return None
    if problem.empty is None:
        return {"Code": "ValidationError", "Message": problem.error.message}
    if action.kind == "Update":
        raise errors.update_empty_index_key(problem.empty)
    raise problem.error


def _evaluate(svc, action: Action) -> tuple[dict, Optional[dict], Optional[WriteCost], float]:
    """(reason, item to write or None, write cost, replay read units) from the stored state."""
    old = items.load(svc.store, action.table, action.storage_key)
    old_size = values.item_size(old) if old is not None else 0
    if not conditional_write.holds(action.condition, old):
        reason = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
        item = conditional_write.failure_item(old, action.return_on_failure)
        if item is not None:
            reason["Item"] = item
        return reason, None, None, 0.0
    new = None
    if action.kind == "Put":
        new = action.value
    elif action.kind == "Update":
        try:
            new = apply_update(action.update, old or action.value, old is not None)
        except AwsError as e:
            return {"Code": "ValidationError", "Message": e.message}, None, None, 0.0
        if values.item_size(new) > values.MAX_ITEM_SIZE:
            return {"Code": "ValidationError", "Message": UPDATE_TOO_LARGE}, None, None, 0.0
        if values.too_deep(new):  # a cancellation reason, as the model's list of them says
            return ({"Code": "ValidationError", "Message": errors.too_deeply_nested().message},
                    None, None, 0.0)
        reason = _index_key_reason(action, new)
        if reason is not None:
            return reason, None, None, 0.0
        if old is None and only_deletes(action.update):
            new = None  # as UpdateItem: nothing to take away, no item created (inferred)
    if action.kind != "ConditionCheck" and item_collections.would_exceed(
            svc.store, action.table, action.storage_key, old, new):
        # the cancellation reason for a 10 GB item collection (botocore TransactionCanceledException
        # docs: "Code: ItemCollectionSizeLimitExceeded, Message: Collection size exceeded.");
        # each action is judged on the stored state, as the conditions are
        return ({"Code": "ItemCollectionSizeLimitExceeded", "Message": item_collections.MESSAGE},
                None, None, 0.0)
    new_size = values.item_size(new) if new is not None else 0
    after = old if action.kind == "ConditionCheck" else new  # a check changes no index
    cost = write_cost(action.table, action.storage_key, old, after,
                      transact_write_units(max(old_size, new_size)), TRANSACTION_FACTOR)
    replay = TRANSACTION_FACTOR * read_units(new_size if new is not None else old_size, True)
    return NONE_REASON, new, cost, replay


def _replay(svc, caller: Caller, request: dict, record: dict) -> dict:
    """Same token, same request, within the window: nothing is applied again."""
    usage = Usage(svc.limiter, svc.meter, svc.clock, caller, "read", "TransactWriteItems")
    for name, units in record["replay_units"].items():
        table = svc.tables.get(caller.scope, name)
        if table is not None:
            usage.consume(table, units)
    usage.settle()
    out: dict = {}
    capacity = consumed_capacity_list(request.get("ReturnConsumedCapacity"),
                                      record["replay_units"], "ReadCapacityUnits")
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out


def handle(svc, caller: Caller, request: dict) -> dict:
    actions = _check_actions(svc, request["TransactItems"])
    token = request.get("ClientRequestToken")
    request_fingerprint = fingerprint(request)
    if token is not None:
        record = svc.transaction_tokens.find(caller.scope, token)
        if record is not None:
            if record["fingerprint"] != request_fingerprint:
                raise errors.idempotent_parameter_mismatch()
            return _replay(svc, caller, request, record)

    key_reasons = _locate_items(svc, caller, actions)
    usage = Usage(svc.limiter, svc.meter, svc.clock, caller, "write", "TransactWriteItems")
    _cancel_if_throttled(usage, actions)
    plan = _evaluate_all(svc, actions, key_reasons)
    _cancel_if_indexes_throttled(usage, plan.writes)

    _apply(svc, caller, plan, token, request_fingerprint)
    for action, _, cost in plan.writes:
        usage.consume_write(action.table, cost, _pk(action))
    usage.settle()
    out: dict = {}
    capacity = consumed_write_capacity_list(request.get("ReturnConsumedCapacity"),
                                            plan.costs_by_table, "WriteCapacityUnits")
    if capacity:
        out["ConsumedCapacity"] = capacity
    collections = item_collections.PerTable(request)
    for action, _, _ in plan.writes:
        if action.kind in ("Put", "Update", "Delete"):
            collections.add(action.table, action.table_name, action.value)
    out.update(collections.output(svc.store))
    return out


# -- the steps of handle, in order ----------------------------------------------------------------
def _check_actions(svc, entries: list) -> list[Action]:
    """Everything the request alone tells: each action's members and expressions, then the
    4 MB total."""
    actions = [_check_action(svc, entry) for entry in entries]
    if sum(values.item_size(a.value) for a in actions) > MAX_TRANSACTION_BYTES:
        raise errors.transaction_too_large()
    return actions


def _locate_items(svc, caller: Caller, actions: list[Action]) -> list[Optional[dict]]:
    """The tables (all must exist), each action's storage key or its cancellation reason, and
    no item named twice."""
    tables = require_tables(svc.tables, caller.scope, [a.table_name for a in actions])
    for action in actions:
        action.table = tables[action.table_name]
    key_reasons = [_key_reason(a) for a in actions]
    seen = set()
    for action in actions:
        if action.storage_key is not None:
            target = (action.table.id, action.storage_key)
            if target in seen:
                raise errors.transaction_multiple_operations()
            seen.add(target)
    return key_reasons


def _pk(action: Action) -> Optional[bytes]:
    """The partition bytes of the action's item (its table partition), when its key is valid."""
    return action.storage_key[0] if action.storage_key is not None else None


def _cancel_if_throttled(usage: Usage, actions: list[Action]) -> None:
    """A table out of write capacity, or the partition of an action's item out of its
    per-second maximum (capacity/partitions.py, as for PutItem), cancels the transaction
    (spec 2.1.7)."""
    throttled = {a.table.id for a in actions if not usage.admits(a.table, _pk(a))}
    if throttled:
        usage.settle(any_throttled_counts=True)
        raise errors.transaction_canceled([
            errors.throttled_reason(a.table.on_demand)
            if a.table.id in throttled else NONE_REASON for a in actions])


@dataclass
class Plan:
    """What the transaction will write, decided on the state before it."""
    writes: list           # (action, item to write or None, WriteCost)
    costs_by_table: dict   # table name -> WriteCost
    replay_by_table: dict  # table name -> read units a replay reports


def _evaluate_all(svc, actions: list[Action], key_reasons: list) -> Plan:
    """Every action against the stored state; any reason but None cancels the transaction.

    A key that does not fit its table's schema is found before any action runs: the first such
    action alone reports its ValidationError and every other action `None`, even one whose
    condition would fail or whose key is wrong too (scylladb test/alternator/test_transact.py::
    test_transact_write_cancellation_reasons_validationerror, run against AWS)."""
    first = next((i for i, r in enumerate(key_reasons) if r is not None), None)
    if first is not None:
        raise errors.transaction_canceled([key_reasons[first] if i == first else NONE_REASON
                                           for i in range(len(actions))])
    reasons, plan = [], Plan([], {}, {})
    for action in actions:
        reason, new, cost, replay = _evaluate(svc, action)
        reasons.append(reason)
        plan.writes.append((action, new, cost))
        if cost is not None:
            plan.costs_by_table.setdefault(action.table_name, WriteCost(0.0)).add(cost)
        plan.replay_by_table[action.table_name] = \
            plan.replay_by_table.get(action.table_name, 0.0) + replay
    if any(r is not NONE_REASON for r in reasons):
        raise errors.transaction_canceled(reasons)
    return plan


def _cancel_if_indexes_throttled(usage: Usage, writes: list) -> None:
    """GSI back-pressure (spec 2.1.5, 2.1.7): an action whose GSIs lack write capacity cancels
    the transaction with the GSI variant of the throughput message."""
    gsi_blocked = [not usage.admits_indexes(a.table, cost.gsis, cost.gsi_pks)
                   for a, _, cost in writes]
    if any(gsi_blocked):
        usage.settle(any_throttled_counts=True)
        raise errors.transaction_canceled([
            errors.throttled_reason(a.table.on_demand, index=True)
            if blocked else NONE_REASON for (a, _, _), blocked in zip(writes, gsi_blocked)])


def _apply(svc, caller: Caller, plan: Plan, token: Optional[str],
           request_fingerprint: str) -> None:
    """All writes in one store transaction, with the idempotency token (transactions.py)."""
    with svc.store.transaction():
        for action, new, _ in plan.writes:
            if action.kind == "Delete":
                items.remove(svc.store, action.table, action.storage_key, changes=svc.changes)
            elif new is not None:
                items.save(svc.store, action.table, action.storage_key, new, changes=svc.changes)
        if token is not None:
            svc.transaction_tokens.remember(caller.scope, token, request_fingerprint,
                                            plan.replay_by_table)
