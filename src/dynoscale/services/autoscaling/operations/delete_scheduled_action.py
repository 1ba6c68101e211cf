"""DeleteScheduledAction (spec 1.10.4): unknown action -> ObjectNotFoundException (declared;
text by analogy with DeleteScalingPolicy's `No scaling policy found for ...`, spec 1.9.2)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import errors


def handle(svc, caller: Caller, request: dict) -> dict:
    namespace, resource_id = request["ServiceNamespace"], request["ResourceId"]
    dimension, name = request["ScalableDimension"], request["ScheduledActionName"]
    action = svc.scheduled.get(caller.scope, namespace, resource_id, dimension, name)
    if action is None:
        raise errors.scheduled_action_not_found(namespace, resource_id, dimension, name)
    svc.scheduled.delete(caller.scope, action)
    return {}
