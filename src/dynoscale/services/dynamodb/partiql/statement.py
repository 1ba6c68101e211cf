"""ExecuteStatement: one PartiQL statement, read or write.

Order of checks (AWS answers statement errors before it looks a table up; dynamodb-conformance
partiqlGrammar "WHERE at the end, on a table that does not exist" is a syntax error): the
Parameters (numbers, nesting), the parse (cached by text), the parameter count and everything
else plan.prepare checks, then the table (`Requested resource not found`), then the plan's
table-dependent checks and the read or write itself.
"""

from __future__ import annotations

from dynoscale.services.dynamodb import errors, keys
from dynoscale.services.dynamodb.partiql import messages as m
from dynoscale.services.dynamodb.partiql import reads, tokens, writes
from dynoscale.services.dynamodb.partiql.plan import Read, Write, prepare
from dynoscale.services.dynamodb.partiql.values import check_parameters


def prepared(svc, statement: str, parameters):
    """(plan, validated parameters) of one statement."""
    params = check_parameters(parameters)
    return prepare(svc.statement_cache.parse(statement), params), params


def run(svc, caller, plan, params: list, request: dict) -> dict:
    """Run a prepared statement; the ExecuteStatement output."""
    if isinstance(plan, Read):
        fingerprint = tokens.fingerprint(request["Statement"], params)
        return reads.execute(svc.tables, svc.store, svc.limiter, caller, plan, request,
                             fingerprint)
    assert isinstance(plan, Write)
    if plan.kind == "exists":
        raise errors.validation(m.EXISTS_OUTSIDE_TRANSACTION)
    table = svc.tables.require_usable(caller.scope, plan.table)
    return writes.execute(svc, caller, plan, plan.table, keys.KeySchema.of(table), request)


def execute(svc, caller, request: dict) -> dict:
    plan, params = prepared(svc, request["Statement"], request.get("Parameters"))
    return run(svc, caller, plan, params, request)
