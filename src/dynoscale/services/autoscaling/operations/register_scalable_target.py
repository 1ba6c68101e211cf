"""RegisterScalableTarget: create or update a scalable target (spec 1.4).

Order of checks: namespace/dimension/resource-id compatibility (1.3.4); on create, Min and Max
both present (1.4.2); Min <= Max after merging with the stored values (1.4.4); Tags only on
create (1.4.6); the DynamoDB table (or GSI) exists (1.4.5). Then the service-linked role is
ensured and reported as RoleARN whatever was passed (1.4.7-1.4.9), the target is stored with a
stable ScalableTargetARN (1.4.10), and if the current capacity lies outside [min, max] it is
changed into the range with an activity caused by `minimum capacity was set to N` /
`maximum capacity was set to N` (1.4.3, 3.4).
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import errors, targets_and_policies, resources

_SUSPENDED_FLAGS = targets_and_policies.SUSPENDED_FLAGS


def handle(svc, caller: Caller, request: dict) -> dict:
    namespace, resource_id = request["ServiceNamespace"], request["ResourceId"]
    dimension = request["ScalableDimension"]
    resource = resources.parse(namespace, resource_id, dimension)
    existing = svc.records.get_target(caller.scope, namespace, resource_id, dimension)
    if existing is None and (request.get("MinCapacity") is None
                             or request.get("MaxCapacity") is None):
        raise errors.capacity_required_on_create()
    low = request.get("MinCapacity", existing["MinCapacity"] if existing else None)
    high = request.get("MaxCapacity", existing["MaxCapacity"] if existing else None)
    if low > high:
        raise errors.min_above_max()
    if existing is not None and request.get("Tags"):
        raise errors.tags_on_existing_target()
    role_arn = svc.service_linked_role(caller.account_id)
    slr_caller = Caller(caller.account_id, caller.region, caller.request_id,
                        principal_arn=role_arn)
    capacity = resources.read_capacity(svc.dynamodb, slr_caller, resource)

    with svc.store.transaction():
        target = existing or {
            "ServiceNamespace": namespace, "ResourceId": resource_id,
            "ScalableDimension": dimension, "CreationTime": round(svc.clock.now(), 3),
            "ScalableTargetARN": targets_and_policies.new_target_arn(caller.region,
                                                                     caller.account_id),
            "SuspendedState": {f: False for f in _SUSPENDED_FLAGS},
            "Tags": dict(request.get("Tags") or {}),
            "seq": svc.records.next_seq(caller.scope, "target"),
        }
        target.update(MinCapacity=low, MaxCapacity=high, RoleARN=role_arn)
        # Omitted flags keep their values (spec 1.4.2: omitted parameters are unchanged).
        for flag, value in (request.get("SuspendedState") or {}).items():
            target["SuspendedState"][flag] = bool(value)
        svc.records.put_target(caller.scope, target)

    # Spec 1.4.3: clamp whenever the capacity is outside the range, even on an update that
    # omits Min/Max.
    svc.scaler.clamp_into_range(caller.scope, slr_caller, target, resource, capacity.units)
    return {"ScalableTargetARN": target["ScalableTargetARN"]}
