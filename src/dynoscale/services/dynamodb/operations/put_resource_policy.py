"""PutResourcePolicy: attach (or replace) the resource-based policy of a table or stream (rules
and messages: resource_policies.py). ConfirmRemoveSelfResourceAccess is accepted and not
needed: the self-lockout check is not emulated."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    revision = svc.resource_policies.put(caller, request["ResourceArn"], request["Policy"],
                                         request.get("ExpectedRevisionId"))
    return {"RevisionId": revision}
