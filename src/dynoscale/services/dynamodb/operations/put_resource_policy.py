"""PutResourcePolicy: attach (or replace) the resource-based policy of a table or stream (rules
and messages: resource_policies.py). ConfirmRemoveSelfResourceAccess is read by the self-lockout
check under `--auth enforce` (access.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    revision = svc.resource_policies.put(caller, request["ResourceArn"], request["Policy"],
                                         request.get("ExpectedRevisionId"))
    return {"RevisionId": revision}
