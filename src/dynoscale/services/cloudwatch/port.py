"""CloudWatchApi implemented for the neighbours (DynamoDB publishes datapoints; Application Auto
Scaling manages its target-tracking alarms and registers its action handler). Shares the code of
the operations, so validation and errors are exactly PutMetricAlarm's."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import alarms
from dynoscale.services.cloudwatch.api import ActionHandler, CloudWatchApi, Point


class CloudWatchPort(CloudWatchApi):
    def __init__(self, svc: Any):
        self.svc = svc

    def put_datapoints(self, account_id: str, region: str, namespace: str, metric_name: str,
                       dimensions: Sequence[dict[str, str]], unit: Optional[str],
                       points: Sequence[Point]) -> None:
        self.svc.metrics.add(f"{account_id}/{region}", namespace, metric_name, dimensions, unit,
                             [tuple(float(x) for x in p) for p in points])

    def has_datapoints(self, caller: Caller, namespace: str, metric_name: str,
                       dimensions: Sequence[dict[str, str]], start: float, end: float) -> bool:
        return bool(self.svc.metrics.read(caller.scope, namespace, metric_name, dimensions, None,
                                          start, end))

    def sum_of(self, caller: Caller, namespace: str, metric_name: str,
               dimensions: Sequence[dict[str, str]], start: float, end: float) -> float:
        return sum(p[2] for p in self.svc.metrics.read(caller.scope, namespace, metric_name,
                                                       dimensions, None, start, end))

    def put_metric_alarm(self, caller: Caller, request: dict[str, Any]) -> None:
        self.svc.alarms.put(caller, request)

    def describe_alarms(self, caller: Caller, alarm_names: Sequence[str]) -> list[dict[str, Any]]:
        found = (self.svc.alarms.get(caller.scope, name) for name in sorted(set(alarm_names)))
        return [alarms.public(a) for a in found if a is not None]

    def delete_alarms(self, caller: Caller, alarm_names: Sequence[str]) -> None:
        self.svc.alarms.delete(caller.scope, alarm_names)

    def register_action_handler(self, arn_prefix: str, handler: ActionHandler) -> None:
        self.svc.actions.register(arn_prefix, handler)
