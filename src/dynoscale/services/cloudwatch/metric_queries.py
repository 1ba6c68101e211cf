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
from typing import Any, Callable, Optional

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
# A MetricStat query without Unit over data of several units: AWS answers the statistic of ONE
# unit's data, with a MultipleUnits message listing them: Milliseconds over Seconds, Count over
# both (LocalStack snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::
# test_get_metric_data_different_units_no_unit_in_query, recorded against AWS; the test's notes
# give the order below, in which AWS picks). The order is the iteration order of a Java HashMap
# holding the model's StandardUnit names (protocol/coral.py `hashmap_order` yields exactly this
# list); the units listed in the message are sorted (the recorded lists are) [inferred: sorted
# rather than another order that agrees on them]. Choosing once per query over the whole window
# (not per period) is [inferred].
UNIT_PREFERENCE = (
    "Megabits", "Terabits", "Gigabits", "Count", "Bytes", "Gigabytes", "Gigabytes/Second",
    "Kilobytes", "Kilobits/Second", "Terabytes", "Terabits/Second", "Bytes/Second", "Percent",
    "Megabytes", "Megabits/Second", "Milliseconds", "Microseconds", "Kilobytes/Second",
    "Gigabits/Second", "Megabytes/Second", "Bits", "Bits/Second", "Count/Second", "Seconds",
    "Kilobits", "Terabytes/Second", "None")
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


def store_fetch(metrics: MetricStore, scope: str, window: Window,
                units_seen: Optional[dict[str, list[str]]] = None) -> Callable[[Query], Series]:
    """MetricStat query -> its statistic per period, periods aligned like GetMetricData's. A
    query without Unit over data of several units reads the first of them in UNIT_PREFERENCE
    and notes the units (sorted) in `units_seen` by query Id. Metric math alarms read through
    here too, so their unit-less queries pick a unit the same way [inferred]."""
    noted: dict[str, list[str]] = {} if units_seen is None else units_seen

    def fetch(q: Query) -> Series:
        stat = q.spec["MetricStat"]
        metric, period = stat["Metric"], stat["Period"]
        if stat["Stat"] not in STATISTICS:
            return Series(period=period)  # percentiles etc.: not kept by the store
        origin = grid_origin(window.start, period)
        where = (scope, metric.get("Namespace", ""), metric.get("MetricName", ""),
                 metric.get("Dimensions"))
        if stat.get("Unit"):
            points = metrics.read(*where, stat["Unit"], origin, window.end)
        else:
            by_unit = {u: pts for u in metrics.units(*where)
                       if (pts := metrics.read(*where, u, origin, window.end))}
            if len(by_unit) > 1:
                noted[q.id] = sorted(by_unit)
            points = by_unit[min(by_unit, key=UNIT_PREFERENCE.index)] if by_unit else []
        buckets = metrics.buckets(points, origin, period)
        return Series({ts: s[stat["Stat"]] for ts, s in buckets.items()}, period)
    return fetch


def multiple_units_message(units: list[str]) -> dict[str, str]:
    return {"Code": "MultipleUnits", "Value": f"Multiple units returned: '[{', '.join(units)}]'"}


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


def results_for(query: Query, outcome: Any, units: Optional[list[str]] = None) -> list[dict[str, Any]]:
    """Unordered MetricDataResults (ascending timestamps) of one returned query; `units`: the
    units a MetricStat query without Unit found (store_fetch)."""
    value = outcome.value
    messages = [dict(ARITHMETIC_MESSAGE)] if outcome.dropped else []
    if units:
        messages.append(multiple_units_message(units))
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
