"""The tutorial under `--auth enforce`, run verbatim with the aws CLI as an IAM user whose policy
allows exactly what it calls: the whole tutorial (Steps 1-7 and Step 5's program, as the user) at
--time-scale 60, where Application Auto Scaling's scale-out goes through the service-linked role's
permissions; and Steps 1-4 on the manual clock, where without
application-autoscaling:PutScalingPolicy the same user gets AWS's AccessDeniedException and no
policy or alarm is created; granted it, the step succeeds."""

from __future__ import annotations

import json
import subprocess

from test_tutorial import run_tutorial
from tutorial import argv, blocks

from tests.auth.helpers import ROOT_FLAGS, client, env
from tests.conftest import ACCOUNT, AWS_CLI

# What Steps 1-4 call (IAM User Guide: iam:PassRole for handing a role to a service; Application
# Auto Scaling User Guide: iam:CreateServiceLinkedRole for the first RegisterScalableTarget).
STEP_ACTIONS = ["iam:CreateServiceLinkedRole", "iam:CreateRole", "iam:CreatePolicy", "iam:AttachRolePolicy", "iam:GetRole",
                "iam:PassRole", "dynamodb:CreateTable", "dynamodb:DescribeTable",
                "application-autoscaling:RegisterScalableTarget",
                "application-autoscaling:DescribeScalableTargets",
                "application-autoscaling:DescribeScalingPolicies"]
PUT = "application-autoscaling:PutScalingPolicy"
USER = "tutorial-user"
# ... and what Steps 5-7 call: the program's PutItem, then the activities and the clean-up.
LATER_ACTIONS = ["dynamodb:PutItem", "application-autoscaling:DescribeScalingActivities",
                 "application-autoscaling:DeleteScalingPolicy",
                 "application-autoscaling:DeregisterScalableTarget", "dynamodb:DeleteTable",
                 "iam:ListPolicies", "iam:DetachRolePolicy", "iam:DeletePolicy", "iam:DeleteRole"]


def grant(iam, actions):
    iam.put_user_policy(UserName=USER, PolicyName="tutorial", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))


def run(server, cmd, cwd, user_env):
    proc = subprocess.run([str(AWS_CLI), *cmd[1:]], env=user_env, cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    proc.json = json.loads(proc.stdout) if proc.stdout.strip() else None
    return proc


def test_tutorial_steps_as_an_iam_user(make_server, tmp_path):
    server = make_server("--clock", "manual", "--auth", "enforce", *ROOT_FLAGS)
    iam = client(server, "iam")
    iam.create_user(UserName=USER)
    grant(iam, STEP_ACTIONS)  # everything but PutScalingPolicy
    key = iam.create_access_key(UserName=USER)["AccessKey"]
    user_env = env(server, key["AccessKeyId"], key["SecretAccessKey"])
    replacements: dict[str, str] = {}
    put_command = None
    for block in blocks():
        if block.step > 4:
            break
        if block.kind == "file":
            (tmp_path / block.filename).write_text(block.text)
            continue
        cmd = argv(block.text, replacements)
        verb = " ".join(cmd[1:3])
        if verb == "application-autoscaling put-scaling-policy":
            put_command = cmd
            proc = run(server, cmd, tmp_path, user_env)
            assert proc.returncode != 0
            assert proc.stderr.strip() == (
                "An error occurred (AccessDeniedException) when calling the PutScalingPolicy "
                f"operation: User: arn:aws:iam::{ACCOUNT}:user/{USER} is not authorized to "
                f"perform: {PUT} because no identity-based policy allows the {PUT} action")
            continue
        proc = run(server, cmd, tmp_path, user_env)
        assert proc.returncode == 0, (cmd, proc.stderr)
        if verb == "iam create-policy":
            replacements["arn"] = proc.json["Policy"]["Arn"]
        elif verb == "iam get-role":
            replacements["roleARN"] = proc.json
        elif verb == "dynamodb create-table":
            server.advance(60)  # CREATING -> ACTIVE on the manual clock
        elif verb == "dynamodb describe-table":
            assert proc.json[:2] == ["TestTable", "ACTIVE"]
        elif verb == "application-autoscaling describe-scaling-policies":
            assert proc.json == {"ScalingPolicies": []}  # the refused call created nothing
    assert put_command is not None

    # Nothing was created by the refused call (checked as root too).
    aas = client(server, "application-autoscaling")
    assert aas.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"] == []
    assert client(server, "cloudwatch").describe_alarms()["MetricAlarms"] == []
    targets = aas.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]
    assert [t["ResourceId"] for t in targets] == ["table/TestTable"]

    # Granted PutScalingPolicy, the same user's same command succeeds.
    grant(iam, STEP_ACTIONS + [PUT])
    proc = run(server, put_command, tmp_path, user_env)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.json["Alarms"]) == 4
    policies = aas.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"]
    assert [p["PolicyName"] for p in policies] == ["MyScalingPolicy"]


def test_the_whole_tutorial_as_an_iam_user_accelerated(make_server, tmp_path):
    """Acceptance: "The tutorial passes in --auth enforce run as an IAM user whose policy allows
    what it calls" - every step, the program's throttled writes and the scale-out to 10 WCU
    (test_tutorial.py's assertions), signed with the user's key."""
    import time
    started = time.monotonic()
    server = make_server("--time-scale", "60", "--auth", "enforce", *ROOT_FLAGS, durable=False)
    iam = client(server, "iam")
    arn = iam.create_user(UserName=USER)["User"]["Arn"]
    grant(iam, STEP_ACTIONS + [PUT] + LATER_ACTIONS)
    key = iam.create_access_key(UserName=USER)["AccessKey"]
    user_env = env(server, key["AccessKeyId"], key["SecretAccessKey"])
    me = run(server, ["aws", "sts", "get-caller-identity"], tmp_path, user_env)
    assert me.json["Arn"] == arn  # the tutorial's commands are the user's, not the root's
    run_tutorial(server, tmp_path, started, user_env)
