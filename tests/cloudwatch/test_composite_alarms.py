"""Composite alarms over HTTP (boto3 and the aws CLI), on the manual clock.

AWS facts: botocore model docs of PutCompositeAlarm (AlarmRule language, INSUFFICIENT_DATA only
until the first evaluation right after creation, updates keep the state, cycles), DeleteAlarms
(at most one composite alarm; alarms a composite depends on cannot be deleted), DescribeAlarms
(AlarmTypes, ChildrenOfAlarmName, ParentsOfAlarmName); StateReason / StateReasonData texts from the
User Guide "Alarm events and EventBridge" samples; observed error texts cited in
services/cloudwatch/errors.py.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError

from tests.cloudwatch.helpers import minute_start
from tests.kit import error_of

ACCOUNT, REGION = "123456789012", "us-east-1"
SNS = f"arn:aws:sns:{REGION}:{ACCOUNT}:composite-topic"


def arn(name: str) -> str:
    return f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


def long_time(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%A %d %B, %Y %H:%M:%S UTC")


def child(cw, name: str, ns: str) -> None:
    """Maximum > 5 over one minute; missing data keeps the state."""
    cw.put_metric_alarm(AlarmName=name, Namespace=ns, MetricName=name, Statistic="Maximum",
                        Period=60, EvaluationPeriods=1, Threshold=5.0,
                        ComparisonOperator="GreaterThanThreshold", TreatMissingData="ignore")


def composite(cw, name: str) -> dict:
    return cw.describe_alarms(AlarmNames=[name], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"][0]


def metric_alarm(cw, name: str) -> dict:
    return cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]


def force(cw, name: str, state: str) -> None:
    cw.set_alarm_state(AlarmName=name, StateValue=state, StateReason="test")


@pytest.fixture
def kids(server, unique):
    cw = server.client("cloudwatch")
    ns = unique("Dynoscale/Composite")
    a, b = unique("a"), unique("b")
    child(cw, a, ns)
    child(cw, b, ns)
    return cw, ns, a, b


def test_created_composite_is_evaluated_at_once_and_follows_its_children(server, kids, unique):
    cw, ns, a, b = kids
    name = unique("Both")
    cw.put_composite_alarm(AlarmName=name, AlarmRule=f'ALARM({a}) AND ALARM("{b}")',
                           AlarmDescription="both children", AlarmActions=[SNS])
    c = composite(cw, name)
    assert (c["StateValue"], c["AlarmArn"], c["AlarmRule"]) == (
        "OK", arn(name), f'ALARM({a}) AND ALARM("{b}")')
    assert c["StateReason"] == f"{arn(name)} was created and its alarm rule evaluates to OK"
    kid_a, kid_b = metric_alarm(cw, a), metric_alarm(cw, b)
    assert json.loads(c["StateReasonData"]) == {"triggeringAlarms": [
        {"arn": arn(a), "state": {"value": "INSUFFICIENT_DATA",
                                  "timestamp": iso(kid_a["StateUpdatedTimestamp"])}},
        {"arn": arn(b), "state": {"value": "INSUFFICIENT_DATA",
                                  "timestamp": iso(kid_b["StateUpdatedTimestamp"])}}]}
    assert (c["ActionsEnabled"], c["AlarmActions"], c["OKActions"]) == (True, [SNS], [])
    force(cw, b, "ALARM")
    assert composite(cw, name)["StateValue"] == "OK"       # a is not in ALARM yet
    t0 = minute_start(server)
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": a, "Value": 9.0,
                                                  "Timestamp": t0 + 5}])
    server.advance(60)                                      # the evaluator moves a to ALARM
    kid_a = metric_alarm(cw, a)
    assert kid_a["StateValue"] == "ALARM"
    c = composite(cw, name)
    assert c["StateValue"] == "ALARM"
    assert c["StateReason"] == (f"{arn(a)} transitioned to ALARM at "
                                f"{long_time(kid_a['StateUpdatedTimestamp'])}")
    assert json.loads(c["StateReasonData"]) == {"triggeringAlarms": [
        {"arn": arn(a), "state": {"value": "ALARM",
                                  "timestamp": iso(kid_a["StateUpdatedTimestamp"])}}]}
    force(cw, b, "OK")
    assert composite(cw, name)["StateValue"] == "OK"
    history = cw.describe_alarm_history(AlarmName=name, AlarmTypes=["CompositeAlarm"],
                                        ScanBy="TimestampAscending")["AlarmHistoryItems"]
    assert [(h["AlarmType"], h["HistoryItemType"], h["HistorySummary"]) for h in history] == [
        ("CompositeAlarm", "ConfigurationUpdate", f'Alarm "{name}" created'),
        ("CompositeAlarm", "StateUpdate", "Alarm updated from INSUFFICIENT_DATA to OK"),
        ("CompositeAlarm", "StateUpdate", "Alarm updated from OK to ALARM"),
        ("CompositeAlarm", "Action", f"Published a notification to {SNS}"),
        ("CompositeAlarm", "StateUpdate", "Alarm updated from ALARM to OK")]
    # without AlarmTypes only metric alarms' history is returned
    assert cw.describe_alarm_history(AlarmName=name)["AlarmHistoryItems"] == []


@pytest.mark.parametrize("rule, states, expected", [
    ("TRUE", {}, "ALARM"),
    ("FALSE", {}, "OK"),
    ("NOT ALARM({a})", {}, "ALARM"),
    ('ALARM("{arn_a}") OR FALSE', {"a": "ALARM"}, "ALARM"),
    ("(OK({a}) OR INSUFFICIENT_DATA({b})) AND NOT ALARM({b})", {"a": "OK"}, "ALARM"),
    ("OK({a}) AND OK({b})", {"a": "OK"}, "OK"),
    ("ALARM({a}) OR ALARM({b}) AND FALSE", {"a": "ALARM"}, "ALARM"),  # AND binds tighter
])
def test_rule_language(kids, unique, rule, states, expected):
    cw, ns, a, b = kids
    for key, state in states.items():
        force(cw, {"a": a, "b": b}[key], state)
    name = unique("Rule")
    cw.put_composite_alarm(AlarmName=name, AlarmRule=rule.format(a=a, b=b, arn_a=arn(a)))
    assert composite(cw, name)["StateValue"] == expected


def test_composite_of_composites_cycles_and_deletion(kids, unique):
    cw, ns, a, b = kids
    inner, outer = unique("inner"), unique("outer")
    cw.put_composite_alarm(AlarmName=inner, AlarmRule=f"ALARM({a})")
    cw.put_composite_alarm(AlarmName=outer, AlarmRule=f'ALARM("{arn(inner)}")')
    force(cw, a, "ALARM")
    assert (composite(cw, inner)["StateValue"], composite(cw, outer)["StateValue"]) == (
        "ALARM", "ALARM")
    # an update keeps the state; a cycle may be created
    cw.put_composite_alarm(AlarmName=inner, AlarmRule=f"ALARM({a}) OR ALARM({outer})")
    force(cw, a, "OK")                       # inner still holds through outer
    assert (composite(cw, inner)["StateValue"], composite(cw, outer)["StateValue"]) == (
        "ALARM", "ALARM")
    for names, message in [
        ([a], f"Cannot delete {a} as there are composite alarm(s) depending on it."),
        ([inner], f"Cannot delete {inner} as there are composite alarm(s) depending on it."),
        ([inner, outer],
         "DeleteAlarms can delete no more than one composite alarm in one call."),
    ]:
        with pytest.raises(ClientError) as exc:
            cw.delete_alarms(AlarmNames=names)
        assert error_of(exc) == ("ValidationError", message, 400)
    # break the cycle (the model doc's advice: change a rule to FALSE), then delete top-down
    cw.put_composite_alarm(AlarmName=inner, AlarmRule="FALSE")
    cw.delete_alarms(AlarmNames=[outer])
    cw.delete_alarms(AlarmNames=[inner, a, "no-such-alarm"])  # a composite and its child at once
    left = cw.describe_alarms(AlarmNames=[a, b, inner, outer],
                              AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    assert [x["AlarmName"] for x in left["MetricAlarms"]] == [b]
    assert left["CompositeAlarms"] == []


def test_delete_names_every_blocked_alarm(kids, unique):
    cw, ns, a, b = kids
    cw.put_composite_alarm(AlarmName=unique("p"), AlarmRule=f"ALARM({a}) OR OK({b})")
    with pytest.raises(ClientError) as exc:
        cw.delete_alarms(AlarmNames=[a, b])
    assert error_of(exc) == (
        "ValidationError",
        f"Cannot delete {a},{b} as there are composite alarm(s) depending on them.", 400)


@pytest.mark.parametrize("rule, message", [
    ("()", "Error in AlarmRule [Unsupported token ')' at char 1]"),
    # aws/aws-cdk#13953: an unquoted name ends at white space
    (f"(ALARM({arn('SampleQueue Oldest Age Alarm')}))",
     "Error in AlarmRule [Unsupported token 'Oldest' at char 67, must be: ')']"),
    ("ALARM a", "Error in AlarmRule [Unsupported token 'a' at char 6, must be: '(']"),
    ("{a} AND", "Error in AlarmRule [Unsupported token '{a}' at char 0]"),
    ("ALARM({a}) AND", "Error in AlarmRule [Unexpected end of AlarmRule at char {end}]"),
    ("ALARM({a}) OR OK(nope) OR ALARM(gone)",
     "Could not save the composite alarm as alarms [nope, gone] in the alarm rule do not exist"),
    (f"ALARM({arn('x').replace(ACCOUNT, '999999999999')})",
     "Could not save the composite alarm as alarms "
     f"[{arn('x').replace(ACCOUNT, '999999999999')}] in the alarm rule do not exist"),
])
def test_put_composite_alarm_errors(kids, unique, rule, message):
    cw, ns, a, b = kids
    text = rule.format(a=a)
    with pytest.raises(ClientError) as exc:
        cw.put_composite_alarm(AlarmName=unique("Bad"), AlarmRule=text)
    assert error_of(exc) == ("ValidationError", message.format(a=a, end=len(text)), 400)


def test_suppressor_needs_both_periods(kids, unique):
    cw, ns, a, b = kids
    with pytest.raises(ClientError) as exc:
        cw.put_composite_alarm(AlarmName=unique("Bad"), AlarmRule=f"ALARM({a})",
                               ActionsSuppressor=b, ActionsSuppressorWaitPeriod=60)
    assert error_of(exc) == ("ValidationError", "ActionsSuppressorWaitPeriod and "
                             "ActionsSuppressorExtensionPeriod are required when ActionsSuppressor "
                             "is specified.", 400)
    name = unique("Suppressed")
    cw.put_composite_alarm(AlarmName=name, AlarmRule=f"ALARM({a})", ActionsSuppressor=b,
                           ActionsSuppressorWaitPeriod=60, ActionsSuppressorExtensionPeriod=120)
    c = composite(cw, name)
    assert (c["ActionsSuppressor"], c["ActionsSuppressorWaitPeriod"],
            c["ActionsSuppressorExtensionPeriod"]) == (b, 60, 120)


def test_describe_alarm_types_children_and_parents(kids, unique):
    cw, ns, a, b = kids
    parent = unique("parent")
    cw.put_composite_alarm(AlarmName=parent, AlarmRule=f'ALARM({a}) OR ALARM("{arn(b)}")')
    everything = [a, b, parent]
    default = cw.describe_alarms(AlarmNames=everything)
    assert [x["AlarmName"] for x in default["MetricAlarms"]] == sorted([a, b])
    assert default["CompositeAlarms"] == []
    only = cw.describe_alarms(AlarmNames=everything, AlarmTypes=["CompositeAlarm"])
    assert only["MetricAlarms"] == [] and [x["AlarmName"] for x in only["CompositeAlarms"]] == [parent]
    both = cw.describe_alarms(AlarmNames=everything, AlarmTypes=["CompositeAlarm", "MetricAlarm"],
                              StateValue="OK")
    assert [x["AlarmName"] for x in both["CompositeAlarms"]] == [parent]
    assert both["MetricAlarms"] == []
    kids_out = cw.describe_alarms(ChildrenOfAlarmName=parent)
    assert sorted(x["AlarmName"] for x in kids_out["MetricAlarms"]) == sorted([a, b])
    assert set(kids_out["MetricAlarms"][0]) == {"AlarmName", "AlarmArn", "StateValue",
                                                "StateUpdatedTimestamp"}
    parents = cw.describe_alarms(ParentsOfAlarmName=b)
    assert parents["CompositeAlarms"] == [{"AlarmName": parent, "AlarmArn": arn(parent)}]
    with pytest.raises(ClientError) as exc:
        cw.describe_alarms(ParentsOfAlarmName=b, StateValue="OK")
    assert error_of(exc) == ("ValidationError", "If ParentsOfAlarmName is specified, no "
                             "parameters other than MaxRecords and NextToken can be specified.",
                             400)


def test_disabled_composite_changes_state_without_actions(kids, unique):
    cw, ns, a, b = kids
    name = unique("Quiet")
    cw.put_composite_alarm(AlarmName=name, AlarmRule=f"ALARM({a})", AlarmActions=[SNS],
                           ActionsEnabled=False)
    force(cw, a, "ALARM")
    assert composite(cw, name)["StateValue"] == "ALARM"
    items = cw.describe_alarm_history(AlarmName=name, AlarmTypes=["CompositeAlarm"],
                                      HistoryItemType="Action")["AlarmHistoryItems"]
    assert items == []


def test_composite_alarm_with_the_aws_cli(server, kids, unique):
    cw, ns, a, b = kids
    name = unique("Cli")
    server.aws("cloudwatch", "put-composite-alarm", "--alarm-name", name, "--alarm-rule",
               f"ALARM({a}) OR ALARM({b})", "--ok-actions", SNS)
    out = server.aws("cloudwatch", "describe-alarms", "--alarm-names", name, "--alarm-types",
                     "CompositeAlarm").json
    [c] = out["CompositeAlarms"]
    assert (c["AlarmName"], c["StateValue"], c["OKActions"]) == (name, "OK", [SNS])
    server.aws("cloudwatch", "delete-alarms", "--alarm-names", name)
    assert server.aws("cloudwatch", "describe-alarms", "--alarm-names", name, "--alarm-types",
                      "CompositeAlarm").json["CompositeAlarms"] == []
