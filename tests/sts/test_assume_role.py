"""STS AssumeRole (sts/operations/assume_role.py): temporary credentials for an existing role,
AWS's credential and ARN formats, DurationSeconds against the role's MaxSessionDuration, and
GetCallerIdentity answering as the assumed role with those credentials."""

from __future__ import annotations

import json
import re

import boto3

from tests.kit import error

ACCOUNT = "123456789012"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]})


def make_role(server, name: str, **extra) -> dict:
    return server.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=TRUST,
                                            **extra)["Role"]


def test_assume_role_returns_temporary_credentials(server, unique):
    role = make_role(server, unique("Assumable"), Path="/app/")
    out = server.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="ci-session")
    creds = out["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", creds["AccessKeyId"])
    assert len(creds["SecretAccessKey"]) == 40 and creds["SessionToken"]
    issued = server.now()
    assert abs(creds["Expiration"].timestamp() - (issued + 3600)) < 5  # default one hour
    assert out["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role['RoleId']}:ci-session",
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role['RoleName']}/ci-session"}
    assert "PackedPolicySize" not in out

    # The credentials identify the session (as boto3's assume-role credential provider expects).
    sts = boto3.client("sts", endpoint_url=server.url, region_name="us-east-1",
                       aws_access_key_id=creds["AccessKeyId"],
                       aws_secret_access_key=creds["SecretAccessKey"],
                       aws_session_token=creds["SessionToken"])
    ident = sts.get_caller_identity()
    assert (ident["Account"], ident["UserId"], ident["Arn"]) == (
        ACCOUNT, out["AssumedRoleUser"]["AssumedRoleId"], out["AssumedRoleUser"]["Arn"])


def test_duration_and_session_policy(server, unique):
    role = make_role(server, unique("Long"), MaxSessionDuration=7200)
    sts = server.client("sts")
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=7200,
                          Policy=json.dumps({"Version": "2012-10-17", "Statement": [
                              {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}))
    assert abs(out["Credentials"]["Expiration"].timestamp() - (server.now() + 7200)) < 5
    assert 0 < out["PackedPolicySize"] <= 100
    assert error(sts.assume_role, RoleArn=role["Arn"], RoleSessionName="s2",
                 DurationSeconds=7201) == (
        "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for "
        "this role.", 400)


def test_missing_role_is_access_denied(server):
    arn = f"arn:aws:iam::{ACCOUNT}:role/DoesNotExist"
    assert error(server.client("sts").assume_role, RoleArn=arn, RoleSessionName="s1") == (
        "AccessDenied", f"User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: "
        f"sts:AssumeRole on resource: {arn}", 403)


def test_session_name_is_validated_by_the_model(server, unique):
    role = make_role(server, unique("Named"))
    code, message, _ = error(server.client("sts", parameter_validation=False).assume_role,
                             RoleArn=role["Arn"], RoleSessionName="bad name!")
    assert code == "ValidationError" and "roleSessionName" in message


def test_assume_role_with_the_cli(server, unique):
    role = make_role(server, unique("Cli"))
    out = server.aws("sts", "assume-role", "--role-arn", role["Arn"], "--role-session-name", "cli").json
    assert out["AssumedRoleUser"]["Arn"].endswith(f"assumed-role/{role['RoleName']}/cli")
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA")




def test_malformed_role_arn_is_validation_error(server):
    # LocalStack snapshot tests/aws/services/sts/test_sts.snapshot.json::
    # test_sts_invalid_parameters, recorded against AWS.
    sts = server.client("sts")
    for arn in ("nothing-valid-in-here", "arn::b:::something/test-role",
                "arn:a::::something/test-role", "arn:a:::something/test-role",
                "arn:a:a::aaaaaaaaaa:"):
        assert error(sts.assume_role, RoleArn=arn, RoleSessionName="s1") == (
            "ValidationError", f"{arn} is invalid", 400)
    # Well-formed but naming no role (another service, even): AccessDenied as before.
    arn = "arn:aws:s3:::some-bucket"
    assert error(sts.assume_role, RoleArn=arn, RoleSessionName="s1")[0] == "AccessDenied"
