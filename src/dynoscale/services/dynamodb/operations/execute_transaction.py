"""ExecuteTransaction: up to 100 PartiQL statements as one TransactGetItems or TransactWriteItems
(partiql/transaction.py)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb.partiql import transaction


def handle(svc, caller: Caller, request: dict) -> dict:
    return transaction.execute(svc, caller, request)
