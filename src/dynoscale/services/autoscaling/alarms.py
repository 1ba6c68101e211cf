"""The CloudWatch side of a target tracking policy: create, re-threshold and delete its four
alarms through the CloudWatch port (never over HTTP, never through CloudWatch's internals).

Re-putting an alarm with the same name keeps its state (PutMetricAlarm update semantics, spec
5.2.4), which is how thresholds follow every capacity change (spec 2.2.6).
"""

from __future__ import annotations

from typing import Any

from dynoscale.context import Caller
from dynoscale.services.autoscaling import target_tracking
from dynoscale.services.autoscaling.resources import Resource
from dynoscale.services.cloudwatch.api import CloudWatchApi


class PolicyAlarms:
    def __init__(self, cloudwatch: CloudWatchApi):
        self.cloudwatch = cloudwatch

    def put(self, caller: Caller, policy: dict[str, Any], resource: Resource,
            provisioned: int) -> None:
        """Create or re-threshold the policy's alarms for `provisioned` units."""
        target_value = policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"]
        for kind in target_tracking.ALARM_KINDS:
            self.cloudwatch.put_metric_alarm(caller, target_tracking.alarm_request(
                kind, policy["alarm_names"][kind], policy["action_arn"], policy["metric_direction"],
                resource.metric_dimensions(), target_value, provisioned))

    def delete(self, caller: Caller, policy: dict[str, Any]) -> None:
        names = list((policy.get("alarm_names") or {}).values())
        if names:
            self.cloudwatch.delete_alarms(caller, names)


def alarm_list(caller: Caller, alarm_names: dict[str, str]) -> list[dict[str, str]]:
    """The `Alarms` member (spec 2.2.7): name and ARN, the name verbatim (slashes kept)."""
    return [{"AlarmName": alarm_names[kind],
             "AlarmARN": f"arn:aws:cloudwatch:{caller.region}:{caller.account_id}:alarm:"
                         f"{alarm_names[kind]}"}
            for kind in target_tracking.ALARM_KINDS]
