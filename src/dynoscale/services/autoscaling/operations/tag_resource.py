"""TagResource (spec 1.11): adds or overwrites tags of a scalable target, found by its ARN.
Unknown ARN: ResourceNotFoundException with ResourceName; more than 50 tags:
TooManyTagsException (AAS quotas)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import errors

MAX_TAGS = 50


def handle(svc, caller: Caller, request: dict) -> dict:
    arn = request["ResourceARN"]
    target = svc.records.target_by_arn(caller.scope, arn)
    if target is None:
        raise errors.resource_not_found(arn)
    tags = dict(target.get("Tags") or {})
    tags.update(request["Tags"])
    if len(tags) > MAX_TAGS:
        raise errors.too_many_tags(arn)
    target["Tags"] = tags
    svc.records.put_target(caller.scope, target)
    return {}
