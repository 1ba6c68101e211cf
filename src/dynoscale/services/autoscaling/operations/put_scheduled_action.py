"""PutScheduledAction (spec 1.10.1, 4.3-4.5): create or update a scheduled action by name per
target.

Order of checks: namespace/dimension/resource id (1.3.4); the target is registered
(ObjectNotFoundException `No scalable target registered for ...`, as PutScalingPolicy, 1.7.2);
on create a Schedule is required (model doc; text inferred); the expression parses
(`Invalid schedule expression. Details: ...`); the Timezone is an IANA name; StartTime before
EndTime (text inferred); Min <= Max when both are given (text as RegisterScalableTarget's);
on create at least one of Min/Max (observed: aws-cloudformation/community-registry-extensions
#255 `At least one of minimum capacity and maximum capacity should be provided`).
On update omitted StartTime/EndTime are cleared; other omitted members are kept.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import (errors, resources, schedule_expressions,
                                            scheduled_actions)

PER_TARGET_LIMIT = 200  # AAS quotas (spec 1.10.4)


def handle(svc, caller: Caller, request: dict) -> dict:
    namespace, resource_id = request["ServiceNamespace"], request["ResourceId"]
    dimension, name = request["ScalableDimension"], request["ScheduledActionName"]
    resources.parse(namespace, resource_id, dimension)
    target = svc.records.get_target(caller.scope, namespace, resource_id, dimension)
    if target is None:
        raise errors.target_not_registered(namespace, resource_id, dimension)
    existing = svc.scheduled.get(caller.scope, namespace, resource_id, dimension, name)
    expression = request.get("Schedule") or (existing or {}).get("Schedule")
    if not expression:
        raise errors.validation("Schedule is required when creating a scheduled action")
    schedule_expressions.parse(expression)
    timezone = request.get("Timezone", (existing or {}).get("Timezone"))
    schedule_expressions.zone(timezone)
    start, end = request.get("StartTime"), request.get("EndTime")
    if start is not None and end is not None and start >= end:
        raise errors.validation("StartTime must be before EndTime")
    wanted = request.get("ScalableTargetAction")
    if wanted is None:
        wanted = (existing or {}).get("ScalableTargetAction") or {}
    wanted = {k: wanted[k] for k in ("MinCapacity", "MaxCapacity") if wanted.get(k) is not None}
    if not wanted:
        raise errors.validation("At least one of minimum capacity and maximum capacity should "
                                "be provided")
    if wanted.get("MinCapacity", 0) > wanted.get("MaxCapacity", wanted.get("MinCapacity", 0)):
        raise errors.min_above_max()
    if existing is None and len(svc.scheduled.of_target(caller.scope, target)) >= PER_TARGET_LIMIT:
        raise errors.too_many_scheduled_actions(PER_TARGET_LIMIT)

    now = svc.clock.now()
    with svc.store.transaction():
        action = existing or {
            "ScheduledActionName": name, "ServiceNamespace": namespace, "ResourceId": resource_id,
            "ScalableDimension": dimension, "CreationTime": round(now, 3),
            "ScheduledActionARN": scheduled_actions.action_arn(caller.region, caller.account_id,
                                                               target, name),
            "seq": svc.records.next_seq(caller.scope, "scheduled"),
        }
        action.update(Schedule=expression, Timezone=timezone, StartTime=start, EndTime=end,
                      ScalableTargetAction=wanted, anchor=now, last_run=None)
        svc.scheduled.put(caller.scope, action)
    return {}
