"""UpdateTimeToLive: enable or disable TTL on a table (rules, messages and timing: ttl.py).

A missing table, or one still CREATING, answers ResourceNotFoundException naming it (live probes
saw ResourceNotFound during the first seconds of CREATING); a DELETING table is still accepted.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors


def handle(svc, caller: Caller, request: dict) -> dict:
    table = svc.tables.require(caller.scope, request["TableName"])
    if table.status == "CREATING":
        raise errors.table_not_found(table.name)
    spec = svc.ttl.update(caller.scope, table, request["TimeToLiveSpecification"])
    return {"TimeToLiveSpecification": spec}
