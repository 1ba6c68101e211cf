"""Scaling decisions driven through CloudWatch SetAlarmState with StateReasonData (spec 2.5.3:
the policy reads the datapoints from it), so each rule is pinned in seconds of simulated time.
AWS facts: docs/behaviour/autoscaling-cloudwatch-iam.md §2.3-2.4, §3.5 (each entry names its AWS
source)."""

from __future__ import annotations

import json

from aas_kit import TT_CONFIG, WRITE_DIM, Kit
from aas_kit import kinds


def fire(kit, alarm: str, sum_per_minute: float, threshold: float) -> None:
    """Put `alarm` in ALARM with one datapoint (a per-minute Sum). While it stays in ALARM,
    CloudWatch re-invokes the policy at each minute boundary (spec 2.5.1)."""
    kit.cw.set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="reset")
    kit.cw.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="test",
                           StateReasonData=json.dumps({"version": "1.0", "statistic": "Sum",
                                                       "period": 60, "threshold": threshold,
                                                       "recentDatapoints": [sum_per_minute]}))


def setup(kit, unique, write=5, low=5, high=40, config=None, **register):
    name = kit.table(unique("D"), write=write)
    kit.register(name, low=low, high=high, **register)
    return name, kinds(kit.policy(name, config=config or TT_CONFIG))


def test_scale_out_uses_ceil_of_rate_over_target(kit, unique):
    # 2.3.1: 150 units/s at 70 % -> 215; here 12.6 units/s at 50 % -> ceil(25.2) = 26.
    name, alarms = setup(kit, unique, high=100)
    fire(kit, alarms["AlarmHigh"], 12.6 * 60, 150.0)
    kit.server.advance(10)
    [activity] = kit.activities(name)
    assert activity["Description"] == "Setting write capacity units to 26."
    assert activity["StatusCode"] == "Successful"
    assert kit.write_units(name) == 26


def test_at_max_records_a_not_scaled_activity(kit, unique):
    # 2.3.4 / 3.5: AlreadyAtMaxCapacity, visible only with IncludeNotScaledActivities=true.
    name, alarms = setup(kit, unique, write=10, low=5, high=10)
    fire(kit, alarms["AlarmHigh"], 600.0, 300.0)
    kit.server.advance(5)
    assert kit.activities(name) == []
    [activity] = kit.activities(name, IncludeNotScaledActivities=True)
    assert activity["NotScaledReasons"] == [{"Code": "AlreadyAtMaxCapacity", "MaxCapacity": 10}]
    assert activity["Cause"] == (f"monitor alarm {alarms['AlarmHigh']} in state ALARM triggered "
                                 f"policy MyScalingPolicy")


def test_scale_out_suspended(kit, unique):
    # 2.4.6: DynamicScalingOutSuspended blocks policy scale-out.
    name, alarms = setup(kit, unique, SuspendedState={"DynamicScalingOutSuspended": True})
    fire(kit, alarms["AlarmHigh"], 1200.0, 150.0)
    kit.server.advance(10)
    assert kit.activities(name) == [] and kit.write_units(name) == 5


def test_scale_in_cooldown_and_scale_out_during_it(kit, unique):
    # 2.4.3: scale-in cooldown blocks scale-in; a scale-out during it runs and ends it.
    config = dict(TT_CONFIG, ScaleInCooldown=3600, ScaleOutCooldown=0)
    name, alarms = setup(kit, unique, write=20, low=1, high=40, config=config)
    fire(kit, alarms["AlarmLow"], 300.0, 600.0)  # 5/s at 50 % -> 10
    kit.server.advance(10)
    assert kit.write_units(name) == 10
    fire(kit, alarms["AlarmLow"], 60.0, 600.0)  # wants 2, but in scale-in cooldown
    kit.server.advance(10)
    assert kit.write_units(name) == 10 and len(kit.activities(name)) == 1
    # Quiet AlarmLow so that its re-invocation cannot scale in right after the scale-out.
    kit.cw.set_alarm_state(AlarmName=alarms["AlarmLow"], StateValue="OK", StateReason="quiet")
    fire(kit, alarms["AlarmHigh"], 900.0, 300.0)  # 15/s -> 30: allowed during scale-in cooldown
    kit.server.advance(10)
    newest = kit.activities(name)[0]
    assert newest["Description"] == "Setting write capacity units to 30."
    assert kit.write_units(name) == 30


def test_failed_update_is_a_failed_activity(make_server, unique):
    # 3.2: Failed = exception from the target service; StatusMessage `Failed to set ... Reason:`
    # with DynamoDB's message (observed in AWS notices). A table in UPDATING refuses UpdateTable;
    # with the default `--timing fast` no table stays UPDATING, so this runs under `--timing aws`
    # (a throughput change is UPDATING for 2 s there).
    kit = Kit(make_server("--clock", "manual", "--timing", "aws"))
    name, alarms = setup(kit, unique, high=100)
    kit.ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                "WriteCapacityUnits": 6})
    assert kit.ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "UPDATING"
    fire(kit, alarms["AlarmHigh"], 1200.0, 150.0)
    kit.server.advance(0.5)  # the scaling job runs; the table is still UPDATING
    # The oldest activity: if the step crosses a minute boundary, CloudWatch re-invokes the policy
    # (the alarm stays in ALARM, spec 2.5.1) and a retry may be recorded after it.
    activity = kit.activities(name)[-1]
    assert activity["StatusCode"] == "Failed"
    assert activity["Description"] == "Setting write capacity units to 40."
    assert activity["StatusMessage"].startswith("Failed to set write capacity units to 40. Reason: ")
    assert "EndTime" in activity


def test_activities_survive_deregistration_and_paginate(kit, unique):
    # 3.7 (inferred): history outlives the target; 3.6: newest first, MaxResults + NextToken.
    name, alarms = setup(kit, unique, high=100)
    fire(kit, alarms["AlarmHigh"], 600.0, 150.0)  # -> 20
    kit.server.advance(10)
    fire(kit, alarms["AlarmHigh"], 1200.0, 600.0)  # -> 40
    kit.server.advance(10)
    kit.aas.deregister_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                       ScalableDimension=WRITE_DIM)
    descriptions = [a["Description"] for a in kit.activities(name)]
    assert descriptions == ["Setting write capacity units to 40.",
                            "Setting write capacity units to 20."]
    page = kit.aas.describe_scaling_activities(ServiceNamespace="dynamodb",
                                               ResourceId=f"table/{name}", MaxResults=1)
    assert page["ScalingActivities"][0]["Description"].endswith("40.")
    rest = kit.aas.describe_scaling_activities(ServiceNamespace="dynamodb",
                                               ResourceId=f"table/{name}", MaxResults=1,
                                               NextToken=page["NextToken"])
    assert rest["ScalingActivities"][0]["Description"].endswith("20.")
    assert "NextToken" not in rest


def test_scale_in_refused_by_the_decrease_quota_is_recorded_once(make_server, unique):
    # Its own server: the day it advances to reach a fresh decrease budget would run every
    # minute job of the module's other tables and alarms.
    kit = Kit(make_server("--clock", "manual", durable=False))
    # A scale-in DynamoDB refuses (4 decreases today, the last less than an hour ago: spec
    # dynamodb 3.3) is a Failed activity worded `Failed to set ... Reason: <DynamoDB's message>`;
    # CloudWatch re-invokes the policy each minute the alarm stays in ALARM (2.5.1), but the same
    # refusal is not recorded again.
    now = kit.server.now()
    kit.server.advance((now // 86400 + 1) * 86400 - now + 60)  # 00:01 UTC: a fresh budget
    name, alarms = setup(kit, unique, write=20, low=5, high=20)
    for units in (19, 18, 17, 16):  # the day's four free decreases
        kit.ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                    "WriteCapacityUnits": units})
    fire(kit, alarms["AlarmLow"], 60.0, 0.3 * 16 * 60)  # 1 unit/s at target 50 -> min 5
    kit.server.advance(0.5)
    [activity] = kit.activities(name)
    assert activity["StatusCode"] == "Failed"
    assert activity["Description"] == "Setting write capacity units to 5."
    assert activity["StatusMessage"].startswith(
        "Failed to set write capacity units to 5. Reason: Subscriber limit exceeded: Provisioned "
        "throughput decreases are limited within a given UTC day.")
    kit.server.advance(5 * 60)  # five more invocations (and the idle check): the same refusal
    assert kit.activities(name) == [activity]
    assert kit.write_units(name) == 16


def _refusal(kit, name: str) -> str:
    """What DynamoDB answers an UpdateTable of `name` now (boto3 over HTTP)."""
    import botocore.exceptions
    try:
        kit.ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                    "WriteCapacityUnits": 7})
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Message"]
    raise AssertionError("UpdateTable was accepted")


def test_activity_on_a_table_being_updated_records_dynamodb_s_refusal(make_server, unique):
    # Application Auto Scaling acts as the service-linked role, whose managed policy allows
    # dynamodb:UpdateTable; DynamoDB's own refusal (the table is UPDATING) is the activity's
    # Reason, word for word (spec 3.2, "Failed to set ... Reason: <DynamoDB's message>").
    kit = Kit(make_server("--clock", "manual", "--timing", "aws"))
    name, alarms = setup(kit, unique, high=100)
    kit.ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                "WriteCapacityUnits": 6})
    fire(kit, alarms["AlarmHigh"], 1200.0, 150.0)
    kit.server.advance(0.5)
    reason = _refusal(kit, name)  # still UPDATING
    activity = kit.activities(name)[-1]
    assert (activity["StatusCode"], activity["StatusMessage"]) == (
        "Failed", f"Failed to set write capacity units to 40. Reason: {reason}")
    kit.cw.set_alarm_state(AlarmName=alarms["AlarmHigh"], StateValue="OK", StateReason="quiet")
    kit.server.advance(10)  # the user's change takes effect; the refused one never does
    assert kit.ddb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"][
        "WriteCapacityUnits"] == 6


def test_activity_on_a_deleted_table_records_dynamodb_s_refusal(make_server, unique):
    # The table is DELETING (5 s under --timing aws) when its alarm fires: UpdateTable is
    # refused ("... Table is being deleted: <name>"), and the activity says so.
    kit = Kit(make_server("--clock", "manual", "--timing", "aws"))
    name, alarms = setup(kit, unique, high=100)
    kit.ddb.delete_table(TableName=name)
    fire(kit, alarms["AlarmHigh"], 1200.0, 150.0)
    kit.server.advance(0.5)
    reason = _refusal(kit, name)
    assert reason.endswith(f"Table is being deleted: {name}")
    activity = kit.activities(name)[-1]
    assert (activity["StatusCode"], activity["Description"], activity["StatusMessage"]) == (
        "Failed", "Setting write capacity units to 40.",
        f"Failed to set write capacity units to 40. Reason: {reason}")
    assert "EndTime" in activity
    # once it is gone, the alarm finds no table and starts no activity
    kit.cw.set_alarm_state(AlarmName=alarms["AlarmHigh"], StateValue="OK", StateReason="quiet")
    kit.server.advance(10)
    fire(kit, alarms["AlarmHigh"], 1200.0, 150.0)
    kit.server.advance(0.5)
    assert [a["ActivityId"] for a in kit.activities(name)][-1] == activity["ActivityId"]
