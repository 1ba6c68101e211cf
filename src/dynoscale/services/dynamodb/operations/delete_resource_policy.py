"""DeleteResourcePolicy: remove the policy of a table or stream; idempotent unless
ExpectedRevisionId is given (resource_policies.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    return svc.resource_policies.delete(caller, request["ResourceArn"],
                                        request.get("ExpectedRevisionId"))
