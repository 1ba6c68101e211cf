"""The port other services use to reach CloudWatch (in-process, never over HTTP).

DynamoDB publishes its AWS/DynamoDB datapoints here; Application Auto Scaling creates, reads and
deletes its target-tracking alarms here and registers the handler CloudWatch invokes for alarm
actions whose ARN starts with `arn:aws:autoscaling:`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from dynoscale.context import Caller

# (timestamp, sample count, sum, minimum, maximum) of one datapoint
Point = tuple[float, float, float, float, float]


@dataclass(frozen=True)
class AlarmInvocation:
    """One invocation of an alarm action (CloudWatch -> action handler)."""
    action_arn: str
    alarm_name: str
    alarm_arn: str
    account_id: str
    region: str
    state: str                  # the alarm's current state: ALARM | OK | INSUFFICIENT_DATA
    reason: str
    reason_data: dict[str, Any]  # StateReasonData as a dict (recentDatapoints, threshold, ...)
    timestamp: float            # simulated epoch seconds


ActionHandler = Callable[[AlarmInvocation], None]


class CloudWatchApi:
    """Implemented by the CloudWatch service (services/cloudwatch/service.py)."""

    def put_datapoints(self, account_id: str, region: str, namespace: str, metric_name: str,
                       dimensions: Sequence[dict[str, str]], unit: Optional[str],
                       points: Sequence[Point]) -> None:
        """Store datapoints (each a statistic set) for one metric series."""
        raise NotImplementedError

    def has_datapoints(self, caller: Caller, namespace: str, metric_name: str,
                       dimensions: Sequence[dict[str, str]], start: float, end: float) -> bool:
        """Whether the metric series holds any datapoint with start <= Timestamp < end."""
        raise NotImplementedError

    def sum_of(self, caller: Caller, namespace: str, metric_name: str,
               dimensions: Sequence[dict[str, str]], start: float, end: float) -> float:
        """The Sum of the metric series' datapoints with start <= Timestamp < end (0 if none)."""
        raise NotImplementedError

    def put_metric_alarm(self, caller: Caller, request: dict[str, Any]) -> None:
        """Create or replace a metric alarm; `request` is a PutMetricAlarm input dict.
        Raises AwsError exactly as the PutMetricAlarm operation would."""
        raise NotImplementedError

    def describe_alarms(self, caller: Caller, alarm_names: Sequence[str]) -> list[dict[str, Any]]:
        """MetricAlarm dicts (DescribeAlarms output shape) for the named alarms that exist."""
        raise NotImplementedError

    def delete_alarms(self, caller: Caller, alarm_names: Sequence[str]) -> None:
        raise NotImplementedError

    def register_action_handler(self, arn_prefix: str, handler: ActionHandler) -> None:
        """Alarm actions whose ARN starts with `arn_prefix` are delivered to `handler`."""
        raise NotImplementedError
