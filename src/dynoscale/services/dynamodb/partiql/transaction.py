"""ExecuteTransaction: up to 100 statements run atomically, as TransactGetItems (all SELECTs) or
TransactWriteItems (INSERT, UPDATE, DELETE and EXISTS condition checks).

The statements become the item API's transaction and run through its handler, so atomicity,
CancellationReasons in statement order, ClientRequestToken idempotency (10 minutes; the same
token with other statements: IdempotentParameterMismatchException; a replay reports the read of
the stored result), transactional capacity (2 units per item) and throttling are exactly
TransactWriteItems' and TransactGetItems' (docs in operations/transact_*.py).

Facts (dynamodb-conformance tests/tier2/partiql/executeTransaction.test.ts and
tests/tier3/error-messages/partiql*.test.ts, pinned against AWS, unless noted): a statement's
own validation error is prefixed `Validation failed in TransactStatements[i]: ` (a malformed
statement, `RETURNING clause is not supported in ExecuteTransaction.`, `Reads on indices are not
supported within transactions.`, `Select statements within ExecuteTransaction must specify the
primary key in the where clause.` — a read names exactly the key, `EXISTS() must contain a single
item read with additional condition`); a parameter's is not (partiqlParameterNumbers); reads and
writes may not be mixed ([DDBL] `ExecuteTransaction API does not support both read and write
operations in the same request.`). An INSERT whose key exists cancels with reason
`ValidationError` / `Duplicate primary key exists in table` ([DDBL] TransactionWriteProcessor's
mapping of the duplicate-item error; AWS was not recorded).
"""

from __future__ import annotations

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors, keys
from dynoscale.services.dynamodb.operations import transact_get_items, transact_write_items
from dynoscale.services.dynamodb.partiql import ast, keyed, reads, writes
from dynoscale.services.dynamodb.partiql import messages as m
from dynoscale.services.dynamodb.partiql.plan import prepare
from dynoscale.services.dynamodb.partiql.render import Placeholders
from dynoscale.services.dynamodb.partiql.values import check_parameters


class _Prefixed:
    """Re-raise a statement's ValidationException with AWS's `Validation failed in
    TransactStatements[i]: ` prefix (other errors pass unchanged)."""

    def __init__(self, index: int):
        self.index = index

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, AwsError) and error.code == "ValidationException":
            raise errors.validation(m.TRANSACTION_PREFIX.format(self.index) + error.message)
        return False


def _is_read(statement) -> bool:
    return isinstance(statement, ast.Select)


def execute(svc, caller, request: dict) -> dict:
    members = request["TransactStatements"]
    parsed, params = [], []
    for i, member in enumerate(members):
        with _Prefixed(i):
            parsed.append(svc.statement_cache.parse(member["Statement"]))
        params.append(check_parameters(member.get("Parameters")))
    kinds = {_is_read(p.statement) for p in parsed}
    if len(kinds) > 1:
        raise errors.validation(m.TRANSACTION_MIXED)
    plans = []
    for i, (p, values) in enumerate(zip(parsed, params)):
        with _Prefixed(i):
            statement = p.statement
            if getattr(statement, "returning", None) is not None:
                raise errors.validation(m.TRANSACTION_RETURNING)
            if isinstance(statement, ast.ExprStatement):
                raise errors.validation(m.TRANSACTION_UNSUPPORTED)
            plans.append(prepare(p, values))
    if kinds == {True}:
        return _reads(svc, caller, request, plans)
    return _writes(svc, caller, request, members, plans)


def _reads(svc, caller, request: dict, plans: list) -> dict:
    gets = []
    for i, plan in enumerate(plans):
        with _Prefixed(i):
            if plan.index is not None:
                raise errors.validation(m.TRANSACTION_INDEX_READ)
            table = svc.tables.require_usable(caller.scope, plan.table)
            schema = keys.KeySchema.of(table)
            try:
                extracted = keyed.for_item(plan.where, schema.names)
            except AwsError:
                raise errors.validation(m.TRANSACTION_SELECT_KEY)
            if extracted.rest is not None or plan.order_by:
                raise errors.validation(m.TRANSACTION_SELECT_KEY)
            gets.append({"Get": {"TableName": plan.table, "Key": dict(extracted.conditions)}})
    body = {"TransactItems": gets}
    if request.get("ReturnConsumedCapacity") is not None:
        body["ReturnConsumedCapacity"] = request["ReturnConsumedCapacity"]
    result = transact_get_items.handle(svc, caller, body)
    responses = []
    for plan, response in zip(plans, result["Responses"]):
        item = response.get("Item")
        if item is not None and plan.paths is not None:
            item = reads.shape(item, plan.paths)
        responses.append({"Item": item} if item is not None else {})
    out: dict = {"Responses": responses}
    if result.get("ConsumedCapacity"):
        out["ConsumedCapacity"] = result["ConsumedCapacity"]
    return out


def _condition_check(plan, table_name: str, schema: keys.KeySchema) -> dict:
    extracted = keyed.for_condition_check(plan.where, schema.names)
    if extracted is None or extracted.rest is None:
        raise errors.validation(m.EXISTS_NEEDS_CONDITION)
    names = Placeholders()
    body = {"TableName": table_name, "Key": dict(extracted.conditions),
            "ConditionExpression": names.condition(extracted.rest)}
    body.update(names.members())
    return body


_ACTIONS = {"insert": "Put", "update": "Update", "delete": "Delete", "exists": "ConditionCheck"}


def _writes(svc, caller, request: dict, members: list, plans: list) -> dict:
    actions = []
    for i, (member, plan) in enumerate(zip(members, plans)):
        with _Prefixed(i):
            table = svc.tables.require_usable(caller.scope, plan.table)
            schema = keys.KeySchema.of(table)
            if plan.kind == "exists":
                body = _condition_check(plan, plan.table, schema)
            else:
                body = writes.item_request(plan, plan.table, schema)
        if member.get("ReturnValuesOnConditionCheckFailure") is not None:
            body["ReturnValuesOnConditionCheckFailure"] = member["ReturnValuesOnConditionCheckFailure"]
        actions.append({_ACTIONS[plan.kind]: body})
    body = {"TransactItems": actions}
    for name in ("ClientRequestToken", "ReturnConsumedCapacity"):
        if request.get(name) is not None:
            body[name] = request[name]
    try:
        result = transact_write_items.handle(svc, caller, body)
    except AwsError as error:
        if error.code != "TransactionCanceledException":
            raise
        reasons = error.extra["CancellationReasons"]
        raise errors.transaction_canceled([
            {"Code": "ValidationError", "Message": m.DUPLICATE_ITEM}
            if plan.kind == "insert" and reason["Code"] == "ConditionalCheckFailed" else reason
            for plan, reason in zip(plans, reasons)])
    # A write transaction answers an empty Responses list, not no member (LocalStack snapshot
    # tests/aws/services/dynamodb/test_dynamodb.snapshot.json::test_dynamodb_execute_transaction,
    # recorded against AWS: two INSERTs -> {"Responses": []}).
    out: dict = {"Responses": []}
    if result.get("ConsumedCapacity"):
        out["ConsumedCapacity"] = result["ConsumedCapacity"]
    return out
