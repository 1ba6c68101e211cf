"""ListTagsForResource (spec 1.11): `{"Tags": {k: v}}` of a scalable target."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import errors


def handle(svc, caller: Caller, request: dict) -> dict:
    arn = request["ResourceARN"]
    target = svc.records.target_by_arn(caller.scope, arn)
    if target is None:
        raise errors.resource_not_found(arn)
    return {"Tags": dict(target.get("Tags") or {})}
