"""Target tracking arithmetic for DynamoDB, as pure functions (no clock, no storage).

The four alarms of a policy (spec §2.2, checklist 7.1-7.3):
  | kind                    | metric                        | stat    | period | evals | operator    | threshold                    |
  | AlarmHigh               | Consumed{R,W}CapacityUnits    | Sum     | 60     | 2     | GreaterThan | target% x provisioned x 60   |
  | AlarmLow                | Consumed{R,W}CapacityUnits    | Sum     | 60     | 15    | LessThan    | (target-20)% x prov. x 60    |
  | ProvisionedCapacityHigh | Provisioned{R,W}CapacityUnits | Average | 300    | 3     | GreaterThan | provisioned                  |
  | ProvisionedCapacityLow  | Provisioned{R,W}CapacityUnits | Average | 300    | 3     | LessThan    | provisioned                  |
Names `TargetTracking-<ResourceId>-<kind>-<uuid4>`, one uuid per alarm; all four share the action
`<PolicyARN>:createdBy/<uuid4>` and the description `DO NOT EDIT OR DELETE. For
TargetTrackingScaling policy <that ARN>.`

Desired capacity (spec 2.3.1-2.3.3, checklist 7.4): ceil(consumed per second / (target / 100)),
clamped to [min, max] by the caller. AWS does not say which datapoint it uses; we take the
newest datapoint of the alarm's evaluation that breaches the threshold (the newest one when none
does), divided by the 60-second period: a Sum of capacity units over one minute / 60 = units per
second (spec 2.2.5). The newest breaching point is what put the alarm in ALARM and reflects the
current load best.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any, Optional, Sequence

ALARM_KINDS = ("AlarmHigh", "AlarmLow", "ProvisionedCapacityHigh", "ProvisionedCapacityLow")
METRIC_DIRECTIONS = {"DynamoDBReadCapacityUtilization": "Read",
                     "DynamoDBWriteCapacityUtilization": "Write"}
# kind -> (metric prefix, statistic, period, evaluation periods, comparison operator)
_ALARM_SHAPES = {
    "AlarmHigh": ("Consumed", "Sum", 60, 2, "GreaterThanThreshold"),
    "AlarmLow": ("Consumed", "Sum", 60, 15, "LessThanThreshold"),
    "ProvisionedCapacityHigh": ("Provisioned", "Average", 300, 3, "GreaterThanThreshold"),
    "ProvisionedCapacityLow": ("Provisioned", "Average", 300, 3, "LessThanThreshold"),
}
SCALE_IN_GAP = 20.0  # AlarmLow sits 20 percentage points below the target (spec 2.2.4, inferred)


# TargetValue: the model's documented range (-2^360 to 2^360, botocore application-autoscaling
# TargetTrackingScalingPolicyConfiguration.TargetValue). DynamoDB's developer guide ("Managing
# throughput capacity automatically with DynamoDB auto scaling") says "You can set the auto
# scaling target utilization values between 20 and 90 percent", but that is the console's rule,
# not the API's: recorded, the API accepted a DynamoDB target of 10 that only the console refused
# (cloudposse/terraform-aws-dynamodb pull request #8: "We had 10% before, and DynamoDB complained
# (in the UI, not with `terraform apply`)"), and the AWS CDK enforces its own 10-90 client-side
# (aws-cdk scalable-table-attribute.ts) because the service does not. So any positive finite
# value within the range is accepted; 0 and below are refused (inferred: no capacity meets a
# utilization target of 0 %, and the arithmetic below divides by it).
TARGET_VALUE_LIMIT = 2.0 ** 360


def target_value_problem(value: float) -> str | None:
    """"range" (not finite or beyond +-2^360), "not_positive", or None when AWS accepts it."""
    if not math.isfinite(value) or abs(value) > TARGET_VALUE_LIMIT:
        return "range"
    if value <= 0:
        return "not_positive"
    return None


def new_alarm_names(resource_id: str) -> dict[str, str]:
    return {kind: f"TargetTracking-{resource_id}-{kind}-{uuid.uuid4()}" for kind in ALARM_KINDS}


def new_action_arn(policy_arn: str) -> str:
    return f"{policy_arn}:createdBy/{uuid.uuid4()}"


def threshold(kind: str, target_value: float, provisioned: int) -> float:
    # Multiply before dividing so that 50 x 5 x 60 / 100 is exactly 150.0.
    if kind == "AlarmHigh":
        return float(target_value * provisioned * 60 / 100)
    if kind == "AlarmLow":
        return float(max(0.0, target_value - SCALE_IN_GAP) * provisioned * 60 / 100)
    return float(provisioned)


def alarm_request(kind: str, alarm_name: str, action_arn: str, direction: str,
                  dimensions: Sequence[dict[str, str]], target_value: float,
                  provisioned: int) -> dict[str, Any]:
    """The PutMetricAlarm input for one of the policy's four alarms."""
    prefix, statistic, period, evaluations, operator = _ALARM_SHAPES[kind]
    return {
        "AlarmName": alarm_name,
        "AlarmDescription": f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {action_arn}.",
        "ActionsEnabled": True,
        "OKActions": [],
        "AlarmActions": [action_arn],
        "InsufficientDataActions": [],
        "MetricName": f"{prefix}{direction}CapacityUnits",
        "Namespace": "AWS/DynamoDB",
        "Statistic": statistic,
        "Dimensions": [dict(d) for d in dimensions],
        "Period": period,
        "EvaluationPeriods": evaluations,
        "Threshold": threshold(kind, target_value, provisioned),
        "ComparisonOperator": operator,
    }


def consumed_per_second(reason_data: dict[str, Any], comparison: str) -> Optional[float]:
    """Units per second from the alarm's StateReasonData, or None if it carries no datapoints
    (e.g. SetAlarmState without data: AAS cannot act then, spec 2.5.3)."""
    points = [float(v) for v in (reason_data or {}).get("recentDatapoints") or []
              if v is not None]  # oldest first (spec 5.5.7)
    if not points:
        return None
    limit = reason_data.get("threshold")
    if limit is not None:
        breaching = [v for v in points
                     if (v > limit if comparison == "GreaterThanThreshold" else v < limit)]
        if breaching:
            return breaching[-1] / 60.0
    return points[-1] / 60.0


def evaluated_at(reason_data: dict[str, Any]) -> Optional[float]:
    """When CloudWatch produced the datapoints of `reason_data` (its queryDate, spec 5.5.7), or
    None when it has none (SetAlarmState's own StateReasonData)."""
    text = (reason_data or {}).get("queryDate")
    if not isinstance(text, str):
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    except ValueError:
        return None


def desired_capacity(per_second: float, target_value: float) -> int:
    """ceil(per_second / (target / 100)); 150/s at 70 % -> 215 (spec 2.3.1). A tiny tolerance
    keeps float noise (10.000000000000002) from adding a unit."""
    raw = per_second * 100.0 / target_value
    return max(0, math.ceil(raw - 1e-9))


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
