"""ExecuteStatement: one PartiQL statement (partiql/statement.py)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb.partiql import statement


def handle(svc, caller: Caller, request: dict) -> dict:
    return statement.execute(svc, caller, request)
