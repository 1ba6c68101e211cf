"""GetMetricData: MetricStat queries (metric math expressions are not supported yet).

AWS facts (spec 5.6.4, model docs): <= 500 queries; per result Id, Label, Timestamps, Values,
StatusCode (`Complete`); ScanBy default TimestampDescending (newest first); MaxDatapoints default
100,800 (results are cut, StatusCode `PartialData`); queries with ReturnData false are computed
but not returned; periods are aligned to StartTime.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import errors
from dynoscale.services.cloudwatch.operations.get_metric_statistics import (
    aligned_start, check_period)
from dynoscale.services.cloudwatch.metrics import STATISTICS

MAX_QUERIES = 500
DEFAULT_MAX_DATAPOINTS = 100800


def handle(svc, caller: Caller, request: dict) -> dict:
    queries = request["MetricDataQueries"]
    if len(queries) > MAX_QUERIES:
        raise errors.collection_too_large("MetricDataQueries", MAX_QUERIES)
    start, end = request["StartTime"], request["EndTime"]
    if start >= end:
        raise errors.start_not_before_end()
    if request.get("NextToken"):
        raise errors.invalid_next_token()  # this implementation never hands out tokens
    for i, query in enumerate(queries, 1):
        if query.get("Expression") is not None:  # [inferred] text; not implemented here
            raise errors.invalid_value(f"The parameter MetricDataQueries.member.{i}.Expression is "
                                       "not supported by this endpoint.")
        if query.get("MetricStat") is None:
            raise errors.missing(f"The parameter MetricDataQueries.member.{i}.MetricStat is required.")
        check_period(query["MetricStat"]["Period"], f"MetricDataQueries.member.{i}.MetricStat.Period")
    newest_first = request.get("ScanBy", "TimestampDescending") == "TimestampDescending"
    budget = request.get("MaxDatapoints") or DEFAULT_MAX_DATAPOINTS
    results = []
    for query in queries:
        if not query.get("ReturnData", True):
            continue
        stat = query["MetricStat"]
        metric, period = stat["Metric"], stat["Period"]
        origin = aligned_start(start, period)
        points = svc.metrics.read(caller.scope, metric.get("Namespace", ""),
                                  metric.get("MetricName", ""), metric.get("Dimensions"),
                                  stat.get("Unit"), origin, end)
        series = [(ts, s[stat["Stat"]]) for ts, s in svc.metrics.buckets(points, origin, period).items()
                  if stat["Stat"] in STATISTICS]
        if newest_first:
            series.reverse()
        status = "Complete"
        if len(series) > budget:
            series, status = series[:budget], "PartialData"
        budget -= len(series)
        results.append({"Id": query["Id"], "Label": query.get("Label") or metric.get("MetricName", ""),
                        "Timestamps": [ts for ts, _ in series], "Values": [v for _, v in series],
                        "StatusCode": status})
    return {"MetricDataResults": results, "Messages": []}
