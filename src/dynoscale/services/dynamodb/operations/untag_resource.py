"""UntagResource: remove tags by key from a table named by its ARN; absent keys are a no-op
(rules and messages: tags.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    svc.tags.untag_resource(caller, request["ResourceArn"], request["TagKeys"])
    return {}
