"""TagResource: add or overwrite tags on a table named by its ARN (rules and messages: tags.py)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import tags


def handle(svc, caller: Caller, request: dict) -> dict:
    tags.tag_resource(svc, caller, request["ResourceArn"], request["Tags"])
    return {}
