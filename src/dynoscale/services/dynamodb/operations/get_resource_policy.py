"""GetResourcePolicy: the policy of a table or stream, canonicalised as AWS returns it, and its
RevisionId (resource_policies.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    return svc.resource_policies.get(caller, request["ResourceArn"])
