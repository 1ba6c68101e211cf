"""The target tracking loop over HTTP: DynamoDB metrics -> CloudWatch alarms -> Application Auto
Scaling -> UpdateTable, on the manual clock. AWS facts: docs/behaviour/autoscaling-cloudwatch-iam.md
§2.3-2.5, §3, Addendum A.1 (entry numbers per test; each entry names its AWS source)."""

from __future__ import annotations

import re

from aas_kit import TT_CONFIG, kinds

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def test_sustained_load_scales_out_to_max_like_the_tutorial(kit, unique):
    # Tutorial numbers: 5..10 WCU, target 50, cooldowns 60; 5 WCU/s = 300 units a minute, above
    # AlarmHigh's 150 -> ALARM after 2 periods (2.1.3) -> ceil(5 / 0.5) = 10 (2.3.1, 3.3).
    name = kit.table(unique("TestTable"), read=5, write=5)
    kit.register(name)
    alarms = kinds(kit.policy(name))
    start = kit.server.now()
    for _ in range(6):
        kit.drive(name, 60, units=5)
        if kit.activities(name):
            break
    [activity] = kit.activities(name)
    started = activity["StartTime"].timestamp()
    # Two breaching one-minute periods (the first may be partial but already above 150), acted
    # on at the evaluation boundary.
    assert started - start > 60 and started % 60 == 0
    assert activity["Description"] == "Setting write capacity units to 10."
    assert activity["Cause"] == (f"monitor alarm {alarms['AlarmHigh']} in state ALARM triggered "
                                 f"policy MyScalingPolicy")
    assert re.fullmatch(UUID, activity["ActivityId"])
    kit.drive(name, 20, units=5)
    [activity] = kit.activities(name)
    assert activity["StatusCode"] == "Successful"
    assert activity["StatusMessage"] == ("Successfully set write capacity units to 10. Change "
                                         "successfully fulfilled by dynamodb.")
    assert activity["EndTime"] >= activity["StartTime"]
    assert kit.write_units(name) == 10
    # 2.2.6: thresholds follow the new capacity; alarm names unchanged.
    got = {k: a["Threshold"] for k, a in
           ((k, kit.alarms([n])[n]) for k, n in alarms.items())}
    assert got == {"AlarmHigh": 300.0, "AlarmLow": 180.0, "ProvisionedCapacityHigh": 10.0,
                   "ProvisionedCapacityLow": 10.0}


def test_low_load_scales_in_only_where_allowed(kit, unique):
    # 2.2.4 / 2.3.3: 15 minutes below (target - 20)% -> AlarmLow -> scale in (clamped to min).
    # 2.4.5: DisableScaleIn never removes capacity; 2.4.6: DynamicScalingInSuspended neither.
    plain, no_in, suspended = (kit.table(unique(p), write=10) for p in ("In", "NoIn", "Susp"))
    for name in (plain, no_in, suspended):
        kit.register(name)
    kit.aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{suspended}",
                                     ScalableDimension="dynamodb:table:WriteCapacityUnits",
                                     SuspendedState={"DynamicScalingInSuspended": True})
    plain_alarms = kinds(kit.policy(plain))
    kit.policy(no_in, config=dict(TT_CONFIG, DisableScaleIn=True))
    kit.policy(suspended)
    for minute in range(20):
        for _ in range(6):  # 1 unit every 10 s: 6 units a minute, far below 0.3 x 10 x 60 = 180
            for name in (plain, no_in, suspended):
                kit.ddb.put_item(TableName=name, Item={"pk": {"N": "1"}})
            kit.server.advance(10)
        if kit.activities(plain):
            break
    assert minute >= 14  # 15 evaluation periods
    kit.server.advance(20)
    [activity] = kit.activities(plain)
    assert activity["Description"] == "Setting write capacity units to 5."
    assert activity["Cause"] == (f"monitor alarm {plain_alarms['AlarmLow']} in state ALARM "
                                 f"triggered policy MyScalingPolicy")
    assert activity["StatusCode"] == "Successful"
    assert kit.write_units(plain) == 5
    assert kit.write_units(no_in) == 10 and kit.activities(no_in) == []
    assert kit.write_units(suspended) == 10 and kit.activities(suspended) == []


def test_idle_table_is_scaled_in_about_ten_minutes_after_the_policy(kit, unique):
    # What AWS does today (services/autoscaling/idle.py has the evidence; it replaces Addendum
    # A.1): no traffic -> no datapoints -> the alarms keep their state, but the idle dimension is
    # scaled in to its minimum once the policy is ten minutes old.
    name = kit.table(unique("Idle"), write=10)
    kit.register(name)
    alarms = kinds(kit.policy(name))
    created = kit.server.now()
    kit.server.advance(9 * 60)
    assert kit.activities(name, IncludeNotScaledActivities=True) == []
    kit.server.advance(2 * 60)
    [activity] = kit.activities(name)
    assert 600 <= activity["StartTime"].timestamp() - created < 660  # the minute job after 10 min
    assert activity["Description"] == "Setting write capacity units to 5."
    assert activity["Cause"] == (f"monitor alarm {alarms['AlarmLow']} in state ALARM triggered "
                                 f"policy MyScalingPolicy")
    assert activity["StatusCode"] == "Successful"
    assert kit.write_units(name) == 5
    kit.server.advance(25 * 60)  # at the minimum: the AlarmLow, in ALARM on the idle minutes'
    # zero samples (dynamodb/metrics.py), finds nothing to do, recorded once
    later = kit.activities(name, IncludeNotScaledActivities=True)
    assert len(later) == 2
    assert later[0]["NotScaledReasons"] == [{"Code": "AlreadyAtMinCapacity", "MinCapacity": 5}]


def test_idle_scale_in_respects_disable_scale_in_and_suspension(kit, unique):
    plain, no_in, suspended = (kit.table(unique(n), write=10) for n in ("P", "NoIn", "Susp"))
    for name in (plain, no_in, suspended):
        kit.register(name, SuspendedState={"DynamicScalingInSuspended": name == suspended})
        kit.policy(name, config={**TT_CONFIG, "DisableScaleIn": name == no_in})
    kit.server.advance(12 * 60)
    assert kit.write_units(plain) == 5
    assert kit.write_units(no_in) == 10 and kit.activities(no_in) == []
    assert kit.write_units(suspended) == 10 and kit.activities(suspended) == []


def test_manual_in_bounds_change_on_an_idle_table_is_reverted(kit, unique):
    # Observed on AWS: a manual UpdateTable within [min, max] on an idle table is undone. The
    # idle minutes' zero samples (dynamodb/metrics.py) hold the AlarmLow in ALARM, and its
    # next invocation after the change scales the table back in.
    name = kit.table(unique("Rev"), write=5)
    kit.register(name, low=5, high=20)
    alarms = kinds(kit.policy(name))
    kit.server.advance(16 * 60)
    assert kit.alarms([alarms["AlarmLow"]])[alarms["AlarmLow"]]["StateValue"] == "ALARM"
    assert kit.activities(name) == []  # already at the minimum
    kit.ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                "WriteCapacityUnits": 8})
    kit.server.advance(3 * 60)
    [activity] = kit.activities(name)
    assert activity["Description"] == "Setting write capacity units to 5."
    assert activity["Cause"] == (f"monitor alarm {alarms['AlarmLow']} in state ALARM triggered "
                                 f"policy MyScalingPolicy")
    assert kit.write_units(name) == 5


def test_traffic_keeps_an_idle_scale_in_away(kit, unique):
    name = kit.table(unique("Busy"), write=10)
    kit.register(name)
    kit.policy(name)
    for _ in range(12):  # one small write a minute: never ten minutes without consumption
        kit.ddb.put_item(TableName=name, Item={"pk": {"N": "1"}})
        kit.server.advance(60)
    assert kit.activities(name) == [] and kit.write_units(name) == 10


def test_manual_update_table_rethresholds_the_alarms(kit, unique):
    # 2.2.6 / 2.1.4: a manual UpdateTable is allowed and the thresholds follow it.
    name = kit.table(unique("T"), write=5)
    kit.register(name, low=1, high=20)
    alarms = kinds(kit.policy(name))
    kit.ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                "WriteCapacityUnits": 8})
    kit.wait_active(name)
    kit.server.advance(2)
    got = {k: kit.alarms([n])[n]["Threshold"] for k, n in alarms.items()}
    assert got == {"AlarmHigh": 240.0, "AlarmLow": 144.0, "ProvisionedCapacityHigh": 8.0,
                   "ProvisionedCapacityLow": 8.0}
