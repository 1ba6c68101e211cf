"""DescribeAlarmsForMetric: standard alarms watching one metric (spec 5.3.3, model docs):
MetricName + Namespace required; Statistic, ExtendedStatistic, Dimensions (the exact set),
Period and Unit narrow the match; no pagination."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import alarms
from dynoscale.services.cloudwatch.metrics import canonical_dimensions


def handle(svc, caller: Caller, request: dict) -> dict:
    dims = canonical_dimensions(request.get("Dimensions"))
    found = []
    for alarm in svc.alarms.in_scope(caller.scope):
        if alarm.get("Namespace") != request["Namespace"] or \
                alarm.get("MetricName") != request["MetricName"]:
            continue
        if canonical_dimensions(alarm.get("Dimensions")) != dims:
            continue
        if any(request.get(f) is not None and alarm.get(f) != request[f]
               for f in ("Statistic", "ExtendedStatistic", "Period", "Unit")):
            continue
        found.append(alarms.public(alarm))
    return {"MetricAlarms": found}
