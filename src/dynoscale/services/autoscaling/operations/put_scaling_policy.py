"""PutScalingPolicy for DynamoDB target tracking (spec 1.7, 2.2).

Order of checks: namespace/dimension/resource-id compatibility (1.3.4); the target is registered
(ObjectNotFoundException `No scalable target registered for ...`, 1.7.2); PolicyType present on
create and not StepScaling/PredictiveScaling for dynamodb (1.3.9, 4.1); the target tracking
configuration present with exactly one metric specification (1.7.8), a DynamoDB predefined
metric (1.3.8); a TargetValue AWS accepts (target_tracking.target_value_problem: any positive
value up to 2^360; the guide's 20-90 % is the console's rule); no other TT policy of the target
with the same metric specification (1.7.3).

Create-or-update by (namespace, resource id, dimension, name): an update keeps the PolicyARN,
the alarm names and the alarm action (1.7.6, 2.2.6) and re-puts the alarms with the new
configuration. Alarms are created through the CloudWatch port for the current provisioned
capacity (target_tracking.py has the table of their parameters).
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import errors, targets_and_policies, resources, target_tracking
from dynoscale.services.autoscaling.alarms import alarm_list

TARGET_TRACKING = "TargetTrackingScaling"


def handle(svc, caller: Caller, request: dict) -> dict:
    namespace, resource_id = request["ServiceNamespace"], request["ResourceId"]
    dimension, name = request["ScalableDimension"], request["PolicyName"]
    resource = resources.parse(namespace, resource_id, dimension)
    target = svc.records.get_target(caller.scope, namespace, resource_id, dimension)
    if target is None:
        raise errors.target_not_registered(namespace, resource_id, dimension)
    existing = svc.records.get_policy(caller.scope, namespace, resource_id, dimension, name)
    policy_type = request.get("PolicyType") or (existing or {}).get("PolicyType")
    if policy_type is None:
        raise errors.policy_type_required()
    if policy_type != TARGET_TRACKING:
        raise errors.policy_type_unsupported(policy_type, namespace)
    config = request.get("TargetTrackingScalingPolicyConfiguration")
    if config is None:
        raise errors.tt_configuration_required()
    predefined = config.get("PredefinedMetricSpecification")
    customized = config.get("CustomizedMetricSpecification")
    if (predefined is None) == (customized is None):
        raise errors.metric_specification_required()
    if customized is not None:
        raise errors.customized_metric_unsupported()
    metric_type = predefined["PredefinedMetricType"]
    direction = target_tracking.METRIC_DIRECTIONS.get(metric_type)
    if direction is None:
        raise errors.metric_type_unsupported(metric_type, dimension)
    problem = target_tracking.target_value_problem(config["TargetValue"])
    if problem == "range":
        raise errors.target_value_out_of_range()
    if problem == "not_positive":
        raise errors.target_value_not_positive(metric_type)
    for other in svc.records.policies_of_target(caller.scope, target):
        if other["PolicyName"] != name and other.get("PolicyType") == TARGET_TRACKING and \
                other["TargetTrackingScalingPolicyConfiguration"].get(
                    "PredefinedMetricSpecification") == predefined:
            raise errors.duplicate_metric_policy()
    capacity = resources.read_capacity(
        svc.dynamodb, Caller(caller.account_id, caller.region, caller.request_id,
                             principal_arn=target["RoleARN"]),
        resources.Resource(resource.resource_id, resource.table, resource.index, direction))

    policy = existing or {
        "PolicyARN": targets_and_policies.new_policy_arn(caller.region, caller.account_id,
                                                         namespace, resource_id, name),
        "PolicyName": name, "ServiceNamespace": namespace, "ResourceId": resource_id,
        "ScalableDimension": dimension, "CreationTime": round(svc.clock.now(), 3),
        "alarm_names": target_tracking.new_alarm_names(resource_id),
        "seq": svc.records.next_seq(caller.scope, "policy"),
    }
    policy.setdefault("action_arn", target_tracking.new_action_arn(policy["PolicyARN"]))
    # Echo only what was sent (spec 1.7.9, inferred).
    policy.update(PolicyType=TARGET_TRACKING, TargetTrackingScalingPolicyConfiguration=dict(config),
                  metric_direction=direction, Alarms=alarm_list(caller, policy["alarm_names"]))
    alarm_resource = resources.Resource(resource.resource_id, resource.table, resource.index,
                                        direction)
    with svc.store.transaction():
        svc.alarms.put(caller, policy, alarm_resource, capacity.units)
        svc.records.put_policy(caller.scope, policy)
    return {"PolicyARN": policy["PolicyARN"], "Alarms": policy["Alarms"]}
