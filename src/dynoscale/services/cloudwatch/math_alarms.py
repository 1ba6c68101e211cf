"""Alarms on metric math: PutMetricAlarm's checks of `Metrics`, and the datapoints the evaluator
judges for an alarm whose returned query is an Expression.

AWS facts: the model docs of PutMetricAlarm.Metrics and MetricDataQuery (Namespace, MetricName,
Dimensions, Period, Unit, Statistic, ExtendedStatistic must not be given with Metrics; ReturnData
true on exactly the one query the alarm watches; "Any expression used in a PutMetricAlarm
operation must return a single time series"; anomaly detection alarms return the metric and the
band and name the band in ThresholdMetricId). Observed ValidationError texts are in errors.py.
The alarm's period is the returned query's Period, or that of its MetricStats (the model doc of
PutMetricAlarm.Period: "you specify the period for each metric within the objects in the Metrics
array"); with neither, AWS answers "Period must not be null" (observed).

Evaluation: like a single-metric alarm (threshold_verdict.py), over the last EvaluationPeriods
periods aligned to the alarm's period; the expression is computed over a few more periods before
them, as AWS does ("CloudWatch attempts to retrieve a higher number of data points than the
number specified as Evaluation Periods" - User Guide, notes on AVG/SUM/RUNNING_SUM... in
alarms); the extra count max(N // 3, 2) is an emulator's choice [inferred]. Alarms that read
AWS/DynamoDB metrics keep their state on missing data (model doc of TreatMissingData). Not
evaluated (state kept, documented): anomaly detection alarms (ThresholdMetricId) and expressions
using SEARCH, anomaly bands, Contributor Insights, service quotas or Metrics Insights.
"""

from __future__ import annotations

import logging
import math
from typing import Any, Optional

from dynoscale.services.cloudwatch import errors, metric_queries, threshold_verdict
from dynoscale.services.cloudwatch.threshold_verdict import MATH_VALUE, Period, Verdict
from dynoscale.services.cloudwatch.mathexpr import (
    MathParser, Program, QueryError, Series, Window, kind, run)
from dynoscale.services.cloudwatch.metrics import MetricStore

log = logging.getLogger("dynoscale.cloudwatch.math_alarms")

SINGLE_METRIC_FIELDS = ("Namespace", "MetricName", "Dimensions", "Period", "Unit", "Statistic",
                        "ExtendedStatistic")
KEEPS_STATE_ON_MISSING = "AWS/DynamoDB"


def watched(metrics: list[dict], threshold_id: Optional[str] = None) -> Optional[dict]:
    """The query whose values the alarm compares with its threshold."""
    returning = [q for q in metrics if q.get("ReturnData", True) and q["Id"] != threshold_id]
    return returning[0] if len(returning) == 1 else None


def alarm_period(program: Program, query: dict) -> Optional[int]:
    if query.get("MetricStat") is not None:
        return query["MetricStat"]["Period"]
    return query.get("Period") or max((q.period for q in program.metrics if q.period),
                                      default=None)


def validate(request: dict[str, Any], parser: MathParser) -> int:
    """PutMetricAlarm's checks of `Metrics`; returns the alarm's period."""
    for field in SINGLE_METRIC_FIELDS:
        if request.get(field) is not None:
            raise errors.set_with_metrics(field)
    metrics = request["Metrics"]
    ids = [q["Id"] for q in metrics]
    for q in metrics:
        has_stat, has_expr = q.get("MetricStat") is not None, q.get("Expression") is not None
        if not metric_queries.ID_PATTERN.match(q["Id"]) or has_stat == has_expr \
                or (has_stat and not metric_queries.valid_stat(q["MetricStat"]["Stat"])):
            raise errors.invalid_metrics_list()
    if len(set(ids)) != len(ids):
        raise errors.invalid_metrics_list()  # [inferred]: duplicate Ids
    returning = [q for q in metrics if q.get("ReturnData", True)]
    threshold_id = request.get("ThresholdMetricId")
    if threshold_id is not None:
        if len(returning) != 2:
            raise errors.return_data_count(2)
        if ids.count(threshold_id) != 1:
            raise errors.threshold_metric_id_not_found()
    elif len(returning) != 1:
        raise errors.return_data_count(1)
    program = metric_queries.compile_or_raise(metrics, parser)
    query = watched(metrics, threshold_id) or returning[0]
    period = alarm_period(program, query)
    if period is None:
        raise errors.period_null()
    if query.get("Expression") is not None and threshold_id is None \
            and not program.depends_on_unsupported(query["Id"]):
        _check_single_series(program, query["Id"], period)
    return period


def _check_single_series(program: Program, query_id: str, period: int) -> None:
    """Evaluate once without data: argument kinds, and the result must be one time series."""
    window = Window(0.0, float(period), period)
    outcomes = metric_queries.evaluate(program, lambda q: Series(period=q.period or period),
                                       window, [query_id])
    if kind(outcomes[query_id].value) != "TS":  # [inferred] text
        raise errors.math_expression(query_id, "The expression of an alarm must return a single "
                                               "time series")


class MathAlarms:
    """Computes the periods of a metric math alarm for threshold_verdict.evaluate."""

    def __init__(self, metrics: MetricStore, parser: MathParser):
        self.metrics = metrics
        self.parser = parser

    def verdict(self, scope: str, alarm: dict[str, Any], now: float) -> Optional[Verdict]:
        """The rule's verdict, or None to keep the state (not evaluable, or an error)."""
        metrics = alarm.get("Metrics") or []
        if alarm.get("ThresholdMetricId"):
            return None  # anomaly detection bands are not modelled
        query = watched(metrics)
        if query is None or query.get("Expression") is None:
            return None
        try:
            program = metric_queries.compile_or_raise(metrics, self.parser)
            if program.depends_on_unsupported(query["Id"]):
                return None
            period = alarm_period(program, query)
            if not period:
                return None
            view = self.view(alarm, program, period)
            return threshold_verdict.evaluate(
                view, self.periods(scope, program, query["Id"], view, now), now)
        except Exception:  # a stored alarm must never stop the evaluator
            log.exception("evaluating metric math alarm %s failed", alarm.get("AlarmName"))
            return None

    @staticmethod
    def view(alarm: dict[str, Any], program: Program, period: int) -> dict[str, Any]:
        view = dict(alarm, Period=period, Statistic=MATH_VALUE)
        view.pop("Unit", None)
        if any(q.spec["MetricStat"]["Metric"].get("Namespace") == KEEPS_STATE_ON_MISSING
               for q in program.metrics):
            view["TreatMissingData"] = "ignore"
        return view

    def periods(self, scope: str, program: Program, query_id: str, view: dict[str, Any],
                now: float) -> list[Period]:
        period, n = int(view["Period"]), int(view["EvaluationPeriods"])
        end = math.floor(now / period) * period
        window = Window(end - (n + max(n // 3, 2)) * period, end, period)
        fetch = metric_queries.store_fetch(self.metrics, scope, window)
        try:
            value = run(program, fetch, window, [query_id])[query_id].value
        except QueryError:
            value = None  # checked at PutMetricAlarm; treat as no data if it happens anyway
        points = value.points if isinstance(value, Series) else {}
        starts = [end - (k + 1) * period for k in range(n)]
        return [(ts, {MATH_VALUE: points[ts]} if ts in points else None) for ts in starts]
