"""Scheduled scaling for DynamoDB targets over HTTP on the manual clock: PutScheduledAction,
DescribeScheduledActions, DeleteScheduledAction and their runs (spec 1.10, 3.4, 4.3-4.8)."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3

import pytest
from botocore.exceptions import ClientError

from aas_kit import Kit, WRITE_DIM
from dynoscale.storage.sqlite import DB_FILE
from tests.kit import error_of

ARN = re.compile(r"^arn:aws:autoscaling:us-east-1:123456789012:scheduledAction:"
                 r"([0-9a-f-]{36}):resource/dynamodb/table/(.+):scheduledActionName/(.+)$")


def at(server, seconds: float) -> str:
    when = dt.datetime.fromtimestamp(server.now() + seconds, dt.timezone.utc)
    return f"at({when:%Y-%m-%dT%H:%M:%S})"


def put(kit, name, action, schedule, low=None, high=None, **kw):
    target_action = {k: v for k, v in (("MinCapacity", low), ("MaxCapacity", high))
                     if v is not None}
    return kit.aas.put_scheduled_action(
        ServiceNamespace="dynamodb", ResourceId=f"table/{name}", ScalableDimension=WRITE_DIM,
        ScheduledActionName=action, Schedule=schedule, ScalableTargetAction=target_action, **kw)


def actions(kit, name, **kw):
    return kit.aas.describe_scheduled_actions(ServiceNamespace="dynamodb",
                                              ResourceId=f"table/{name}", **kw)["ScheduledActions"]


def target(kit, name):
    [found] = kit.aas.describe_scalable_targets(
        ServiceNamespace="dynamodb", ResourceIds=[f"table/{name}"])["ScalableTargets"]
    return found


def test_at_actions_follow_the_get_started_exercise(kit, server, unique):
    """AAS-UG get-started-exercise Step 3: exact activity texts, ARN form, clamps."""
    name = kit.table(unique("S"), write=5)
    kit.register(name, low=5, high=10)
    put(kit, name, "my-first-scheduled-action", at(server, 120), 15, 20)
    put(kit, name, "my-second-scheduled-action", at(server, 600), 5, 10)
    first, second = actions(kit, name)
    assert [first["ScheduledActionName"], second["ScheduledActionName"]] == [
        "my-first-scheduled-action", "my-second-scheduled-action"]
    m1, m2 = ARN.match(first["ScheduledActionARN"]), ARN.match(second["ScheduledActionARN"])
    assert m1.group(1) == m2.group(1)  # the uuid identifies the target (spec 1.10.3)
    assert m1.group(2, 3) == (name, "my-first-scheduled-action")
    assert first["ScalableTargetAction"] == {"MinCapacity": 15, "MaxCapacity": 20}
    assert "StartTime" not in first and "EndTime" not in first and "Timezone" not in first

    server.advance(119)
    assert target(kit, name)["MinCapacity"] == 5
    server.advance(2)
    assert (target(kit, name)["MinCapacity"], target(kit, name)["MaxCapacity"]) == (15, 20)
    clamp, scheduled = kit.activities(name)[:2]
    assert scheduled["Description"] == "Setting min capacity to 15 and max capacity to 20"
    assert scheduled["Cause"] == "scheduled action name my-first-scheduled-action was triggered"
    assert scheduled["StatusMessage"] == (
        "Successfully set min capacity to 15 and max capacity to 20")
    assert scheduled["StatusCode"] == "Successful" and "EndTime" not in scheduled
    assert clamp["Description"] == "Setting write capacity units to 15."
    assert clamp["Cause"] == "minimum capacity was set to 15"
    server.advance(60)
    assert kit.activities(name)[0]["StatusMessage"] == (
        "Successfully set write capacity units to 15. Change successfully fulfilled by dynamodb.")
    assert kit.write_units(name) == 15

    server.advance(600)
    down = kit.activities(name)[0]
    assert down["Cause"] == "maximum capacity was set to 10"
    assert kit.activities(name)[1]["Description"] == (
        "Setting min capacity to 5 and max capacity to 10")
    assert kit.write_units(name) == 10
    # Spec 4.8: one-time actions stay listed after they ran; and they do not run again.
    assert len(actions(kit, name)) == 2
    count = len(kit.activities(name))
    server.advance(3600)
    assert len(kit.activities(name)) == count


def test_cron_recurs_and_is_skipped_while_suspended(kit, server, unique):
    name = kit.table(unique("C"), write=5)
    kit.register(name, low=1, high=10)
    put(kit, name, "every-ten", "cron(0/10 * * * ? *)", high=8)
    server.advance(600)
    runs = [a for a in kit.activities(name) if a["Cause"].startswith("scheduled action")]
    assert [a["Description"] for a in runs] == ["Setting max capacity to 8"]
    assert target(kit, name)["MaxCapacity"] == 8
    kit.register(name, low=1, high=10, SuspendedState={"ScheduledScalingSuspended": True})
    server.advance(600)
    assert target(kit, name)["MaxCapacity"] == 10
    kit.register(name, SuspendedState={"ScheduledScalingSuspended": False})
    server.advance(600)
    assert target(kit, name)["MaxCapacity"] == 8
    runs = [a for a in kit.activities(name) if a["Cause"].startswith("scheduled action")]
    assert len(runs) == 2


def test_timezone_shifts_at_expressions(kit, server, unique):
    name = kit.table(unique("Z"), write=5)
    kit.register(name, low=1, high=10)
    # Etc/GMT+1 is UTC-1: the local wall time 2 minutes from now (UTC) is 62 minutes away.
    put(kit, name, "tz", at(server, 120), 2, Timezone="Etc/GMT+1")
    assert actions(kit, name)[0]["Timezone"] == "Etc/GMT+1"
    server.advance(3600)
    assert target(kit, name)["MinCapacity"] == 1
    server.advance(180)
    assert target(kit, name)["MinCapacity"] == 2


def test_update_keeps_name_and_clears_start_and_end(kit, server, unique):
    name = kit.table(unique("U"), write=5)
    kit.register(name, low=1, high=10)
    now = server.now()
    put(kit, name, "a", "rate(1 hour)", 2, StartTime=now + 60, EndTime=now + 86400)
    [before] = actions(kit, name)
    assert before["StartTime"].timestamp() == pytest.approx(now + 60, abs=0.01)
    kit.aas.put_scheduled_action(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                 ScalableDimension=WRITE_DIM, ScheduledActionName="a",
                                 Schedule="rate(2 hours)")
    [after] = actions(kit, name)
    assert after["ScheduledActionARN"] == before["ScheduledActionARN"]
    assert after["CreationTime"] == before["CreationTime"]
    assert after["Schedule"] == "rate(2 hours)"
    assert after["ScalableTargetAction"] == {"MinCapacity": 2}
    assert "StartTime" not in after and "EndTime" not in after


def test_deregister_deletes_the_targets_actions(kit, server, unique):
    name = kit.table(unique("D"), write=5)
    kit.register(name, low=1, high=10)
    put(kit, name, "later", at(server, 300), 3)
    kit.aas.deregister_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                       ScalableDimension=WRITE_DIM)
    assert actions(kit, name) == []
    kit.register(name, low=1, high=10)
    server.advance(400)
    assert target(kit, name)["MinCapacity"] == 1


def test_delete_scheduled_action(kit, server, unique):
    name = kit.table(unique("X"), write=5)
    kit.register(name, low=1, high=10)
    put(kit, name, "soon", at(server, 120), 3)
    kit.aas.delete_scheduled_action(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                    ScalableDimension=WRITE_DIM, ScheduledActionName="soon")
    server.advance(200)
    assert actions(kit, name) == [] and target(kit, name)["MinCapacity"] == 1
    with pytest.raises(ClientError) as e:
        kit.aas.delete_scheduled_action(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                        ScalableDimension=WRITE_DIM, ScheduledActionName="soon")
    assert error_of(e) == (
        "ObjectNotFoundException",
        f"No scheduled action found for service namespace: dynamodb, resource ID: table/{name}, "
        f"scalable dimension: {WRITE_DIM}, scheduled action name: soon", 400)


def test_put_on_unregistered_target(kit, unique):
    with pytest.raises(ClientError) as e:
        put(kit, unique("N"), "a", "rate(5 minutes)", 1)
    code, message, status = error_of(e)
    assert (code, status) == ("ObjectNotFoundException", 400)
    assert message.startswith("No scalable target registered for service namespace: dynamodb")


@pytest.mark.parametrize("expression", [
    "cron(0 16 * * MON-FRI *)",       # observed (terraform-provider-aws #13995): both days set
    "cron(0 16 * *)", "cron(61 * * * ? *)", "rate(1 minutes)", "rate(5 minute)",
    "rate(0 minutes)", "at(2026-02-30T00:00:00)", "at(2026-01-01 00:00:00)", "every day"])
def test_bad_schedule_expressions(kit, unique, expression):
    name = unique("B")
    kit.table(name, write=5)
    kit.register(name, low=1, high=10)
    with pytest.raises(ClientError) as e:
        put(kit, name, "a", expression, 1)
    code, message, status = error_of(e)
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith("Invalid schedule expression. Details: ")


@pytest.mark.parametrize("expression", [
    "cron(15 10 ? * MON-FRI *)", "cron(0/15 8-17 * JAN,JUN ? *)", "cron(0 0 1 * ? 2027)",
    "rate(1 minute)", "rate(3 days)", "cron(0 30 9 * * ? *)"])
def test_good_schedule_expressions(kit, unique, expression):
    name = kit.table(unique("G"), write=5)
    kit.register(name, low=1, high=10)
    put(kit, name, "a", expression, 1)
    assert actions(kit, name)[0]["Schedule"] == expression


def test_other_validation(kit, server, unique):
    name = kit.table(unique("V"), write=5)
    kit.register(name, low=1, high=10)
    with pytest.raises(ClientError) as e:
        put(kit, name, "a", "rate(5 minutes)")
    assert error_of(e) == ("ValidationException", "At least one of minimum capacity and "
                           "maximum capacity should be provided", 400)
    with pytest.raises(ClientError) as e:
        put(kit, name, "a", "rate(5 minutes)", 1, Timezone="Mars/Olympus")
    assert error_of(e)[0] == "ValidationException"
    now = server.now()
    with pytest.raises(ClientError) as e:
        put(kit, name, "a", "rate(5 minutes)", 1, StartTime=now + 100, EndTime=now + 50)
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        put(kit, name, "a", "rate(5 minutes)", 9, 3)
    assert error_of(e)[0] == "ValidationException"
    assert actions(kit, name) == []


def test_actions_rearm_after_restart(make_server, unique):
    server = make_server("--clock", "manual")
    kit = Kit(server)
    name = kit.table(unique("R"), write=5)
    kit.register(name, low=1, high=10)
    put(kit, name, "once", at(server, 300), 3)
    put(kit, name, "hourly", "cron(30 * * * ? *)", high=9)
    server.restart()
    kit = Kit(server)
    server.advance(3700)
    found = target(kit, name)
    assert (found["MinCapacity"], found["MaxCapacity"]) == (3, 9)
    causes = [a["Cause"] for a in kit.activities(name)]
    assert "scheduled action name once was triggered" in causes
    assert "scheduled action name hourly was triggered" in causes
    assert kit.write_units(name) == 5


def test_cli_round_trip(server, unique):
    """The AAS get-started exercise's scheduled-scaling commands (names and times ours)."""
    kit = Kit(server)
    name = kit.table(unique("T"), write=5)
    server.aws("application-autoscaling", "register-scalable-target", "--service-namespace",
               "dynamodb", "--scalable-dimension", WRITE_DIM, "--resource-id", f"table/{name}",
               "--min-capacity", "5", "--max-capacity", "10")
    server.aws("application-autoscaling", "put-scheduled-action", "--service-namespace",
               "dynamodb", "--scalable-dimension", WRITE_DIM, "--resource-id", f"table/{name}",
               "--scheduled-action-name", "my-first-scheduled-action",
               "--schedule", at(server, 120),
               "--scalable-target-action", "MinCapacity=15,MaxCapacity=20")
    out = server.aws("application-autoscaling", "describe-scheduled-actions",
                     "--service-namespace", "dynamodb").json
    mine = [a for a in out["ScheduledActions"] if a["ResourceId"] == f"table/{name}"]
    assert [a["ScheduledActionName"] for a in mine] == ["my-first-scheduled-action"]
    server.advance(200)
    out = server.aws("application-autoscaling", "describe-scaling-activities",
                     "--service-namespace", "dynamodb", "--resource-id", f"table/{name}").json
    assert out["ScalingActivities"][1]["Cause"] == (
        "scheduled action name my-first-scheduled-action was triggered")
    server.aws("application-autoscaling", "delete-scheduled-action", "--service-namespace",
               "dynamodb", "--scalable-dimension", WRITE_DIM, "--resource-id", f"table/{name}",
               "--scheduled-action-name", "my-first-scheduled-action")
    assert actions(kit, name) == []


def test_activities_are_kept_six_weeks(make_server, unique):
    """Activities older than six simulated weeks are not listed (spec 3.6) and are deleted when
    a later activity starts (activities.py), so they do not accumulate."""
    server = make_server("--clock", "manual")
    kit = Kit(server)
    name = kit.table(unique("R"), write=5)
    kit.register(name, low=5, high=10)
    put(kit, name, "raise", at(server, 120), 15, 20)
    server.advance(300)
    first = kit.activities(name)
    assert len(first) == 2   # the scheduled action's, and the clamp to the new minimum
    kit.aas.deregister_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                       ScalableDimension=WRITE_DIM)
    kit.ddb.delete_table(TableName=name)   # six weeks of minutes pass quicker with no table
    for _ in range(2):   # one advance may cover at most 31 days (admin.MAX_ADVANCE)
        server.advance(21 * 86400)
    assert kit.activities(name) == []
    other = kit.table(unique("R2"), write=5)
    kit.register(other, low=5, high=10)
    put(kit, other, "raise", at(server, 120), 15, 20)
    server.advance(300)
    later = kit.activities(other)
    assert len(later) == 2
    server.stop()
    with sqlite3.connect(os.path.join(server.data_dir, DB_FILE)) as conn:
        kept = conn.execute("SELECT count(*) FROM docs WHERE kind = 'aas:activity'").fetchone()[0]
    assert kept == len(later)


def test_an_action_on_a_deleted_table_fails_and_stays(make_server, unique):
    """DynamoDB Developer Guide, AutoScaling.html: "When you delete a table ... any associated
    scalable targets, scaling polices, or CloudWatch alarms are not automatically deleted with
    it." So the target and its scheduled actions stay listed, and the action still runs at its
    time; the table being gone, its activity is Failed with AAS's refusal of a missing table and
    the target's range is left as it was (inferred: RegisterScalableTarget refuses a missing
    table with that text, so a range change on one is refused too; the Failed wording is AAS's
    for refused capacity changes)."""
    server = make_server("--clock", "manual")
    kit = Kit(server)
    name = kit.table(unique("D"), write=5)
    kit.register(name, low=5, high=10)
    put(kit, name, "raise", at(server, 120), 15, 20)
    put(kit, name, "nightly", "rate(1 day)", 6, 12)
    kit.ddb.delete_table(TableName=name)
    server.advance(30)
    with pytest.raises(ClientError):
        kit.ddb.describe_table(TableName=name)
    assert (target(kit, name)["MinCapacity"], target(kit, name)["MaxCapacity"]) == (5, 10)
    server.advance(100)
    assert [a["ScheduledActionName"] for a in actions(kit, name)] == ["raise", "nightly"]
    [failed] = kit.activities(name)
    assert failed["Description"] == "Setting min capacity to 15 and max capacity to 20"
    assert failed["Cause"] == "scheduled action name raise was triggered"
    assert failed["StatusCode"] == "Failed" and "EndTime" in failed
    assert failed["StatusMessage"] == (
        "Failed to set min capacity to 15 and max capacity to 20. Reason: "
        f"DynamoDB table does not exist: table/{name}")
    assert (target(kit, name)["MinCapacity"], target(kit, name)["MaxCapacity"]) == (5, 10)
    server.advance(86400)   # the recurring action keeps running, and failing
    latest = kit.activities(name)[0]
    assert latest["Cause"] == "scheduled action name nightly was triggered"
    assert latest["StatusCode"] == "Failed"
