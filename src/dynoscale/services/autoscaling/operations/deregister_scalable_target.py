"""DeregisterScalableTarget (spec 1.6): removes the target and all its scaling policies, whose
target tracking alarms go with them (spec 1.6.3, 2.2.8), and its scheduled actions
(spec 1.6.1). Activities stay (spec 3.7).
Unknown target: ObjectNotFoundException `No scalable target found for ...` (spec 1.6.2)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import errors


def handle(svc, caller: Caller, request: dict) -> dict:
    namespace, resource_id = request["ServiceNamespace"], request["ResourceId"]
    dimension = request["ScalableDimension"]
    target = svc.records.get_target(caller.scope, namespace, resource_id, dimension)
    if target is None:
        raise errors.target_not_found(namespace, resource_id, dimension)
    with svc.store.transaction():
        for policy in svc.records.policies_of_target(caller.scope, target):
            svc.alarms.delete(caller, policy)
            svc.records.delete_policy(caller.scope, policy)
        svc.scheduled.delete_of_target(caller.scope, target)
        svc.records.delete_target(caller.scope, target)
    return {}
