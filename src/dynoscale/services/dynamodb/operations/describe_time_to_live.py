"""DescribeTimeToLive: a table's TTL status and attribute (rules and messages: ttl.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    table = svc.tables.require(caller.scope, request["TableName"])
    return {"TimeToLiveDescription": svc.ttl.describe(caller.scope, table)}
