"""ListTagsForResource: the tags of a metric or composite alarm; `Tags` is always present, empty
for an untagged alarm (aws/aws-cli#5289 shows the output shape; rules in tags.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    return {"Tags": svc.tags.list(caller, request["ResourceARN"])}
