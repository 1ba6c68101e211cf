"""DeleteScalingPolicy (spec 1.9): deletes the policy and its target tracking alarms (2.2.8).
Unknown policy: ObjectNotFoundException `No scaling policy found for ..., policy name: P`."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import errors


def handle(svc, caller: Caller, request: dict) -> dict:
    namespace, resource_id = request["ServiceNamespace"], request["ResourceId"]
    dimension, name = request["ScalableDimension"], request["PolicyName"]
    policy = svc.records.get_policy(caller.scope, namespace, resource_id, dimension, name)
    if policy is None:
        raise errors.policy_not_found(namespace, resource_id, dimension, name)
    with svc.store.transaction():
        svc.alarms.delete(caller, policy)
        svc.records.delete_policy(caller.scope, policy)
    return {}
