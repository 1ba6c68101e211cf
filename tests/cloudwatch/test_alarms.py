"""CloudWatch metric alarms over HTTP: lifecycle, validation, filters, SetAlarmState, history.

AWS facts: spec autoscaling-cloudwatch-iam.md §5.2-5.5 (model docs; observed outputs and error
texts cited in services/cloudwatch/errors.py).
"""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from botocore.exceptions import ClientError

from dynoscale.storage.sqlite import DB_FILE
from tests.cloudwatch.helpers import cloudwatch_client
from tests.kit import error_of

ACCOUNT, REGION = "123456789012", "us-east-1"


def alarm_args(name: str, **overrides) -> dict:
    args = dict(AlarmName=name, MetricName="Errors", Namespace="Dynoscale/Alarms",
                Statistic="Sum", Period=60, EvaluationPeriods=2, Threshold=5.0,
                ComparisonOperator="GreaterThanThreshold")
    args.update(overrides)
    return args


def describe_one(cw, name: str) -> dict:
    [alarm] = cw.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    return alarm


def test_new_alarm_shape(server, unique):
    cw = server.client("cloudwatch")
    name = unique("TargetTracking-table/T-AlarmHigh")  # names may contain '/'
    cw.put_metric_alarm(**alarm_args(name, Dimensions=[{"Name": "TableName", "Value": "T"}]))
    alarm = describe_one(cw, name)
    assert alarm["AlarmArn"] == f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"
    # new alarms start INSUFFICIENT_DATA (moto wrongly starts OK), spec 5.2.4
    assert alarm["StateValue"] == "INSUFFICIENT_DATA"
    assert alarm["StateReason"] == "Unchecked: Initial alarm creation"
    assert alarm["ActionsEnabled"] is True
    assert alarm["OKActions"] == [] and alarm["AlarmActions"] == [] \
        and alarm["InsufficientDataActions"] == []
    assert alarm["Dimensions"] == [{"Name": "TableName", "Value": "T"}]
    for field in ("AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp",
                  "StateTransitionedTimestamp"):
        assert alarm[field].timestamp() == pytest.approx(server.now(), abs=1)
    # fields never set are absent (observed describe-alarms outputs)
    for field in ("TreatMissingData", "DatapointsToAlarm", "AlarmDescription", "Unit",
                  "ExtendedStatistic", "StateReasonData"):
        assert field not in alarm
    # an alarm without dimensions still shows Dimensions []
    other = unique("NoDims")
    cw.put_metric_alarm(**alarm_args(other))
    assert describe_one(cw, other)["Dimensions"] == []


def test_update_overwrites_configuration_and_keeps_state(server, unique):
    cw = server.client("cloudwatch")
    name = unique("Upd")
    cw.put_metric_alarm(**alarm_args(name, AlarmDescription="first", TreatMissingData="ignore",
                                     OKActions=["arn:aws:sns:us-east-1:123456789012:t"]))
    cw.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="testing")
    server.advance(5)
    cw.put_metric_alarm(**alarm_args(name, Threshold=9.0))
    alarm = describe_one(cw, name)
    assert alarm["Threshold"] == 9.0
    # full overwrite: omitted fields are reset, not merged (model doc of PutMetricAlarm)
    assert "AlarmDescription" not in alarm and "TreatMissingData" not in alarm
    assert alarm["OKActions"] == []
    # the state survives the update
    assert alarm["StateValue"] == "ALARM" and alarm["StateReason"] == "testing"
    assert alarm["AlarmConfigurationUpdatedTimestamp"] > alarm["StateUpdatedTimestamp"]


@pytest.mark.parametrize("overrides, message", [
    ({"Period": 45}, "Period must be 10, 20, 30 or a multiple of 60"),
    ({"EvaluationPeriods": 2, "DatapointsToAlarm": 3},
     "DatapointsToAlarm must be less than or equal to EvaluationPeriods"),
    ({"ExtendedStatistic": "p99"},
     "PutMetricAlarm request can not be made with both Statistic and ExtendedStatistic "
     "parameters. Only one of them should be present"),
])
def test_put_metric_alarm_validation(server, unique, overrides, message):
    cw = server.client("cloudwatch")
    with pytest.raises(ClientError) as exc:
        cw.put_metric_alarm(**alarm_args(unique("Bad"), **overrides))
    assert error_of(exc) == ("ValidationError", message, 400)


def test_evaluation_range_limits(server, unique):
    cw = server.client("cloudwatch")
    # Period < 3600: Period x EvaluationPeriods <= 86,400 (1440 x 60 is the maximum)
    cw.put_metric_alarm(**alarm_args(unique("Day"), EvaluationPeriods=1440))
    with pytest.raises(ClientError) as exc:
        cw.put_metric_alarm(**alarm_args(unique("TooLong"), EvaluationPeriods=1441))
    assert error_of(exc)[0] == "ValidationError"
    # Period >= 3600: up to 604,800 s
    cw.put_metric_alarm(**alarm_args(unique("Week"), Period=3600, EvaluationPeriods=168))
    with pytest.raises(ClientError) as exc:
        cw.put_metric_alarm(**alarm_args(unique("TooLong"), Period=3600, EvaluationPeriods=169))
    assert error_of(exc)[0] == "ValidationError"


def test_describe_filters_and_pagination(server, unique):
    cw = server.client("cloudwatch")
    prefix = unique("Filt")
    sns = f"arn:aws:sns:{REGION}:{ACCOUNT}:ops"
    for i in range(5):
        cw.put_metric_alarm(**alarm_args(f"{prefix}-{i}",
                                         AlarmActions=[sns] if i % 2 else []))
    cw.set_alarm_state(AlarmName=f"{prefix}-3", StateValue="OK", StateReason="r")

    def names(**kw):
        return [a["AlarmName"] for a in cw.describe_alarms(**kw)["MetricAlarms"]]

    assert names(AlarmNamePrefix=prefix) == [f"{prefix}-{i}" for i in range(5)]
    # unknown names are simply absent
    assert names(AlarmNames=[f"{prefix}-1", "no-such-alarm"]) == [f"{prefix}-1"]
    assert names(AlarmNamePrefix=prefix, StateValue="OK") == [f"{prefix}-3"]
    assert names(AlarmNamePrefix=prefix, ActionPrefix="arn:aws:sns:") == [f"{prefix}-1", f"{prefix}-3"]
    page1 = cw.describe_alarms(AlarmNamePrefix=prefix, MaxRecords=2)
    assert [a["AlarmName"] for a in page1["MetricAlarms"]] == [f"{prefix}-0", f"{prefix}-1"]
    page2 = cw.describe_alarms(AlarmNamePrefix=prefix, MaxRecords=2, NextToken=page1["NextToken"])
    assert [a["AlarmName"] for a in page2["MetricAlarms"]] == [f"{prefix}-2", f"{prefix}-3"]
    paginated = cw.get_paginator("describe_alarms").paginate(AlarmNamePrefix=prefix,
                                                             PaginationConfig={"PageSize": 2})
    assert sum(len(p["MetricAlarms"]) for p in paginated) == 5
    with pytest.raises(ClientError) as exc:
        cw.describe_alarms(NextToken="garbage!")
    assert error_of(exc)[0::2] == ("InvalidNextToken", 400)


def test_delete_alarms_ignores_unknown_names(server, unique):
    cw = server.client("cloudwatch")
    name = unique("Del")
    cw.put_metric_alarm(**alarm_args(name))
    cw.delete_alarms(AlarmNames=[name, unique("never-existed")])
    assert cw.describe_alarms(AlarmNames=[name])["MetricAlarms"] == []


def test_describe_alarms_for_metric(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/ForMetric")
    dims = [{"Name": "TableName", "Value": "T"}]
    a, b = unique("A"), unique("B")
    cw.put_metric_alarm(**alarm_args(a, Namespace=ns, Dimensions=dims))
    cw.put_metric_alarm(**alarm_args(b, Namespace=ns, Dimensions=dims, Statistic="Average"))
    cw.put_metric_alarm(**alarm_args(unique("C"), Namespace=ns))  # no dimensions
    found = cw.describe_alarms_for_metric(Namespace=ns, MetricName="Errors", Dimensions=dims)
    assert sorted(x["AlarmName"] for x in found["MetricAlarms"]) == sorted([a, b])
    found = cw.describe_alarms_for_metric(Namespace=ns, MetricName="Errors", Dimensions=dims,
                                          Statistic="Average")
    assert [x["AlarmName"] for x in found["MetricAlarms"]] == [b]


def test_set_alarm_state(server, unique):
    cw = server.client("cloudwatch")
    name = unique("Set")
    cw.put_metric_alarm(**alarm_args(name))
    cw.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="by hand",
                       StateReasonData=json.dumps({"version": "1.0"}))
    alarm = describe_one(cw, name)
    assert (alarm["StateValue"], alarm["StateReason"]) == ("ALARM", "by hand")
    assert json.loads(alarm["StateReasonData"]) == {"version": "1.0"}
    with pytest.raises(ClientError) as exc:
        cw.set_alarm_state(AlarmName=unique("missing"), StateValue="OK", StateReason="x")
    assert error_of(exc)[0::2] == ("ResourceNotFound", 404)
    with pytest.raises(ClientError) as exc:
        cw.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="x", StateReasonData="{no")
    assert error_of(exc)[0::2] == ("InvalidFormat", 400)


def test_set_alarm_state_enum_listed_in_aws_order(server, unique):
    """LocalStack snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::
    test_set_alarm_invalid_input, recorded against AWS: the enum values are listed in the order
    AWS's validator lists them (Java hash order), not the model's."""
    cw = server.client("cloudwatch")
    name = unique("SetBad")
    cw.put_metric_alarm(**alarm_args(name))
    with pytest.raises(ClientError) as exc:
        cw.set_alarm_state(AlarmName=name, StateValue="INVALID", StateReason="test")
    assert error_of(exc) == (
        "ValidationError", "1 validation error detected: Value 'INVALID' at 'stateValue' failed "
        "to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
        400)


def test_set_alarm_state_unknown_alarm_has_no_message(server, unique):
    """LocalStack snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::
    test_set_alarm_invalid_input, recorded against AWS: an unknown alarm's ResourceNotFound
    carries no Message."""
    name = unique("SetMissing")
    # the recording used the query protocol (botocore's JSON parser fills a missing message in
    # with ""); in XML the <Message> element is absent
    with pytest.raises(ClientError) as exc:
        cloudwatch_client(server, "query").set_alarm_state(
            AlarmName=f"{name}-nonexistent", StateValue="OK", StateReason="test")
    err = exc.value.response["Error"]
    assert (err["Code"], err["Type"], "Message" in err) == ("ResourceNotFound", "Sender", False)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_enable_disable_alarm_actions(server, unique):
    cw = server.client("cloudwatch")
    name = unique("Act")
    cw.put_metric_alarm(**alarm_args(name))
    cw.disable_alarm_actions(AlarmNames=[name, unique("unknown")])
    assert describe_one(cw, name)["ActionsEnabled"] is False
    cw.enable_alarm_actions(AlarmNames=[name])
    assert describe_one(cw, name)["ActionsEnabled"] is True


def test_alarm_history(server, unique):
    cw = server.client("cloudwatch")
    name = unique("Hist")
    sns = f"arn:aws:sns:{REGION}:{ACCOUNT}:ops"
    cw.put_metric_alarm(**alarm_args(name, AlarmActions=[sns]))
    server.advance(1)
    cw.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="by hand")
    items = cw.describe_alarm_history(AlarmName=name)["AlarmHistoryItems"]
    # newest first (ScanBy default TimestampDescending)
    assert [(i["HistoryItemType"], i["HistorySummary"]) for i in items] == [
        ("Action", f"Published a notification to {sns}"),
        ("StateUpdate", "Alarm updated from INSUFFICIENT_DATA to ALARM"),
        ("ConfigurationUpdate", f'Alarm "{name}" created'),
    ]
    state = json.loads(items[1]["HistoryData"])
    assert state["oldState"]["stateValue"] == "INSUFFICIENT_DATA"
    assert state["newState"] == {"stateValue": "ALARM", "stateReason": "by hand"}
    only = cw.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate")
    assert len(only["AlarmHistoryItems"]) == 1
    # history outlives the alarm
    cw.delete_alarms(AlarmNames=[name])
    assert len(cw.describe_alarm_history(AlarmName=name)["AlarmHistoryItems"]) == 3


def test_alarm_history_is_kept_30_days(make_server, unique):
    """Items older than 30 simulated days are no longer listed, and are deleted once an item is
    added an hour or more after the last deletion (history.py: the retention and its sources)."""
    server = make_server("--clock", "manual")
    cw = server.client("cloudwatch")
    old, new = unique("Old"), unique("New")
    cw.put_metric_alarm(**alarm_args(old))
    server.advance(29 * 86400)
    assert len(cw.describe_alarm_history(AlarmName=old)["AlarmHistoryItems"]) == 1
    server.advance(86400 + 1)
    assert cw.describe_alarm_history(AlarmName=old)["AlarmHistoryItems"] == []
    cw.put_metric_alarm(**alarm_args(new))   # the first item in an hour: deletes the expired
    assert [i["AlarmName"] for i in cw.describe_alarm_history()["AlarmHistoryItems"]] == [new]
    server.stop()
    with sqlite3.connect(os.path.join(server.data_dir, DB_FILE)) as conn:
        kept = conn.execute("SELECT count(*) FROM docs WHERE kind = 'cloudwatch:alarm-history'")
        assert kept.fetchone()[0] == 1
