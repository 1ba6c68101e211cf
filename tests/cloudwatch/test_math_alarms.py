"""Alarms on metric math (PutMetricAlarm with `Metrics` returning an Expression), on the manual
clock: each minute the evaluator computes the expression over the alarm's periods and applies the
usual rules (threshold, EvaluationPeriods, DatapointsToAlarm, TreatMissingData).

AWS facts: model docs of PutMetricAlarm.Metrics / MetricDataQuery; StateReason formats as for
single-metric alarms (spec §5.5.6); StateReasonData of a metric math alarm has no statistic
(User Guide "Alarm events and EventBridge", metric math example); alarms on AWS/DynamoDB metrics
keep their state on missing data (model doc of TreatMissingData); observed ValidationError texts
cited in services/cloudwatch/errors.py.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.cloudwatch.helpers import iso, minute_start, stamp, state
from tests.kit import error_of


def m1(ns: str, name: str = "ConsumedWriteCapacityUnits", **extra) -> dict:
    return {"Id": "m1", "ReturnData": False,
            "MetricStat": {"Metric": {"Namespace": ns, "MetricName": name}, "Period": 60,
                           "Stat": "Sum"}, **extra}


def per_second_alarm(cw, name: str, ns: str, **overrides) -> None:
    args = dict(AlarmName=name, EvaluationPeriods=2, Threshold=1.5,
                ComparisonOperator="GreaterThanThreshold",
                Metrics=[m1(ns), {"Id": "e1", "Expression": "m1/PERIOD(m1)",
                                  "Label": "Per second", "ReturnData": True}])
    args.update(overrides)
    cw.put_metric_alarm(**args)


def put(cw, ns: str, value: float, ts: float, name: str = "ConsumedWriteCapacityUnits") -> None:
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": name, "Value": value,
                                                  "Timestamp": ts}])


def test_per_second_math_alarm_transitions_reasons_and_history(server, unique):
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/MathAlarm"), unique("PerSecond")
    t0 = minute_start(server)
    per_second_alarm(cw, name, ns)
    put(cw, ns, 120.0, t0 + 5)                # 2.0 per second
    server.advance(60)                        # one breaching period, one missing: undecided
    assert state(cw, name)["StateValue"] == "INSUFFICIENT_DATA"
    put(cw, ns, 180.0, t0 + 65)               # 3.0 per second
    server.advance(60)
    a = state(cw, name)
    assert a["StateValue"] == "ALARM"
    assert a["StateReason"] == (f"Threshold Crossed: 2 datapoints [3.0 ({stamp(t0 + 60)}), "
                                f"2.0 ({stamp(t0)})] were greater than the threshold (1.5).")
    data = json.loads(a["StateReasonData"])
    assert list(data) == ["version", "queryDate", "startDate", "period", "recentDatapoints",
                          "threshold", "evaluatedDatapoints"]
    assert (data["startDate"], data["period"], data["threshold"]) == (iso(t0), 60, 1.5)
    assert data["recentDatapoints"] == [2.0, 3.0]
    assert data["evaluatedDatapoints"][0] == {"timestamp": iso(t0 + 60), "value": 3.0}
    put(cw, ns, 30.0, t0 + 125)               # 0.5 per second
    server.advance(60)
    a = state(cw, name)
    assert a["StateValue"] == "OK"
    assert a["StateReason"] == (f"Threshold Crossed: 1 datapoint [0.5 ({stamp(t0 + 120)})] was "
                                "not greater than the threshold (1.5).")
    items = cw.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate",
                                      ScanBy="TimestampAscending")["AlarmHistoryItems"]
    assert [i["HistorySummary"] for i in items] == [
        "Alarm updated from INSUFFICIENT_DATA to ALARM", "Alarm updated from ALARM to OK"]
    new_state = json.loads(items[0]["HistoryData"])["newState"]
    assert "statistic" not in new_state["stateReasonData"]
    # the alarm keeps its Metrics; it is not a standard alarm of the metric
    assert [q["Id"] for q in a["Metrics"]] == ["m1", "e1"] and "MetricName" not in a
    assert cw.describe_alarms_for_metric(Namespace=ns, MetricName="ConsumedWriteCapacityUnits",
                                         )["MetricAlarms"] == []


def test_math_alarm_missing_data_and_m_of_n(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/MathAlarm")
    gone, breach = unique("Gone"), unique("Breach")
    t0 = minute_start(server)
    per_second_alarm(cw, gone, ns, EvaluationPeriods=1)
    per_second_alarm(cw, breach, ns, EvaluationPeriods=3, DatapointsToAlarm=2,
                     TreatMissingData="breaching")
    put(cw, ns, 600.0, t0 + 5)
    server.advance(60)
    assert state(cw, gone)["StateValue"] == "ALARM"
    # M of N with missing periods counted as breaching: 1 real + 2 missing
    b = state(cw, breach)
    assert b["StateValue"] == "ALARM"
    assert b["StateReason"] == (
        f"Threshold Crossed: 1 out of the last 3 datapoints [10.0 ({stamp(t0)})] was greater "
        "than the threshold (1.5) (minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM "
        "transition).")
    server.advance(60)                       # no data: the expression has no value either
    g = state(cw, gone)
    assert g["StateValue"] == "INSUFFICIENT_DATA"
    assert g["StateReason"] == "Insufficient Data: 1 datapoint was unknown."


def test_rate_alarm_reads_periods_before_the_evaluation_window(server, unique):
    """RATE needs the value before the first evaluated period: CloudWatch retrieves more data
    points than EvaluationPeriods for metric math alarms."""
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/MathAlarm"), unique("Rate")
    t0 = minute_start(server)
    put(cw, ns, 0.0, t0 + 5, "Count")
    cw.put_metric_alarm(
        AlarmName=name, EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold",
        Metrics=[m1(ns, "Count", ReturnData=False) | {"MetricStat": {
            "Metric": {"Namespace": ns, "MetricName": "Count"}, "Period": 60, "Stat": "Maximum"}},
            {"Id": "e1", "Expression": "RATE(m1)", "ReturnData": True}])
    put(cw, ns, 120.0, t0 + 65, "Count")     # +120 in 60 s: 2 per second
    server.advance(120)
    a = state(cw, name)
    assert a["StateValue"] == "ALARM"
    assert a["StateReason"] == (f"Threshold Crossed: 1 datapoint [2.0 ({stamp(t0 + 60)})] was "
                                "greater than the threshold (1.0).")


def test_math_alarm_on_dynamodb_metrics_keeps_state_on_missing_data(server, unique):
    """AWS's DynamoDB guidance (m1/PERIOD(m1) on ConsumedWriteCapacityUnits) over the emulator's
    own published metrics; AWS/DynamoDB alarms ignore missing data."""
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    table, name = unique("t"), unique("Writes")
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    server.advance(10)
    minute_start(server)
    metric = {"Id": "m1", "ReturnData": False, "MetricStat": {
        "Metric": {"Namespace": "AWS/DynamoDB", "MetricName": "ConsumedWriteCapacityUnits",
                   "Dimensions": [{"Name": "TableName", "Value": table}]},
        "Period": 60, "Stat": "Sum"}}
    cw.put_metric_alarm(AlarmName=name, EvaluationPeriods=1, Threshold=1.0,
                        ComparisonOperator="GreaterThanThreshold",
                        Metrics=[metric, {"Id": "e1", "Expression": "m1/PERIOD(m1)"}])
    for i in range(90):                      # 90 WCU in one minute: 1.5 per second
        ddb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}})
    server.advance(60)
    assert state(cw, name)["StateValue"] == "ALARM"
    server.advance(180)                      # idle table: no datapoints, the state stays
    assert state(cw, name)["StateValue"] == "ALARM"


def test_describe_alarms_with_the_aws_cli_shows_math_alarm(server, unique):
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/MathAlarm"), unique("Cli")
    metrics = [m1(ns), {"Id": "e1", "Expression": "m1/PERIOD(m1)", "ReturnData": True}]
    server.aws("cloudwatch", "put-metric-alarm", "--alarm-name", name, "--evaluation-periods",
               "1", "--threshold", "5", "--comparison-operator", "GreaterThanThreshold",
               "--metrics", json.dumps(metrics))
    [alarm] = server.aws("cloudwatch", "describe-alarms", "--alarm-names", name).json["MetricAlarms"]
    assert alarm["Metrics"][1] == {"Id": "e1", "Expression": "m1/PERIOD(m1)", "ReturnData": True}
    assert alarm["StateValue"] == "INSUFFICIENT_DATA"
    assert cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["AlarmName"] == name


def expression(text: str, **extra) -> dict:
    return {"Id": "e1", "Expression": text, "ReturnData": True, **extra}


@pytest.mark.parametrize("overrides, message", [
    ({"Statistic": "Sum"}, "Statistic should not be set if list of Metrics is set."),
    ({"Namespace": "X"}, "Namespace should not be set if list of Metrics is set."),
    ({"Metrics": "no-return"}, "Exactly one element of the metrics list should return data."),
    ({"Metrics": "two-return"}, "Exactly one element of the metrics list should return data."),
    ({"Metrics": "upper-id"}, "Invalid metrics list"),
    ({"Metrics": "bad-stat"}, "Invalid metrics list"),
    ({"Metrics": "both"}, "Invalid metrics list"),
    ({"Metrics": "no-period"}, "Period must not be null"),
    ({"Metrics": "unknown-id"},
     "Error in expression e1 [Unrecognized metric or expression Id 'm2' at char 0]"),
    ({"Metrics": "syntax"}, "Error in expression e1 [Unexpected end of expression at char 4]"),
    ({"Metrics": "array"},
     "Error in expression e1 [The expression of an alarm must return a single time series]"),
    ({"ThresholdMetricId": "e1", "ComparisonOperator": "GreaterThanUpperThreshold"},
     "Exactly two elements of the metrics list should return data."),
    ({"Metrics": "period-90"}, "Period must be 10, 20, 30 or a multiple of 60"),
])
def test_put_metric_alarm_metrics_validation(server, unique, overrides, message):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/MathAlarm")
    base = m1(ns)
    lists = {
        "no-return": [base, expression("m1 * 2", ReturnData=False)],
        "two-return": [dict(base, ReturnData=True), expression("m1 * 2")],
        "upper-id": [dict(base, Id="M1"), expression("M1 * 2")],
        "bad-stat": [dict(base, MetricStat=dict(base["MetricStat"], Stat="Min")),
                     expression("m1 * 2")],
        "both": [dict(base, Expression="5"), expression("m1 * 2")],
        "no-period": [expression("TIME_SERIES(5)")],
        "unknown-id": [base, expression("m2 * 2")],
        "syntax": [base, expression("m1 +")],
        "array": [base, expression("METRICS()")],
        "period-90": [dict(base, MetricStat=dict(base["MetricStat"], Period=90)),
                      expression("m1 * 2")],
    }
    args = dict(AlarmName=unique("Bad"), EvaluationPeriods=1, Threshold=1.0,
                ComparisonOperator="GreaterThanThreshold", Metrics=[base, expression("m1 * 2")])
    args.update(overrides)
    if isinstance(args["Metrics"], str):
        args["Metrics"] = lists[args["Metrics"]]
    with pytest.raises(ClientError) as exc:
        cw.put_metric_alarm(**args)
    assert error_of(exc) == ("ValidationError", message, 400)


def test_anomaly_band_alarm_is_accepted_and_keeps_its_state(server, unique):
    """ThresholdMetricId alarms (ANOMALY_DETECTION_BAND) are stored but not evaluated here."""
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/MathAlarm"), unique("Band")
    cw.put_metric_alarm(AlarmName=name, EvaluationPeriods=1, ThresholdMetricId="ad1",
                        ComparisonOperator="GreaterThanUpperThreshold",
                        Metrics=[dict(m1(ns), ReturnData=True),
                                 {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)"}])
    put(cw, ns, 600.0, server.now())
    server.advance(120)
    assert state(cw, name)["StateValue"] == "INSUFFICIENT_DATA"
