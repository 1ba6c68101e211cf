"""UntagResource (spec 1.11): removes the named tag keys (absent keys are ignored)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import errors


def handle(svc, caller: Caller, request: dict) -> dict:
    arn = request["ResourceARN"]
    target = svc.records.target_by_arn(caller.scope, arn)
    if target is None:
        raise errors.resource_not_found(arn)
    target["Tags"] = {k: v for k, v in (target.get("Tags") or {}).items()
                      if k not in set(request["TagKeys"])}
    svc.records.put_target(caller.scope, target)
    return {}
