"""The seed tutorial end to end, verbatim, against a server in accelerated time (x60).

Every command of Steps 1-7 runs with the real `aws` CLI exactly as printed (the endpoint comes from
AWS_ENDPOINT_URL in the environment; `arn` / `roleARN` are replaced as the tutorial instructs), and
Step 5's program runs byte-for-byte as printed. Outcome asserted as on AWS: the program is throttled
and retried and finishes; a Successful activity "Setting write capacity units to 10." caused by the
AlarmHigh alarm and the policy; describe-table shows 10 WCU; after Step 7 nothing is left.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tutorial import argv, blocks

from tests.conftest import AWS_CLI

TIME_SCALE = "60"
# Seconds for the whole scenario (acceptance: under a minute). Where the ~24 s of a quiet machine
# go: the program's ~900 simulated seconds of throttled writes (~9,800 WCU at 5, then 10 WCU/s) are
# ~15 s at x60, overlapping Step 6; the ~20 aws CLI processes the tutorial prints cost ~0.5 s of
# Python start-up each, ~10 s, and that is the part a loaded machine stretches.
WALL_LIMIT = 55


def cli(server, env, *args, cwd):
    """The real aws CLI with `env`'s credentials (the account root's: server.env()); JSON output
    parsed into `.json`; a failure fails the test."""
    proc = subprocess.run([str(AWS_CLI), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, f"aws {' '.join(args)} failed ({proc.returncode}): {proc.stderr}"
    proc.json = json.loads(proc.stdout) if proc.stdout.strip() else None
    return proc


def test_tutorial_end_to_end_accelerated(make_server, tmp_path):
    started = time.monotonic()
    server = make_server("--time-scale", TIME_SCALE)
    run_tutorial(server, tmp_path, started, server.env())


def run_tutorial(server, tmp_path, started, env):
    """Steps 1-7 as printed, every command and Step 5's program run with `env` (endpoint and
    credentials), then the outcome checked as the account root."""
    steps = blocks()
    replacements: dict[str, str] = {}
    outputs: dict[str, object] = {}
    program = None

    for block in steps:
        if block.kind == "file":
            (tmp_path / block.filename).write_text(block.text)
            if block.filename == "bulk-load-test-table.py":
                # Step 5: run the program as printed, with only `env` (endpoint, credentials).
                program = subprocess.Popen([sys.executable, block.filename], cwd=tmp_path,
                                           env=env, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True)
            continue
        cmd = argv(block.text, replacements)
        verb = " ".join(cmd[1:3])
        if verb == "application-autoscaling describe-scaling-activities":
            activity = wait_for_scale_out(server, env, cmd, tmp_path, started)
            outputs["activity"] = activity
            continue
        if verb == "dynamodb describe-table" and block.step == 2:
            wait_until_active(server, env, cmd, tmp_path)
            continue
        if verb == "dynamodb delete-table":
            # Step 7 cleans up after the program; it has finished (checked here first).
            finish_program(program, started)
        proc = cli(server, env, *cmd[1:], cwd=str(tmp_path))
        outputs[verb] = proc.json
        if verb == "iam create-policy":
            replacements["arn"] = proc.json["Policy"]["Arn"]
        elif verb == "iam get-role":
            replacements["roleARN"] = proc.json
        elif verb == "iam list-policies":
            arns = [p["Arn"] for p in proc.json["Policies"] if p["PolicyName"] == "MyIAMAutoscalingServicePolicy"]
            assert arns == [replacements["arn"]]
        elif verb == "application-autoscaling put-scaling-policy":
            names = sorted(a["AlarmName"].split("-")[2] for a in proc.json["Alarms"])
            # AWS today creates four alarms (not the tutorial's outdated "two").
            assert names == ["AlarmHigh", "AlarmLow", "ProvisionedCapacityHigh", "ProvisionedCapacityLow"]
        elif verb == "dynamodb describe-table" and block.step == 6:
            name, status, throughput = proc.json
            assert (name, throughput["WriteCapacityUnits"]) == ("TestTable", 10)

    activity = outputs["activity"]
    assert activity["Description"] == "Setting write capacity units to 10."
    assert activity["StatusCode"] == "Successful"
    assert activity["StatusMessage"] == ("Successfully set write capacity units to 10. "
                                         "Change successfully fulfilled by dynamodb.")
    assert activity["Cause"].startswith("monitor alarm TargetTracking-table/TestTable-AlarmHigh-")
    assert activity["Cause"].endswith(" in state ALARM triggered policy MyScalingPolicy")

    # The checks below are the test's, not the tutorial's: boto3 in this process, not one aws CLI
    # process each (~0.5 s of Python start-up apiece, the bulk of this test's wall time when the
    # machine is loaded).
    # The program was throttled (and botocore retried until it finished, checked above):
    # CloudWatch shows write throttle events for TestTable.
    now = server.now()
    stats = server.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName="WriteThrottleEvents",
        Dimensions=[{"Name": "TableName", "Value": "TestTable"}], StartTime=now - 6 * 3600,
        EndTime=now + 60, Period=60, Statistics=["Sum"])
    assert sum(d["Sum"] for d in stats["Datapoints"]) > 0

    # After Step 7 nothing the tutorial created is left.
    aas, iam = server.client("application-autoscaling"), server.client("iam")
    assert server.client("dynamodb").list_tables()["TableNames"] == []
    assert aas.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"] == []
    assert aas.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"] == []
    assert server.client("cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert "MyIAMAutoscalingServiceRole" not in [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert iam.list_policies(Scope="Local")["Policies"] == []
    assert time.monotonic() - started < WALL_LIMIT


def wait_until_active(server, env, cmd, tmp_path):
    for _ in range(200):
        name, status, throughput = cli(server, env, *cmd[1:], cwd=str(tmp_path)).json
        if status == "ACTIVE":
            assert throughput["ReadCapacityUnits"] == 5 and throughput["WriteCapacityUnits"] == 5
            return
        assert status == "CREATING"
        time.sleep(0.05)
    pytest.fail("TestTable never became ACTIVE")


def wait_for_scale_out(server, env, cmd, tmp_path, started):
    """Step 6: rerun describe-scaling-activities occasionally until the scale-out shows up."""
    while time.monotonic() - started < WALL_LIMIT:
        activities = cli(server, env, *cmd[1:], cwd=str(tmp_path)).json["ScalingActivities"]
        done = [a for a in activities if a["Description"] == "Setting write capacity units to 10."
                and a["StatusCode"] == "Successful"]
        if done:
            return done[0]
        time.sleep(0.5)
    pytest.fail("no successful scale-out activity in time")


def finish_program(program, started):
    assert program is not None
    out, err = program.communicate(timeout=max(1, WALL_LIMIT - (time.monotonic() - started)))
    assert program.returncode == 0, err
    lines = out.split("\n")
    assert lines[0] == "0 0" and lines[99] == "9 9", out[-200:]
