"""MetricDataQuery lists against the metric store: GetMetricData's checks, fetching MetricStat
series, compiling and evaluating expressions (mathexpr/), and shaping MetricDataResults.

AWS facts: botocore model docs of GetMetricData, MetricDataQuery and MetricDataResult (Id
pattern "The first character must be a lowercase letter", unique Ids, exactly one of MetricStat
and Expression, ReturnData false = computed but not returned); the observed ValidationError
texts are in errors.py. Results: one per returned query in request order, and one per series
(same Id) when an expression yields an array of time series; an array element's label is
"<expression label> <metric label>", or the metric label when the expression has no Label
(User Guide: legend captions "Expression-Label Metric-Label") [inferred for the API]. A result
whose points were dropped as non-numeric carries Messages [{Code: ArithmeticError, ...}]
(observed). SEARCH, ANOMALY_DETECTION_BAND, INSIGHT_RULE_METRIC, SERVICE_QUOTA, DB_PERF_INSIGHTS
and Metrics Insights (SELECT) queries answer an empty, Complete result: this emulator has no
data for them (documented gap).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from dynoscale.services.cloudwatch import errors
from dynoscale.services.cloudwatch.mathexpr import (
    MathParser, Program, Query, QueryError, Series, Window, compile_queries, grid_origin, kind,
    run)
from dynoscale.services.cloudwatch.metrics import STATISTICS, MetricStore

ID_PATTERN = re.compile(r"^[a-z][a-zA-Z0-9_]*$")
# Extended statistics CloudWatch names (percentiles, trimmed/winsorized means, counts, sums,
# ranks, IQM): CloudWatch User Guide "CloudWatch statistics definitions". The metric store keeps
# no distributions, so these answer no values.
EXTENDED_STAT = re.compile(
    r"^(?:IQM|(?:p|tm|wm|tc|ts|pr)(?:\d+(?:\.\d+)?|\(\d*(?:\.\d+)?%?:\d*(?:\.\d+)?%?\)))$", re.I)
ARITHMETIC_MESSAGE = {"Code": "ArithmeticError",
                      "Value": "One or more data-points have been dropped due to non-numeric "
                               "values (NaN, -Infinite, +Infinite)"}


def valid_stat(stat: str) -> bool:
    return stat in STATISTICS or bool(EXTENDED_STAT.match(stat))


def check_get_metric_data(queries: list[dict]) -> None:
    """GetMetricData's per-query checks, every problem on its own line (errors.py)."""
    lines = []
    for i, q in enumerate(queries, 1):
        if not ID_PATTERN.match(q["Id"]):
            lines.append(errors.query_id_pattern_line(q["Id"], i))
        has_stat, has_expr = q.get("MetricStat") is not None, q.get("Expression") is not None
        if not has_stat and not has_expr:
            lines.append(errors.metric_stat_required_line(i))
        elif has_stat and has_expr:
            lines.append(errors.metric_stat_and_expression_line(i))
        elif has_stat and not valid_stat(q["MetricStat"]["Stat"]):
            lines.append(errors.stat_invalid_line(q["MetricStat"]["Stat"], i))
    ids = [q["Id"] for q in queries]
    if len(set(ids)) != len(ids):
        lines.append(errors.QUERY_IDS_NOT_UNIQUE)
    if lines:
        raise errors.validation_lines(lines)


def compile_or_raise(queries: list[dict], parser: MathParser) -> Program:
    try:
        return compile_queries(queries, parser)
    except QueryError as exc:
        raise errors.math_expression(exc.query_id, exc.detail) from None


def store_fetch(metrics: MetricStore, scope: str, window: Window) -> Callable[[Query], Series]:
    """MetricStat query -> its statistic per period, periods aligned like GetMetricData's."""
    def fetch(q: Query) -> Series:
        stat = q.spec["MetricStat"]
        metric, period = stat["Metric"], stat["Period"]
        if stat["Stat"] not in STATISTICS:
            return Series(period=period)  # percentiles etc.: not kept by the store
        origin = grid_origin(window.start, period)
        points = metrics.read(scope, metric.get("Namespace", ""), metric.get("MetricName", ""),
                              metric.get("Dimensions"), stat.get("Unit"), origin, window.end)
        buckets = metrics.buckets(points, origin, period)
        return Series({ts: s[stat["Stat"]] for ts, s in buckets.items()}, period)
    return fetch


def evaluate(program: Program, fetch: Callable[[Query], Series], window: Window,
             wanted: list[str]) -> dict[str, Any]:
    try:
        return run(program, fetch, window, wanted)
    except QueryError as exc:
        raise errors.math_expression(exc.query_id, exc.detail) from None


def must_be_series(query: Query, value: Any) -> None:
    """A returned expression must give a time series or an array of them (User Guide: "The final
    result of any math expression must be a single time series or an array of time series")."""
    if kind(value) not in ("TS", "TS[]"):  # [inferred] text
        raise errors.math_expression(query.id, "The expression must evaluate to a time series "
                                               "or an array of time series")


def results_for(query: Query, outcome: Any) -> list[dict[str, Any]]:
    """Unordered MetricDataResults (ascending timestamps) of one returned query."""
    value = outcome.value
    messages = [dict(ARITHMETIC_MESSAGE)] if outcome.dropped else []
    if isinstance(value, Series):
        return [_result(query.id, query.label, value, messages)]
    own = query.spec.get("Label")
    return [_result(query.id, f"{own} {s.label}" if own else s.label, s, messages)
            for s in value]


def _result(query_id: str, label: str, series: Series, messages: list) -> dict[str, Any]:
    items = series.items()
    out = {"Id": query_id, "Label": label, "Timestamps": [ts for ts, _ in items],
           "Values": [v for _, v in items], "StatusCode": "Complete"}
    if messages:
        out["Messages"] = messages
    return out
