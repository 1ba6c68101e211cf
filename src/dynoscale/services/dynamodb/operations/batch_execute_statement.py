"""BatchExecuteStatement: up to 25 PartiQL reads or writes, each with its own result
(partiql/batch.py)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb.partiql import batch


def handle(svc, caller: Caller, request: dict) -> dict:
    return batch.execute(svc, caller, request)
