"""AWS operation name -> handler. Not implemented (answered by the server as unknown
operations): GetPredictiveScalingForecast."""

from dynoscale.services.autoscaling.operations import (
    delete_scaling_policy, deregister_scalable_target, describe_scalable_targets,
    describe_scaling_activities, describe_scaling_policies, list_tags_for_resource,
    put_scaling_policy, register_scalable_target, tag_resource, untag_resource)
from dynoscale.services.autoscaling.operations import (
    delete_scheduled_action, describe_scheduled_actions, put_scheduled_action)

OPERATIONS = {
    "RegisterScalableTarget": register_scalable_target.handle,
    "DescribeScalableTargets": describe_scalable_targets.handle,
    "DeregisterScalableTarget": deregister_scalable_target.handle,
    "PutScalingPolicy": put_scaling_policy.handle,
    "DescribeScalingPolicies": describe_scaling_policies.handle,
    "DeleteScalingPolicy": delete_scaling_policy.handle,
    "DescribeScalingActivities": describe_scaling_activities.handle,
    "TagResource": tag_resource.handle,
    "UntagResource": untag_resource.handle,
    "ListTagsForResource": list_tags_for_resource.handle,
    "PutScheduledAction": put_scheduled_action.handle,
    "DescribeScheduledActions": describe_scheduled_actions.handle,
    "DeleteScheduledAction": delete_scheduled_action.handle,
}
