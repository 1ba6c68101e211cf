"""ListTagsOfResource: a table's tags. A table holds at most 50 tags and AWS returns them all in one
page without NextToken (live probe DDB-TABLE-108), so NextToken is accepted and never returned
(rules and messages: tags.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    return {"Tags": svc.tags.list_tags(caller, request["ResourceArn"])}
