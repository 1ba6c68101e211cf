"""TagResource: add or overwrite tags on a table named by its ARN (rules and messages: tags.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    svc.tags.tag_resource(caller, request["ResourceArn"], request["Tags"])
    return {}
