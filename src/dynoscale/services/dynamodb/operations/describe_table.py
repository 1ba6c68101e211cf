"""DescribeTable: the stored table rendered as AWS's TableDescription (tables.describe).

Missing table: ResourceNotFoundException `Requested resource not found: Table: <name> not found`
(dynalite db/index.js getTable without status check).
"""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    return {"Table": svc.tables.describe(svc.tables.require(caller.scope, request["TableName"]))}
