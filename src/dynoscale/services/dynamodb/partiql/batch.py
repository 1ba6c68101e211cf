"""BatchExecuteStatement: up to 25 statements, all reads or all writes, each with its own result.

Facts (dynamodb-conformance tests/tier2/partiql/batchExecuteStatement.test.ts and
executeStatementIndex.test.ts, pinned against AWS, unless noted):
- the batch answers 200 even when statements fail: each failure is `Error {Code, Message}` in its
  slot, Code from BatchStatementErrorCodeEnum (a malformed statement and every validation error:
  `ValidationError`, with the text ExecuteStatement would give; `ResourceNotFound`,
  `ConditionalCheckFailed`, `DuplicateItem`, `ProvisionedThroughputExceeded`, ...); a slot names
  its TableName when the statement reached its table (a failed condition, a duplicate insert),
  not when it was refused before (a parse or key error, an unknown table);
- reads and writes may not be mixed ([DDBL] BatchExecuteStatementFunction: `Read and write
  requests together in the same batch is not supported.`, a request-level error); statements
  that do not parse are left out of that decision, as there;
- a read names the whole primary key of a table with `=` (`Select statements within
  BatchExecuteStatement must specify the primary key in the where clause.`, also for any index);
  it is a GetItem of that key, charged as one (ConsistentRead per statement: 0.5 or 1 unit per
  4 KB), the rest of its WHERE filtering the item; a missing item leaves the slot without Item;
- a write runs as ExecuteStatement's does (writes.py), RETURNING honoured (its item is the
  slot's Item); ReturnValuesOnConditionCheckFailure returns nothing in a batch;
- ConsumedCapacity: one entry per table, as BatchGetItem/BatchWriteItem report it, including
  what writes that failed their condition consumed (inferred: AWS charges a failed condition,
  spec 1.3.10, and the batch reports what it consumed).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors, items, keys, values
from dynoscale.services.dynamodb.batches import Usage
from dynoscale.services.dynamodb.capacity.units import consumed_capacity_list, read_units
from dynoscale.services.dynamodb.expr.evaluate import evaluate
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.partiql import ast, keyed, reads, writes
from dynoscale.services.dynamodb.partiql import messages as m
from dynoscale.services.dynamodb.partiql.plan import Read, prepare
from dynoscale.services.dynamodb.partiql.values import check_parameters

_UNSUPPORTED = "Invalid operation. Only select, insert, update and delete operations are valid"


def slot_error(error: AwsError, table_name: Optional[str] = None) -> dict:
    slot: dict = {"Error": {"Code": m.BATCH_CODES.get(error.code, "InternalServerError"),
                            "Message": error.message}}
    if table_name is not None:
        slot["TableName"] = table_name
    return slot


def _parse(svc, member: dict):
    """(is_read, parsed) of a member, or an AwsError to put in its slot."""
    try:
        parsed = svc.statement_cache.parse(member["Statement"])
    except AwsError as error:
        return error
    statement = parsed.statement
    if isinstance(statement, ast.Exists):
        return errors.validation(m.EXISTS_OUTSIDE_TRANSACTION)
    if isinstance(statement, ast.ExprStatement):
        return errors.validation(_UNSUPPORTED)
    return isinstance(statement, ast.Select), parsed


def execute(svc, caller, request: dict) -> dict:
    members = request["Statements"]
    parsed = [_parse(svc, member) for member in members]
    kinds = {p[0] for p in parsed if not isinstance(p, AwsError)}
    if len(kinds) > 1:
        raise errors.validation(m.BATCH_MIXED)
    reading_batch = kinds == {True}
    slots: list = [None] * len(members)
    plans: list = [None] * len(members)
    for i, (member, p) in enumerate(zip(members, parsed)):
        if isinstance(p, AwsError):
            slots[i] = slot_error(p)
            continue
        try:
            params = check_parameters(member.get("Parameters"))
            plans[i] = prepare(p[1], params)
        except AwsError as error:
            slots[i] = slot_error(error)
    mode = request.get("ReturnConsumedCapacity")
    if reading_batch:
        capacity = _reads(svc, caller, members, plans, slots, mode)
    else:
        capacity = _writes(svc, caller, members, plans, slots, mode)
    out: dict = {"Responses": slots}
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out


# -- reads ---------------------------------------------------------------------------------------
def _get(svc, caller, plan: Read):
    """(table, storage key, remaining condition) of a batch read, or raises its slot's error."""
    if plan.index is not None:
        raise errors.validation(m.BATCH_SELECT_KEY)
    table = svc.tables.require_usable(caller.scope, plan.table)
    schema = keys.KeySchema.of(table)
    try:
        extracted = keyed.for_item(plan.where, schema.names)
    except AwsError:
        raise errors.validation(m.BATCH_SELECT_KEY)
    keyed.check_key_types(extracted.conditions, schema.typed())
    return table, keys.storage_key(schema, extracted.conditions), extracted.rest


def _reads(svc, caller, members, plans, slots, mode) -> Optional[list]:
    usage = Usage(svc.limiter, svc.meter, svc.clock, caller, "read", "BatchExecuteStatement")
    units_by_table: dict = {}
    ran = 0
    for i, plan in enumerate(plans):
        if plan is None:
            continue
        try:
            table, storage_key, rest = _get(svc, caller, plan)
        except AwsError as error:
            slots[i] = slot_error(error)
            continue
        if not usage.admits(table, storage_key[0]):  # the table's and the item's partition
            # an on-demand table's throttle is a ThrottlingException (errors.on_demand_scaling):
            # its BatchStatementError code is ThrottlingError (inferred from the MODEL's
            # BatchStatementErrorCodeEnum, as TransactionCanceledException's reasons)
            throttled = (errors.on_demand_scaling([]) if table.on_demand
                         else errors.throughput_exceeded())
            slots[i] = slot_error(throttled, plan.table)
            continue
        ran += 1
        item = items.load(svc.store, table, storage_key)
        units = read_units(values.item_size(item) if item else 0,
                           bool(members[i].get("ConsistentRead")))
        usage.consume(table, units, pk=storage_key[0])
        units_by_table[plan.table] = units_by_table.get(plan.table, 0.0) + units
        slot: dict = {"TableName": plan.table}
        if item is not None and (rest is None or
                                 evaluate(t.ConditionTree("FilterExpression", rest), item)):
            slot["Item"] = item if plan.paths is None else reads.shape(item, plan.paths)
        slots[i] = slot
    usage.settle(every_item_throttled=ran == 0 and bool(usage.throttled))
    return consumed_capacity_list(mode, units_by_table)


# -- writes --------------------------------------------------------------------------------------
def _writes(svc, caller, members, plans, slots, mode) -> Optional[list]:
    totals: dict = {}
    for i, plan in enumerate(plans):
        if plan is None:
            continue
        try:
            table = svc.tables.require_usable(caller.scope, plan.table)
            body = writes.operation_request(plan, plan.table, keys.KeySchema.of(table),
                                            {"ReturnConsumedCapacity": "INDEXES"})
        except AwsError as error:
            slots[i] = slot_error(error)
            continue
        try:
            result = writes.send(svc, caller, plan, body)
        except AwsError as error:
            slots[i] = slot_error(error, plan.table)
            if isinstance(error, errors.ChargedError):  # a failed condition is charged too
                _add(totals, plan.table, error.charged)
            continue
        slot: dict = {"TableName": plan.table}
        if result["Items"]:
            slot["Item"] = result["Items"][0]
        slots[i] = slot
        _add(totals, plan.table, result["ConsumedCapacity"])
    if mode not in ("TOTAL", "INDEXES"):
        return None
    out = []
    for name, total in totals.items():
        entry = {"TableName": name, "CapacityUnits": total["CapacityUnits"]}
        if mode == "INDEXES":
            entry.update({k: v for k, v in total.items() if k not in ("TableName", "CapacityUnits")})
        out.append(entry)
    return out


def _add(totals: dict, name: str, capacity: dict) -> None:
    """Sum an INDEXES-shaped ConsumedCapacity into the table's total."""
    total = totals.setdefault(name, {"CapacityUnits": 0.0, "Table": {"CapacityUnits": 0.0}})
    total["CapacityUnits"] += capacity["CapacityUnits"]
    total["Table"]["CapacityUnits"] += capacity["Table"]["CapacityUnits"]
    for member in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
        for index, units in capacity.get(member, {}).items():
            into = total.setdefault(member, {}).setdefault(index, {"CapacityUnits": 0.0})
            into["CapacityUnits"] += units["CapacityUnits"]
