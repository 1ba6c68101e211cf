"""The tutorial's IAM commands through the real aws CLI (seed Step 1, Step 3 get-role, Step 7
cleanup; old tutorial variant DDB-DG @21cfcaf7; spec §6.14)."""

from __future__ import annotations

import json

from .helpers import ACCOUNT, SERVICE_ROLE_POLICY, TRUST_POLICY


def test_tutorial_iam_steps(make_server, tmp_path):
    srv = make_server("--clock", "manual", durable=False)
    (tmp_path / "trust-relationship.json").write_text(TRUST_POLICY)
    (tmp_path / "service-role-policy.json").write_text(SERVICE_ROLE_POLICY)
    cwd = str(tmp_path)

    role = srv.aws("iam", "create-role", "--role-name", "MyIAMAutoscalingServiceRole",
                   "--assume-role-policy-document", "file://trust-relationship.json", cwd=cwd).json["Role"]
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/MyIAMAutoscalingServiceRole"
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST_POLICY)

    policy = srv.aws("iam", "create-policy", "--policy-name", "MyIAMAutoscalingServicePolicy",
                     "--policy-document", "file://service-role-policy.json", cwd=cwd).json["Policy"]
    policy_arn = f"arn:aws:iam::{ACCOUNT}:policy/MyIAMAutoscalingServicePolicy"
    assert policy["Arn"] == policy_arn

    attach = srv.aws("iam", "attach-role-policy", "--role-name", "MyIAMAutoscalingServiceRole",
                     "--policy-arn", policy_arn)
    assert attach.stdout.strip() == ""

    got = srv.aws("iam", "get-role", "--role-name", "MyIAMAutoscalingServiceRole", "--query", "Role.Arn")
    assert got.json == role["Arn"]

    listed = srv.aws("iam", "list-policies", "--scope", "Local").json["Policies"]
    assert [p["Arn"] for p in listed] == [policy_arn] and listed[0]["AttachmentCount"] == 1

    for args in (("detach-role-policy", "--role-name", "MyIAMAutoscalingServiceRole", "--policy-arn", policy_arn),
                 ("delete-policy", "--policy-arn", policy_arn),
                 ("delete-role", "--role-name", "MyIAMAutoscalingServiceRole")):
        assert srv.aws("iam", *args).stdout.strip() == ""
    assert srv.aws("iam", "list-policies", "--scope", "Local").json["Policies"] == []


def test_cli_reports_aws_error_text(server):
    proc = server.aws("iam", "get-role", "--role-name", "NoSuchTutorialRole", check=False)
    assert proc.returncode in (254, 255)  # CLI v2 exits 254 on a service error, v1 255
    assert ("An error occurred (NoSuchEntity) when calling the GetRole operation: "
            "The role with name NoSuchTutorialRole cannot be found.") in proc.stderr
