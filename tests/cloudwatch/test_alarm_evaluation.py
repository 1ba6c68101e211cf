"""Alarm evaluation on the manual clock: each minute boundary the evaluator looks at the last
EvaluationPeriods complete periods.

AWS facts: spec autoscaling-cloudwatch-iam.md §5.5 (M of N, TreatMissingData, StateReason /
StateReasonData formats observed on AWS), §5.2.6 (AWS/DynamoDB alarms keep their state on missing
data), §5.5.9 (actions).
"""

from __future__ import annotations

import json

import pytest

from tests.cloudwatch.helpers import iso, minute_start, stamp, state


def put(cw, ns: str, value: float, ts: float) -> None:
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "Load", "Value": value,
                                                  "Timestamp": ts}])


def alarm(cw, name: str, ns: str, **overrides) -> None:
    args = dict(AlarmName=name, MetricName="Load", Namespace=ns, Statistic="Sum", Period=60,
                EvaluationPeriods=2, Threshold=42.0, ComparisonOperator="GreaterThanThreshold")
    args.update(overrides)
    cw.put_metric_alarm(**args)


def test_n_of_n_alarm_and_recovery_with_aws_reason_text(server, unique):
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/Eval"), unique("High")
    t0 = minute_start(server)
    alarm(cw, name, ns)
    put(cw, ns, 50.0, t0 + 5)
    server.advance(60)                      # evaluation at t0+60: one breaching point, one missing
    assert state(cw, name)["StateValue"] == "INSUFFICIENT_DATA"  # not enough to decide
    put(cw, ns, 63.0, t0 + 65)
    server.advance(60)                      # evaluation at t0+120: two breaching minutes
    a = state(cw, name)
    assert a["StateValue"] == "ALARM"
    assert a["StateReason"] == (f"Threshold Crossed: 2 datapoints [63.0 ({stamp(t0 + 60)}), "
                                f"50.0 ({stamp(t0)})] were greater than the threshold (42.0).")
    data = json.loads(a["StateReasonData"])
    assert list(data) == ["version", "queryDate", "startDate", "statistic", "period",
                          "recentDatapoints", "threshold", "evaluatedDatapoints"]
    assert data["queryDate"] == iso(t0 + 120) and data["startDate"] == iso(t0)
    assert (data["statistic"], data["period"], data["threshold"]) == ("Sum", 60, 42.0)
    assert data["recentDatapoints"] == [50.0, 63.0]  # oldest first
    assert data["evaluatedDatapoints"][0] == {"timestamp": iso(t0 + 60), "sampleCount": 1.0,
                                              "value": 63.0}
    assert a["StateTransitionedTimestamp"].timestamp() == t0 + 120
    put(cw, ns, 1.0, t0 + 125)
    server.advance(60)
    a = state(cw, name)
    assert a["StateValue"] == "OK"
    assert a["StateReason"] == (f"Threshold Crossed: 1 datapoint [1.0 ({stamp(t0 + 120)})] was not "
                                "greater than the threshold (42.0).")


def test_m_of_n_reason_text(server, unique):
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/Eval"), unique("MofN")
    t0 = minute_start(server)
    alarm(cw, name, ns, EvaluationPeriods=3, DatapointsToAlarm=2, Threshold=10.0,
          ComparisonOperator="GreaterThanOrEqualToThreshold")
    put(cw, ns, 15.39, t0 + 1)
    put(cw, ns, 1.0, t0 + 61)
    put(cw, ns, 11.48, t0 + 121)
    server.advance(120)                     # at t0+120: 1 of the 2 datapoints breaches -> OK
    assert state(cw, name)["StateValue"] == "OK"
    server.advance(60)
    a = state(cw, name)
    assert a["StateValue"] == "ALARM"
    assert a["StateReason"] == (
        f"Threshold Crossed: 2 out of the last 3 datapoints [11.48 ({stamp(t0 + 120)}), "
        f"15.39 ({stamp(t0)})] were greater than or equal to the threshold (10.0) "
        "(minimum 2 datapoints for OK -> ALARM transition).")


def test_missing_data_goes_to_insufficient_data(server, unique):
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/Eval"), unique("Missing")
    minute_start(server)
    alarm(cw, name, ns)
    cw.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="forced")
    server.advance(60)
    a = state(cw, name)
    assert a["StateValue"] == "INSUFFICIENT_DATA"
    assert a["StateReason"] == "Insufficient Data: 2 datapoints were unknown."
    data = json.loads(a["StateReasonData"])
    assert data["recentDatapoints"] == [] and "startDate" not in data
    assert len(data["evaluatedDatapoints"]) == 2


@pytest.mark.parametrize("treat, expected", [
    ("breaching", "ALARM"), ("notBreaching", "OK"), ("ignore", "INSUFFICIENT_DATA"),
    ("missing", "INSUFFICIENT_DATA")])
def test_treat_missing_data(server, unique, treat, expected):
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/Eval"), unique(f"Tmd-{treat}")
    minute_start(server)
    alarm(cw, name, ns, TreatMissingData=treat)
    server.advance(60)
    assert state(cw, name)["StateValue"] == expected
    if treat == "ignore":  # ignore keeps whatever state the alarm is in
        cw.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="forced")
        server.advance(120)
        assert state(cw, name)["StateValue"] == "ALARM"


@pytest.mark.parametrize("periods, treat, expected, reason", [
    (2, "breaching", "ALARM", "Threshold Crossed: no datapoints were received for 2 periods and 2 "
                              "missing datapoints were treated as [Breaching]."),
    (1, "notBreaching", "OK", "Threshold Crossed: no datapoints were received for 1 period and 1 "
                              "missing datapoint was treated as [NonBreaching]."),
])
def test_all_missing_treated_as_data_reason(server, unique, periods, treat, expected, reason):
    """LocalStack snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::
    test_breaching_alarm_actions and test_put_metric_alarm, recorded against AWS: the reason
    names the missing periods, and StateReasonData has no startDate and lists each period's
    timestamp alone."""
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/Eval"), unique(f"AllMissing-{treat}")
    t0 = minute_start(server)
    alarm(cw, name, ns, Period=10, EvaluationPeriods=periods, Statistic="Average",
          Unit="Seconds", Threshold=2.0, TreatMissingData=treat)
    server.advance(60)
    a = state(cw, name)
    assert (a["StateValue"], a["StateReason"]) == (expected, reason)
    data = json.loads(a["StateReasonData"])
    assert list(data) == ["version", "queryDate", "unit", "statistic", "period",
                          "recentDatapoints", "threshold", "evaluatedDatapoints"]
    assert (data["unit"], data["statistic"], data["period"]) == ("Seconds", "Average", 10)
    assert data["recentDatapoints"] == [] and data["threshold"] == 2.0
    assert data["evaluatedDatapoints"] == [{"timestamp": iso(t0 + 60 - 10 * (i + 1))}
                                           for i in range(periods)]


@pytest.mark.parametrize("treat", ["breaching", "notBreaching", "missing"])
def test_aws_dynamodb_alarms_keep_state_on_missing_data(server, unique, treat):
    """Model doc of PutMetricAlarm.TreatMissingData: alarms on AWS/DynamoDB metrics always ignore
    missing data, whatever TreatMissingData says (spec 5.2.6)."""
    cw = server.client("cloudwatch")
    name = unique("Ddb")
    minute_start(server)
    alarm(cw, name, "AWS/DynamoDB", MetricName="ConsumedWriteCapacityUnits",
          Dimensions=[{"Name": "TableName", "Value": unique("T")}], TreatMissingData=treat)
    server.advance(120)
    assert state(cw, name)["StateValue"] == "INSUFFICIENT_DATA"
    for forced in ("OK", "ALARM"):
        cw.set_alarm_state(AlarmName=name, StateValue=forced, StateReason="forced")
        server.advance(180)
        a = state(cw, name)
        assert (a["StateValue"], a["StateReason"]) == (forced, "forced")


def test_period_longer_than_a_minute_uses_aligned_periods(server, unique):
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/Eval"), unique("FiveMin")
    t0 = minute_start(server)
    base = t0 - t0 % 300 + 300             # next 5-minute boundary
    server.advance(base - server.now() + 1)
    alarm(cw, name, ns, Statistic="Average", Period=300, EvaluationPeriods=1, Threshold=5.0,
          ComparisonOperator="LessThanThreshold")
    put(cw, ns, 2.0, base + 10)
    put(cw, ns, 4.0, base + 200)
    server.advance(240)                     # evaluations inside the open period: no datapoint yet
    assert state(cw, name)["StateValue"] == "INSUFFICIENT_DATA"
    server.advance(60)                      # base+300: the period [base, base+300) is complete
    a = state(cw, name)
    assert a["StateValue"] == "ALARM"
    assert a["StateReason"] == (f"Threshold Crossed: 1 datapoint [3.0 ({stamp(base)})] was less "
                                "than the threshold (5.0).")


def test_transition_actions_are_recorded_and_disabled_actions_are_not(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Eval")
    sns = "arn:aws:sns:us-east-1:123456789012:ops"
    on, off = unique("On"), unique("Off")
    t0 = minute_start(server)
    alarm(cw, on, ns, EvaluationPeriods=1, AlarmActions=[sns])
    alarm(cw, off, ns, EvaluationPeriods=1, AlarmActions=[sns], ActionsEnabled=False)
    put(cw, ns, 100.0, t0 + 1)
    server.advance(180)                     # ALARM at t0+60, then missing data
    kinds = [i["HistorySummary"] for i in
             cw.describe_alarm_history(AlarmName=on, HistoryItemType="Action")["AlarmHistoryItems"]]
    assert kinds == [f"Published a notification to {sns}"]  # once: SNS runs on transitions only
    assert cw.describe_alarm_history(AlarmName=off, HistoryItemType="Action")["AlarmHistoryItems"] == []
    assert state(cw, off)["StateValue"] != "OK"  # disabled actions do not stop state changes


def test_alarms_survive_restart_and_evaluation_resumes(make_server, unique):
    server = make_server("--clock", "manual")
    cw = server.client("cloudwatch")
    ns, name = unique("Dynoscale/Eval"), unique("Durable")
    minute_start(server)
    alarm(cw, name, ns, EvaluationPeriods=1)
    cw.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="forced")
    server.restart()
    cw = server.client("cloudwatch")
    assert state(cw, name)["StateValue"] == "OK"
    t1 = minute_start(server)
    put(cw, ns, 99.0, t1 + 1)
    server.advance(60)
    assert state(cw, name)["StateValue"] == "ALARM"
