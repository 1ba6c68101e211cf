"""GetMetricData: MetricStat queries and metric math expressions (metric_queries.py, mathexpr/).

AWS facts (spec 5.6.4, model docs): <= 500 queries; per result Id, Label, Timestamps, Values,
StatusCode (`Complete`), Messages; ScanBy default TimestampDescending (newest first);
MaxDatapoints default 100,800 (results are cut, StatusCode `PartialData`, and a NextToken is
returned: LocalStack tests/aws/services/cloudwatch/test_cloudwatch.py::
test_get_metric_data_pagination, validated against AWS); queries with ReturnData false are
computed but not returned; periods are aligned to StartTime; "NextToken is not returned if you are
performing a math expression" (model doc). The token is the number of datapoints already handed
out, counted over the results in order; the next call (same queries) skips them [inferred: AWS's
token is opaque].
Checks run in this order: limits and times, per-query checks (one ValidationError listing every
problem), Periods, expressions (syntax, unknown Ids, cycles), evaluation (argument kinds, and a
returned expression must give a time series or an array of them).
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services import paging
from dynoscale.services.cloudwatch import errors, metric_queries
from dynoscale.services.cloudwatch.mathexpr import Window
from dynoscale.services.cloudwatch.operations.get_metric_statistics import check_period

MAX_QUERIES = 500
DEFAULT_MAX_DATAPOINTS = 100800


def handle(svc, caller: Caller, request: dict) -> dict:
    queries = request["MetricDataQueries"]
    if len(queries) > MAX_QUERIES:
        raise errors.collection_too_large("MetricDataQueries", MAX_QUERIES)
    start, end = request["StartTime"], request["EndTime"]
    if start >= end:
        raise errors.start_not_before_end()
    skip = paging.decode_offset(request.get("NextToken"), errors.invalid_next_token)
    metric_queries.check_get_metric_data(queries)
    for i, query in enumerate(queries, 1):
        if query.get("MetricStat") is not None:
            check_period(query["MetricStat"]["Period"],
                         f"MetricDataQueries.member.{i}.MetricStat.Period")
        elif query.get("Period") is not None:
            check_period(query["Period"], f"MetricDataQueries.member.{i}.Period")
    program = metric_queries.compile_or_raise(queries, svc.math_parser)
    window = Window(start, end, program.default_period)
    returned = [q for q in program.queries if q.spec.get("ReturnData", True)]
    units_seen: dict[str, list[str]] = {}
    outcomes = metric_queries.evaluate(
        program, metric_queries.store_fetch(svc.metrics, caller.scope, window, units_seen),
        window, [q.id for q in returned])
    newest_first = request.get("ScanBy", "TimestampDescending") == "TimestampDescending"
    budget = request.get("MaxDatapoints") or DEFAULT_MAX_DATAPOINTS
    delivered = skip
    results, cut = [], False
    for query in returned:
        outcome = outcomes[query.id]
        if not query.is_metric:
            metric_queries.must_be_series(query, outcome.value)
        for result in metric_queries.results_for(query, outcome, units_seen.get(query.id)):
            if newest_first:
                result["Timestamps"].reverse()
                result["Values"].reverse()
            if skip:
                dropped = min(skip, len(result["Values"]))
                skip -= dropped
                result["Timestamps"] = result["Timestamps"][dropped:]
                result["Values"] = result["Values"][dropped:]
            if len(result["Values"]) > budget:
                result["Timestamps"] = result["Timestamps"][:budget]
                result["Values"] = result["Values"][:budget]
                result["StatusCode"] = "PartialData"
                cut = True
            budget -= len(result["Values"])
            results.append(result)
    out = {"MetricDataResults": results, "Messages": []}
    if cut and all(q.is_metric for q in program.queries):
        out["NextToken"] = paging.encode(str(delivered + sum(len(r["Values"]) for r in results)))
    return out
