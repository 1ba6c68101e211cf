"""CloudWatch metrics over HTTP: PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics.

AWS facts: spec autoscaling-cloudwatch-iam.md §5.6 (model docs of the operations); error texts as
cited in services/cloudwatch/errors.py.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.cloudwatch.helpers import minute_start
from tests.kit import error_of


def test_statistics_arithmetic_over_value_statistic_set_and_values(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Test")
    t0 = minute_start(server)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Latency", "Value": 10.0, "Unit": "Milliseconds", "Timestamp": t0 + 1},
        {"MetricName": "Latency", "StatisticValues": {"SampleCount": 3, "Sum": 60, "Minimum": 5,
                                                       "Maximum": 40},
         "Unit": "Milliseconds", "Timestamp": t0 + 2},
        {"MetricName": "Latency", "Values": [1.0, 100.0], "Counts": [2, 1], "Unit": "Milliseconds",
         "Timestamp": t0 + 3},
    ])
    out = cw.get_metric_statistics(Namespace=ns, MetricName="Latency", StartTime=t0, EndTime=t0 + 60,
                                   Period=60, Statistics=["SampleCount", "Sum", "Average",
                                                          "Minimum", "Maximum"])
    assert out["Label"] == "Latency"
    [dp] = out["Datapoints"]
    # 1 + 3 + 3 samples; 10 + 60 + (2*1 + 100) = 172
    assert dp["SampleCount"] == 7.0
    assert dp["Sum"] == 172.0
    assert dp["Average"] == pytest.approx(172.0 / 7)
    assert dp["Minimum"] == 1.0 and dp["Maximum"] == 100.0
    assert dp["Unit"] == "Milliseconds"
    assert dp["Timestamp"].timestamp() == t0


def test_period_aggregation_start_inclusive_end_exclusive(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Test")
    t0 = minute_start(server)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Hits", "Value": float(i + 1), "Timestamp": t0 + 60 * i} for i in range(4)])
    server.advance(300)
    stats = dict(Namespace=ns, MetricName="Hits", Statistics=["Sum"])
    # [t0, t0+120): minutes 0 and 1 only, one 120-s period
    out = cw.get_metric_statistics(StartTime=t0, EndTime=t0 + 120, Period=120, **stats)
    assert [(d["Timestamp"].timestamp(), d["Sum"]) for d in out["Datapoints"]] == [(t0, 3.0)]
    # start inclusive: the point exactly at t0+60 counts; end exclusive: t0+180 does not
    out = cw.get_metric_statistics(StartTime=t0 + 60, EndTime=t0 + 180, Period=60, **stats)
    assert sorted(d["Sum"] for d in out["Datapoints"]) == [2.0, 3.0]
    # no Unit given at put time: datapoints report Unit None
    assert {d["Unit"] for d in out["Datapoints"]} == {"None"}


def test_units_are_aggregated_separately(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Test")
    t0 = minute_start(server)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Size", "Value": 1.0, "Unit": "Bytes", "Timestamp": t0 + 1},
        {"MetricName": "Size", "Value": 5.0, "Unit": "Kilobytes", "Timestamp": t0 + 2}])
    base = dict(Namespace=ns, MetricName="Size", StartTime=t0, EndTime=t0 + 60, Period=60,
                Statistics=["Sum"])
    both = cw.get_metric_statistics(**base)["Datapoints"]
    assert sorted((d["Unit"], d["Sum"]) for d in both) == [("Bytes", 1.0), ("Kilobytes", 5.0)]
    only = cw.get_metric_statistics(Unit="Kilobytes", **base)["Datapoints"]
    assert [(d["Unit"], d["Sum"]) for d in only] == [("Kilobytes", 5.0)]


def test_dimensions_identify_the_metric(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Test")
    t0 = minute_start(server)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Load", "Value": 1.0, "Timestamp": t0 + 1,
         "Dimensions": [{"Name": "Host", "Value": "a"}, {"Name": "Az", "Value": "x"}]},
        {"MetricName": "Load", "Value": 7.0, "Timestamp": t0 + 1,
         "Dimensions": [{"Name": "Host", "Value": "a"}]}])
    base = dict(Namespace=ns, MetricName="Load", StartTime=t0, EndTime=t0 + 60, Period=60,
                Statistics=["Sum"])
    # dimension order does not matter; the exact set does
    two = cw.get_metric_statistics(Dimensions=[{"Name": "Az", "Value": "x"},
                                               {"Name": "Host", "Value": "a"}], **base)
    assert [d["Sum"] for d in two["Datapoints"]] == [1.0]
    assert cw.get_metric_statistics(**base)["Datapoints"] == []


def test_1440_datapoint_limit(server, unique):
    cw = server.client("cloudwatch")
    t0 = minute_start(server)
    with pytest.raises(ClientError) as exc:
        cw.get_metric_statistics(Namespace=unique("Ns"), MetricName="M", StartTime=t0 - 86400,
                                 EndTime=t0, Period=1, Statistics=["Sum"])
    # observed on AWS (cloud-custodian #7683)
    assert error_of(exc) == (
        "InvalidParameterCombination",
        "You have requested up to 86400 datapoints, which exceeds the limit of 1440. You may reduce "
        "the datapoints requested by increasing Period, or decreasing the time range.", 400)
    # exactly 1440 is fine
    cw.get_metric_statistics(Namespace=unique("Ns"), MetricName="M", StartTime=t0 - 86400,
                             EndTime=t0, Period=60, Statistics=["Sum"])
    # counted over the requested span, not the minute-rounded one: a day from a StartTime with
    # seconds is accepted (LocalStack test_invalid_amount_of_datapoints, validated against AWS)
    out = cw.get_metric_statistics(Namespace=unique("Ns"), MetricName="M", StartTime=t0 + 13,
                                   EndTime=t0 + 13 + 86400, Period=60, Statistics=["SampleCount"])
    assert (out["Label"], out["Datapoints"]) == ("M", [])


def test_start_time_must_precede_end_time(server, unique):
    cw = server.client("cloudwatch")
    t0 = minute_start(server)
    with pytest.raises(ClientError) as exc:
        cw.get_metric_statistics(Namespace="Ns", MetricName="M", StartTime=t0, EndTime=t0,
                                 Period=60, Statistics=["Sum"])
    assert error_of(exc) == ("InvalidParameterValue",
                             "The parameter StartTime must be less than the parameter EndTime.", 400)


def test_put_metric_data_errors(server, unique):
    cw = server.client("cloudwatch")
    with pytest.raises(ClientError) as exc:
        cw.put_metric_data(Namespace="Ns", MetricData=[
            {"MetricName": "M", "Value": 1.0,
             "StatisticValues": {"SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}}])
    assert error_of(exc) == (
        "InvalidParameterCombination",
        "The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are "
        "mutually exclusive and you have specified both.", 400)
    # LocalStack test_put_metric_data_validation (validated against AWS): Value with Values is
    # InvalidParameterCombination; StatisticValues with Values is accepted
    with pytest.raises(ClientError) as exc:
        cw.put_metric_data(Namespace="Ns", MetricData=[
            {"MetricName": "M", "Value": 1.5, "Values": [1.0, 10.0], "Unit": "Count"}])
    assert error_of(exc) == (
        "InvalidParameterCombination",
        "The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually "
        "exclusive and you have specified both.", 400)
    cw.put_metric_data(Namespace=unique("Ns"), MetricData=[
        {"MetricName": "M", "Values": [1.0, 10.0], "Unit": "Count",
         "StatisticValues": {"SampleCount": 10, "Sum": 55, "Minimum": 1, "Maximum": 10}}])
    with pytest.raises(ClientError) as exc:
        cw.put_metric_data(Namespace="Ns", MetricData=[
            {"MetricName": "M", "Value": 1.0}, {"MetricName": "M", "Values": [1.0, 2.0], "Counts": [1]}])
    assert error_of(exc) == (
        "InvalidParameterValue",
        "The parameters MetricData.member.2.Values and MetricData.member.2.Counts must be of the "
        "same size.", 400)
    with pytest.raises(ClientError) as exc:
        cw.put_metric_data(Namespace="Ns", MetricData=[{"MetricName": "M", "Value": 2.0 ** 361}])
    code, message, status = error_of(exc)
    assert (code, status) == ("InvalidParameterValue", 400)
    assert message.endswith("for parameter MetricData.member.1.Value is invalid.")
    with pytest.raises(ClientError) as exc:
        cw.put_metric_data(Namespace="AWS/DynamoDB", MetricData=[{"MetricName": "M", "Value": 1.0}])
    assert error_of(exc) == ("InvalidParameterValue",
                             "The value AWS/DynamoDB for parameter Namespace is invalid.", 400)


def test_put_metric_data_size_limit_with_gzip_bodies(server, unique):
    """botocore gzips PutMetricData bodies of 10 KB or more (the model's requestcompression
    trait), so large requests arrive with Content-Encoding: gzip."""
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Big")
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "M", "Value": 1.0}] * 1000)
    with pytest.raises(ClientError) as exc:
        cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "M", "Value": 1.0}] * 1001)
    assert error_of(exc) == ("InvalidParameterValue",
                             "The collection MetricData must not have a size greater than 1000.", 400)


def test_get_metric_data_newest_first(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Test")
    t0 = minute_start(server)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Q", "Value": float(i), "Timestamp": t0 + 60 * i} for i in range(3)])
    query = {"Id": "q1", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "Q"},
                                        "Period": 60, "Stat": "Maximum"}}
    out = cw.get_metric_data(MetricDataQueries=[query], StartTime=t0, EndTime=t0 + 180)
    [res] = out["MetricDataResults"]
    assert res["Id"] == "q1" and res["Label"] == "Q" and res["StatusCode"] == "Complete"
    assert [t.timestamp() for t in res["Timestamps"]] == [t0 + 120, t0 + 60, t0]
    assert res["Values"] == [2.0, 1.0, 0.0]
    asc = cw.get_metric_data(MetricDataQueries=[query], StartTime=t0, EndTime=t0 + 180,
                             ScanBy="TimestampAscending")["MetricDataResults"][0]
    assert asc["Values"] == [0.0, 1.0, 2.0]


def test_list_metrics_filters(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/List")
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "A", "Value": 1.0, "Dimensions": [{"Name": "T", "Value": "x"},
                                                         {"Name": "U", "Value": "y"}]},
        {"MetricName": "A", "Value": 1.0, "Unit": "Count",
         "Dimensions": [{"Name": "T", "Value": "x"}, {"Name": "U", "Value": "y"}]},
        {"MetricName": "A", "Value": 1.0, "Dimensions": [{"Name": "T", "Value": "z"}]},
        {"MetricName": "B", "Value": 1.0}])

    def names(**kw):
        return sorted((m["MetricName"], tuple((d["Name"], d["Value"]) for d in m["Dimensions"]))
                      for m in cw.list_metrics(Namespace=ns, **kw)["Metrics"])

    # one entry per metric even when it was published with two units
    assert names() == [("A", (("T", "x"), ("U", "y"))), ("A", (("T", "z"),)), ("B", ())]
    assert names(MetricName="B") == [("B", ())]
    # a metric with extra dimensions still matches; a name-only filter matches any value
    assert names(Dimensions=[{"Name": "T", "Value": "x"}]) == [("A", (("T", "x"), ("U", "y")))]
    assert len(names(Dimensions=[{"Name": "T"}])) == 2


@pytest.mark.parametrize("pairs, labels", [
    ([("Sum", 60, "Seconds"), ("Minimum", 30, "Seconds")], ["metric1 Sum 60", "metric1 Minimum 30"]),
    ([("Sum", 60, "Seconds"), ("Minimum", 60, "Seconds")], ["metric1 Sum", "metric1 Minimum"]),
    ([("Sum", 60, "Seconds"), ("Sum", 30, "Seconds")], ["metric1 60", "metric1 30"]),
    ([("Sum", 60, "Seconds"), ("Minimum", 30, "Milliseconds")],
     ["metric1 Sum 60", "metric1 Minimum 30"]),
    ([("Sum", 60, "Seconds"), ("Sum", 60, "Milliseconds")], ["metric1", "metric1"]),
])
def test_get_metric_data_default_labels_name_what_differs(server, unique, pairs, labels):
    """LocalStack snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::
    test_label_generation, recorded against AWS: a default label gains the Stat and/or the
    Period when the queries differ in them; a Unit difference adds nothing; an explicit Label
    is kept as given."""
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Labels")
    t0 = minute_start(server)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "metric1", "Value": v, "Unit": "Seconds", "Timestamp": t0 + 1}
        for v in (0, 2, 7, 100)])
    queries = [{"Id": f"q{i}", "MetricStat": {
        "Metric": {"Namespace": ns, "MetricName": "metric1"}, "Period": period, "Stat": stat,
        "Unit": unit}} for i, (stat, period, unit) in enumerate(pairs)]
    window = dict(StartTime=t0 - 60, EndTime=t0 + 60)
    out = cw.get_metric_data(MetricDataQueries=queries, **window)["MetricDataResults"]
    assert [r["Label"] for r in out] == labels
    assert out[0]["Values"] == [109.0]
    queries[0]["Label"] = "mine"
    out = cw.get_metric_data(MetricDataQueries=queries, **window)["MetricDataResults"]
    assert [r["Label"] for r in out] == ["mine"] + labels[1:]


@pytest.mark.parametrize("data, value, units", [
    ([("Milliseconds", 60000.0), ("Seconds", 60.0)], 60000.0, "[Milliseconds, Seconds]"),
    ([("Milliseconds", 60000.0), ("Seconds", 60.0)] * 2, 120000.0, "[Milliseconds, Seconds]"),
    ([("Milliseconds", 60000.0), ("Seconds", 60.0)] * 2 + [("Count", 5.0)], 5.0,
     "[Count, Milliseconds, Seconds]"),
])
def test_get_metric_data_without_unit_over_several_units(server, unique, data, value, units):
    """LocalStack snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::
    test_get_metric_data_different_units_no_unit_in_query, recorded against AWS: one unit's
    data is answered (AWS's preference order), with a MultipleUnits message; naming a Unit reads
    that unit alone, without a message."""
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Units")
    t0 = minute_start(server)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "m-test", "Value": v, "Unit": u, "Timestamp": t0 + 1} for u, v in data])
    stat = {"Metric": {"Namespace": ns, "MetricName": "m-test"}, "Period": 60, "Stat": "Sum"}
    window = dict(StartTime=t0, EndTime=t0 + 60, MaxDatapoints=10)
    [res] = cw.get_metric_data(MetricDataQueries=[{"Id": "m1", "MetricStat": stat}],
                               **window)["MetricDataResults"]
    assert res["Values"] == [value] and res["StatusCode"] == "Complete"
    assert res["Messages"] == [{"Code": "MultipleUnits",
                                "Value": f"Multiple units returned: '{units}'"}]
    [res] = cw.get_metric_data(MetricDataQueries=[{"Id": "m1", "MetricStat": {
        **stat, "Unit": "Seconds"}}], **window)["MetricDataResults"]
    assert res["Values"] == [60.0 * (len(data) // 2)] and "Messages" not in res


def test_get_metric_data_pages_with_next_token(server, unique):
    """LocalStack tests/aws/services/cloudwatch/test_cloudwatch.py::test_get_metric_data_pagination
    (validated against AWS): results cut at MaxDatapoints come with a NextToken; here the next
    call continues where the first stopped. Math expressions get no token (model doc)."""
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Pages")
    t0 = minute_start(server) - 20 * 60
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "M", "Value": float(i), "Unit": "Seconds", "Timestamp": t0 + 60 * i}
        for i in range(20)])
    query = {"Id": "m1", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "M"},
                                        "Period": 60, "Stat": "Sum"}}
    args = dict(MetricDataQueries=[query], StartTime=t0, EndTime=t0 + 1200, MaxDatapoints=10)
    first = cw.get_metric_data(**args)
    [res] = first["MetricDataResults"]
    assert res["Values"] == [float(i) for i in range(19, 9, -1)]
    assert res["StatusCode"] == "PartialData" and first.get("NextToken")
    second = cw.get_metric_data(**args, NextToken=first["NextToken"])
    [res] = second["MetricDataResults"]
    assert res["Values"] == [float(i) for i in range(9, -1, -1)]
    assert res["StatusCode"] == "Complete" and "NextToken" not in second
    with_math = dict(args, MetricDataQueries=[dict(query, ReturnData=False),
                                              {"Id": "e1", "Expression": "m1 * 2"}])
    out = cw.get_metric_data(**with_math)
    assert out["MetricDataResults"][0]["StatusCode"] == "PartialData" and "NextToken" not in out
    with pytest.raises(ClientError) as exc:
        cw.get_metric_data(**args, NextToken="not-a-token")
    assert error_of(exc)[0::2] == ("InvalidNextToken", 400)
