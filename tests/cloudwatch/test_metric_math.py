"""GetMetricData with metric math expressions, over HTTP (boto3 and the aws CLI).

AWS facts: CloudWatch User Guide "Using math expressions with CloudWatch metrics" (function table,
the comparison/logical operator table, the IF tables, "missing values in a time series are treated
as 0", division by zero drops the point); AWS's DynamoDB guidance `m1/PERIOD(m1)` on a Sum metric
for per-second consumption; botocore model docs of MetricDataQuery (Label defaults, ReturnData);
observed answers cited in services/cloudwatch/errors.py and metric_queries.py.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.cloudwatch.helpers import minute_start
from tests.kit import error_of


def put(cw, ns: str, name: str, values: list, t0: float) -> None:
    """One datapoint per minute from t0; None leaves the minute empty."""
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": name, "Value": float(v), "Timestamp": t0 + 60 * i + 5}
        for i, v in enumerate(values) if v is not None])


def metric(qid: str, ns: str, name: str, stat: str = "Sum", returned: bool = False, **extra) -> dict:
    return {"Id": qid, "ReturnData": returned,
            "MetricStat": {"Metric": {"Namespace": ns, "MetricName": name}, "Period": 60,
                           "Stat": stat}, **extra}


def expr(qid: str, text: str, **extra) -> dict:
    return {"Id": qid, "Expression": text, **extra}


def fetch(cw, t0: float, minutes: int, *queries: dict) -> list[dict]:
    return cw.get_metric_data(MetricDataQueries=list(queries), StartTime=t0,
                              EndTime=t0 + 60 * minutes,
                              ScanBy="TimestampAscending")["MetricDataResults"]


def by_minute(result: dict, t0: float) -> dict:
    return {int((ts.timestamp() - t0) // 60): v
            for ts, v in zip(result["Timestamps"], result["Values"])}


def values(cw, t0: float, minutes: int, metrics: list[dict], text: str) -> dict:
    [result] = fetch(cw, t0, minutes, *metrics, expr("e1", text))
    return by_minute(result, t0)


@pytest.fixture
def two(server, unique):
    """The User Guide's operator table: metric1 [30, 20, 0, 0], metric2 [20, -, 20, -]."""
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Math")
    t0 = minute_start(server)
    put(cw, ns, "One", [30, 20, 0, 0], t0)
    put(cw, ns, "Two", [20, None, 20, None], t0)
    server.advance(240)
    return cw, t0, [metric("m1", ns, "One"), metric("m2", ns, "Two")]


def test_per_second_consumption_and_default_label_and_order(server, unique):
    """AWS's DynamoDB guidance: m1/PERIOD(m1) on a Sum metric gives units per second. ReturnData
    false queries are computed but not returned; an expression's Label defaults to its Id."""
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Math")
    t0 = minute_start(server)
    put(cw, ns, "ConsumedWriteCapacityUnits", [120, 30, 600], t0)
    server.advance(180)
    out = cw.get_metric_data(
        MetricDataQueries=[metric("m1", ns, "ConsumedWriteCapacityUnits"),
                           expr("e1", "m1/PERIOD(m1)")],
        StartTime=t0, EndTime=t0 + 180)
    [result] = out["MetricDataResults"]
    assert (result["Id"], result["Label"], result["StatusCode"]) == ("e1", "e1", "Complete")
    assert "Messages" not in result
    assert [t.timestamp() for t in result["Timestamps"]] == [t0 + 120, t0 + 60, t0]  # newest first
    assert result["Values"] == [10.0, 0.5, 2.0]
    labelled = fetch(cw, t0, 3, metric("m1", ns, "ConsumedWriteCapacityUnits", returned=True),
                     expr("e1", "m1/60", Label="Per second"))
    assert [(r["Id"], r["Label"]) for r in labelled] == [
        ("m1", "ConsumedWriteCapacityUnits"), ("e1", "Per second")]


def test_arithmetic_treats_missing_values_as_zero_and_drops_division_by_zero(two):
    cw, t0, metrics = two
    assert values(cw, t0, 4, metrics, "m1 - m2") == {0: 10.0, 1: 20.0, 2: -20.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "m1 * 2 + 1") == {0: 61.0, 1: 41.0, 2: 1.0, 3: 1.0}
    assert values(cw, t0, 4, metrics, "-m1 / 10") == {0: -3.0, 1: -2.0, 2: -0.0, 3: -0.0}
    assert values(cw, t0, 4, metrics, "2 ^ 3 * m2 / 8") == {0: 20.0, 2: 20.0}
    # utilization: m1/m2*100 divides by a missing (zero) value at minutes 1 and 3
    [result] = fetch(cw, t0, 4, *metrics, expr("e1", "m1/m2*100"))
    assert by_minute(result, t0) == {0: 150.0, 2: 0.0}
    assert result["StatusCode"] == "Complete"
    assert result["Messages"] == [{
        "Code": "ArithmeticError",
        "Value": "One or more data-points have been dropped due to non-numeric values "
                 "(NaN, -Infinite, +Infinite)"}]


def test_comparison_and_logical_operators_match_the_guide_table(two):
    cw, t0, metrics = two
    assert values(cw, t0, 4, metrics, "(m1 < m2)") == {0: 0.0, 1: 0.0, 2: 1.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "(m1 >= 30)") == {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "(m1 > 15 AND m2 > 15)") == {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "m1 > 25 || m2 > 15") == {0: 1.0, 1: 0.0, 2: 1.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "m1 == 0 && m2 == 20") == {0: 0.0, 1: 0.0, 2: 1.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "NOT (m1 != 20)") == {0: 0.0, 1: 1.0, 2: 0.0, 3: 0.0}


def test_if_matches_the_guide_tables(server, unique):
    """metric1 [1,1,0,0,-], metric2 [30,-,0,0,30], metric3 [0,0,20,-,20]."""
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Math")
    t0 = minute_start(server)
    put(cw, ns, "C", [1, 1, 0, 0, None], t0)
    put(cw, ns, "T", [30, None, 0, 0, 30], t0)
    put(cw, ns, "F", [0, 0, 20, None, 20], t0)
    server.advance(300)
    ms = [metric("c", ns, "C"), metric("t", ns, "T"), metric("f", ns, "F")]
    assert values(cw, t0, 5, ms, "IF(c, t, f)") == {0: 30.0, 1: 0.0, 2: 20.0}
    assert values(cw, t0, 5, ms, "IF(c, 5, f)") == {0: 5.0, 1: 5.0, 2: 20.0}
    assert values(cw, t0, 5, ms, "IF(c, t, 5)") == {0: 30.0, 1: 0.0, 2: 5.0, 3: 5.0}
    assert values(cw, t0, 5, ms, "IF(t < 20, t)") == {2: 0.0, 3: 0.0}
    assert values(cw, t0, 5, ms, "IF(1, f)") == {0: 0.0, 1: 0.0, 2: 20.0, 4: 20.0}


def test_aggregates_of_series_arrays_and_metrics_filter(two):
    cw, t0, metrics = two
    assert values(cw, t0, 4, metrics, "SUM(METRICS())") == {0: 50.0, 1: 20.0, 2: 20.0, 3: 0.0}
    # AVG of an array counts a missing value as 0 (the guide)
    assert values(cw, t0, 4, metrics, "AVG([m1, m2])") == {0: 25.0, 1: 10.0, 2: 10.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "MAX(METRICS())") == {0: 30.0, 1: 20.0, 2: 20.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "DATAPOINT_COUNT(METRICS())") == {0: 2.0, 1: 1.0, 2: 2.0,
                                                                        3: 1.0}
    assert values(cw, t0, 4, metrics, "SUM(METRICS(\"2\"))") == {0: 20.0, 2: 20.0}
    # functions of one series give scalars, usable inside a larger expression
    assert values(cw, t0, 4, metrics, "m1 - AVG(m1)") == {0: 17.5, 1: 7.5, 2: -12.5, 3: -12.5}
    assert values(cw, t0, 4, metrics, "m2 * 0 + SUM(m1) + MIN(m1) + MAX(m2)") == {0: 70.0, 2: 70.0}
    assert values(cw, t0, 4, metrics, "m1 / DATAPOINT_COUNT(m1) * METRIC_COUNT(METRICS())") == {
        0: 15.0, 1: 10.0, 2: 0.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "m2 * 0 + STDDEV(m2)") == {0: 0.0, 2: 0.0}


def test_series_functions(two):
    cw, t0, metrics = two
    assert values(cw, t0, 4, metrics, "DIFF(m1)") == {1: -10.0, 2: -20.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "RATE(m1)") == {1: -10 / 60, 2: -20 / 60, 3: 0.0}
    assert values(cw, t0, 4, metrics, "DIFF_TIME(m2)") == {2: 120.0}
    assert values(cw, t0, 4, metrics, "RUNNING_SUM(m1)") == {0: 30.0, 1: 50.0, 2: 50.0, 3: 50.0}
    assert values(cw, t0, 4, metrics, "ABS(m2 - 25)") == {0: 5.0, 2: 5.0}
    assert values(cw, t0, 4, metrics, "CEIL(m1 / 7) + FLOOR(m1 / 7)") == {0: 9.0, 1: 5.0, 2: 0.0,
                                                                          3: 0.0}
    assert values(cw, t0, 4, metrics, "FILL(m2, 7)") == {0: 20.0, 1: 7.0, 2: 20.0, 3: 7.0}
    assert values(cw, t0, 4, metrics, "FILL(m2, m1)") == {0: 20.0, 1: 20.0, 2: 20.0, 3: 0.0}
    assert values(cw, t0, 4, metrics, "FILL(m2, REPEAT)") == {0: 20.0, 1: 20.0, 2: 20.0, 3: 20.0}
    assert values(cw, t0, 4, metrics, "FILL(m2, LINEAR)") == {0: 20.0, 1: 20.0, 2: 20.0}
    assert values(cw, t0, 4, metrics, "TIME_SERIES(MAX(m1))") == {0: 30.0, 1: 30.0, 2: 30.0,
                                                                  3: 30.0}
    minute = int((t0 % 3600) // 60)
    assert values(cw, t0, 1, metrics, "MINUTE(m1)") == {0: float(minute)}


def test_array_results_sort_slice_first_last(two):
    """An expression giving several series answers one result per series, all with its Id."""
    cw, t0, metrics = two
    named = [dict(metrics[0], Label="first"), dict(metrics[1], Label="second")]
    results = fetch(cw, t0, 4, *named, expr("e1", "METRICS() * 2", Label="Doubled"),
                    expr("e2", "SORT(METRICS(), MAX, ASC)"),
                    expr("e3", "LAST(SLICE(SORT(METRICS(), SUM, DESC), 0, 2))"),
                    expr("e4", "REMOVE_EMPTY([FIRST(METRICS()), m2 * 0])"))
    assert [(r["Id"], r["Label"]) for r in results] == [
        ("e1", "Doubled first"), ("e1", "Doubled second"), ("e2", "second"), ("e2", "first"),
        ("e3", "e3"), ("e4", "first"), ("e4", "second")]
    assert by_minute(results[0], t0) == {0: 60.0, 1: 40.0, 2: 0.0, 3: 0.0}
    assert by_minute(results[4], t0) == {0: 20.0, 2: 20.0}


def test_unsupported_queries_answer_empty_results(two):
    """SEARCH, anomaly bands and Metrics Insights have no data in this emulator (documented)."""
    cw, t0, metrics = two
    results = fetch(cw, t0, 4, *metrics,
                    expr("s1", "SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', "
                               "'Average', 60)"),
                    expr("q1", "SELECT AVG(CPUUtilization) FROM SCHEMA(\"AWS/EC2\")", Period=60))
    assert [(r["Id"], r["Values"], r["StatusCode"]) for r in results] == [
        ("q1", [], "Complete")]


def test_max_datapoints_cuts_expression_results(two):
    cw, t0, metrics = two
    out = cw.get_metric_data(MetricDataQueries=[*metrics, expr("e1", "m1 + 1"),
                                                expr("e2", "m1 + 2")],
                             StartTime=t0, EndTime=t0 + 240, MaxDatapoints=5)
    assert [(r["Id"], len(r["Values"]), r["StatusCode"]) for r in out["MetricDataResults"]] == [
        ("e1", 4, "Complete"), ("e2", 1, "PartialData")]


def call_error(cw, t0, *queries) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as exc:
        cw.get_metric_data(MetricDataQueries=list(queries), StartTime=t0, EndTime=t0 + 60)
    return error_of(exc)


def test_query_list_errors_one_line_each(two):
    cw, t0, (m1, m2) = two
    assert call_error(cw, t0, dict(m1, Id="Bad"), dict(m2, Id="5xx")) == (
        "ValidationError",
        "The value Bad for parameter MetricDataQueries.member.1.Id is not matching the expected "
        "pattern ^[a-z][a-zA-Z0-9_]*$.\n"
        "The value 5xx for parameter MetricDataQueries.member.2.Id is not matching the expected "
        "pattern ^[a-z][a-zA-Z0-9_]*$.\n", 400)
    assert call_error(cw, t0, {"Id": "result1", "Label": "e1"}) == (
        "ValidationError", "The parameter MetricDataQueries.member.1.MetricStat is required.\n",
        400)
    stat_min = dict(m1, MetricStat=dict(m1["MetricStat"], Stat="Min"))
    assert call_error(cw, t0, stat_min, dict(m2, Id="m1")) == (
        "ValidationError",
        "The value Min for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid "
        "statistic.\nThe values for parameter id in MetricDataQueries are not unique.\n", 400)
    assert call_error(cw, t0, dict(m1, Expression="m2")) == (
        "ValidationError",
        "The parameters MetricDataQueries.member.1.MetricStat and "
        "MetricDataQueries.member.1.Expression are mutually exclusive and you have specified "
        "both.\n", 400)


@pytest.mark.parametrize("text, detail", [
    ("m1 +", "Unexpected end of expression at char 4"),
    ("m1 m2", "Unsupported token 'm2' at char 3"),
    ("(m1", "Unexpected end of expression at char 3"),
    ("FOO(m1)", "Unknown function 'FOO' at char 0"),
    ("m1 * m3", "Unrecognized metric or expression Id 'm3' at char 5"),
    ("e1 + 1", "Circular dependency between expressions e1 -> e1"),
    ("FILL(m1, ASC)", "Invalid arguments for function FILL"),
    ("PERIOD(m1 * 2)", "Invalid arguments for function PERIOD"),
    ("AVG(m1)", "The expression must evaluate to a time series or an array of time series"),
])
def test_expression_errors(two, text, detail):
    cw, t0, metrics = two
    assert call_error(cw, t0, *metrics, expr("e1", text)) == (
        "ValidationError", f"Error in expression e1 [{detail}]", 400)


def test_cycle_through_two_expressions(two):
    cw, t0, metrics = two
    assert call_error(cw, t0, *metrics, expr("e1", "e2 * 2"), expr("e2", "m1 + e1")) == (
        "ValidationError",
        "Error in expression e1 [Circular dependency between expressions e1 -> e2 -> e1]", 400)


def test_get_metric_data_with_the_aws_cli(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Math")
    t0 = minute_start(server)
    put(cw, ns, "Writes", [600, 300], t0)
    server.advance(120)
    queries = [metric("m1", ns, "Writes"), expr("e1", "m1/PERIOD(m1)", Label="Per second")]
    out = server.aws("cloudwatch", "get-metric-data", "--metric-data-queries",
                     json.dumps(queries), "--start-time", str(int(t0)),
                     "--end-time", str(int(t0 + 120)), "--scan-by", "TimestampAscending").json
    [result] = out["MetricDataResults"]
    assert (result["Id"], result["Label"], result["Values"]) == ("e1", "Per second", [10.0, 5.0])
