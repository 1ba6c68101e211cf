"""`--auth enforce` with groups, permission boundaries, session policies, session and principal
tags, and GetSessionToken credentials; `--auth verify` recording an access key's last use (IAM
User Guide, "Policy evaluation logic"; texts from "Troubleshooting access denied error
messages")."""

from __future__ import annotations

import datetime as dt
import json
import signal

import boto3
import botocore.config
import pytest

from tests.auth.helpers import INVALID_TOKEN, ROOT_FLAGS, client
from tests.conftest import ACCOUNT, REGION, Server
from tests.kit import error


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--auth", "enforce", *ROOT_FLAGS]).start()
    yield s
    s.stop()


def unchecked(server, service, key):
    """A client that sends what botocore's own validation would refuse (the server must)."""
    return boto3.session.Session(aws_access_key_id=key[0], aws_secret_access_key=key[1],
                                 region_name=REGION).client(
        service, endpoint_url=server.url,
        config=botocore.config.Config(retries={"total_max_attempts": 1},
                                      parameter_validation=False))


def policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource="*"):
    return {"Effect": "Deny", "Action": action, "Resource": resource}


def new_user(server, name, *statements, **create):
    iam = client(server, "iam")
    arn = iam.create_user(UserName=name, **create)["User"]["Arn"]
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy(*statements))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return arn, (key["AccessKeyId"], key["SecretAccessKey"])


def refused(arn, action, why):
    return ("AccessDenied", f"User: {arn} is not authorized to perform: {action} {why}", 403)


def no(kind, action):
    return f"because no {kind} allows the {action} action"


def test_group_policies_grant(server, unique):
    iam = client(server, "iam")
    arn, key = new_user(server, unique("member"))
    group = unique("readers")
    iam.create_group(GroupName=group)
    managed = iam.create_policy(PolicyName=unique("list-users"),
                                PolicyDocument=policy(allow("iam:ListUsers")))["Policy"]["Arn"]
    iam.attach_group_policy(GroupName=group, PolicyArn=managed)
    iam.put_group_policy(GroupName=group, PolicyName="roles",
                         PolicyDocument=policy(allow("iam:ListRoles")))
    mine = client(server, "iam", *key)
    assert error(mine.list_users) == refused(arn, "iam:ListUsers", no("identity-based policy",
                                                                      "iam:ListUsers"))
    iam.add_user_to_group(GroupName=group, UserName=arn.rsplit("/", 1)[1])
    assert "Users" in mine.list_users()          # the group's managed policy
    assert "Roles" in mine.list_roles()          # the group's inline policy
    iam.put_group_policy(GroupName=group, PolicyName="no-roles",
                         PolicyDocument=policy(deny("iam:ListRoles")))
    assert error(mine.list_roles) == refused(
        arn, "iam:ListRoles", "with an explicit deny in an identity-based policy")
    iam.remove_user_from_group(GroupName=group, UserName=arn.rsplit("/", 1)[1])
    assert error(mine.list_users)[0] == "AccessDenied"


def test_permissions_boundary_caps_identity_policies(server, unique):
    iam = client(server, "iam")
    boundary = iam.create_policy(
        PolicyName=unique("boundary"),
        PolicyDocument=policy(allow(["iam:ListUsers", "iam:ListGroups"]),
                              deny("iam:ListGroups")))["Policy"]["Arn"]
    arn, key = new_user(server, unique("bounded"), allow("iam:List*"),
                        PermissionsBoundary=boundary)
    mine = client(server, "iam", *key)
    assert "Users" in mine.list_users()           # both allow
    assert error(mine.list_roles) == refused(arn, "iam:ListRoles",
                                             no("permissions boundary", "iam:ListRoles"))
    assert error(mine.list_groups) == refused(arn, "iam:ListGroups",
                                              "with an explicit deny in a permissions boundary")
    # the boundary alone grants nothing
    assert error(mine.list_policies) == refused(arn, "iam:ListPolicies",
                                                no("permissions boundary", "iam:ListPolicies"))
    iam.delete_user_permissions_boundary(UserName=arn.rsplit("/", 1)[1])
    assert "Roles" in mine.list_roles()
    assert "Groups" in mine.list_groups()


def _assumer(server, unique):
    """A user that may assume roles and tag sessions, and a role trusting the account."""
    arn, key = new_user(server, unique("assumer"), allow(["sts:AssumeRole", "sts:TagSession"]))
    return arn, key


def _role(server, name, *statements, trust_actions=("sts:AssumeRole", "sts:TagSession"),
          trust_extra=(), **extra):
    iam = client(server, "iam")
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": list(trust_actions)}, *trust_extra)
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, **extra)["Role"]
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=policy(*statements))
    return role


def _session(server, key, role_arn, **kwargs):
    out = client(server, "sts", *key).assume_role(RoleArn=role_arn, RoleSessionName="ss", **kwargs)
    c = out["Credentials"]
    return out, (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


def test_session_policy_narrows_an_assumed_role(server, unique):
    _, key = _assumer(server, unique)
    role = _role(server, unique("wide"), allow(["iam:ListUsers", "iam:ListRoles", "iam:ListGroups"]))
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role['RoleName']}/ss"
    out, creds = _session(server, key, role["Arn"], Policy=policy(allow("iam:ListUsers")))
    assert 0 < out["PackedPolicySize"] <= 100
    narrowed = client(server, "iam", *creds)
    assert "Users" in narrowed.list_users()
    assert error(narrowed.list_roles) == refused(session_arn, "iam:ListRoles",
                                                 no("session policy", "iam:ListRoles"))
    # a session policy grants nothing the role's policies do not
    _, creds = _session(server, key, role["Arn"], Policy=policy(allow("iam:*")))
    assert error(client(server, "iam", *creds).list_policies) == refused(
        session_arn, "iam:ListPolicies", no("identity-based policy", "iam:ListPolicies"))
    # managed session policies, and a Deny in one
    managed = client(server, "iam").create_policy(
        PolicyName=unique("session"),
        PolicyDocument=policy(allow("iam:List*"), deny("iam:ListGroups")))["Policy"]["Arn"]
    _, creds = _session(server, key, role["Arn"], PolicyArns=[{"arn": managed}])
    via_arn = client(server, "iam", *creds)
    assert "Roles" in via_arn.list_roles()
    assert error(via_arn.list_groups) == refused(session_arn, "iam:ListGroups",
                                                 "with an explicit deny in a session policy")
    # without session policies the role's permissions are whole
    _, creds = _session(server, key, role["Arn"])
    assert "Groups" in client(server, "iam", *creds).list_groups()


def test_session_policy_and_tags_are_checked(server, unique):
    _, key = _assumer(server, unique)
    role = _role(server, unique("checked"), allow("iam:ListUsers"))
    sts = client(server, "sts", *key)
    assert error(sts.assume_role, RoleArn=role["Arn"], RoleSessionName="ss", Policy="{") == (
        "MalformedPolicyDocument", "Syntax errors in policy.", 400)
    assert error(sts.assume_role, RoleArn=role["Arn"], RoleSessionName="ss",
                 Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])[0] == \
        "InvalidParameterValue"
    assert error(sts.assume_role, RoleArn=role["Arn"], RoleSessionName="ss",
                 Tags=[{"Key": "a", "Value": "1"}], TransitiveTagKeys=["b"])[0] == \
        "InvalidParameterValue"
    big = [{"Key": f"k{i:03d}" + "x" * 120, "Value": "v" * 256} for i in range(50)]
    code, message, status = error(sts.assume_role, RoleArn=role["Arn"], RoleSessionName="ss",
                                  Tags=big)
    assert (code, status) == ("PackedPolicyTooLarge", 400)
    assert message.startswith("Packed size of session tags consumes ") and \
        message.endswith("% of allotted space.")
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    assert error(sts.assume_role, RoleArn=role["Arn"], RoleSessionName="ss",
                 Tags=too_many)[0] == "ValidationError"


def test_session_tags_need_tag_session_and_become_principal_tags(server, unique):
    assumer_arn, key = _assumer(server, unique)
    condition = {"StringEquals": {"aws:PrincipalTag/team": "db"}}
    role = _role(server, unique("tagged"), allow("iam:ListUsers", Condition=condition),
                 Tags=[{"Key": "team", "Value": "web"}])
    # the role's own tag does not match; a session tag overrides it
    _, creds = _session(server, key, role["Arn"])
    assert error(client(server, "iam", *creds).list_users)[0] == "AccessDenied"
    _, creds = _session(server, key, role["Arn"], Tags=[{"Key": "Team", "Value": "db"}])
    assert "Users" in client(server, "iam", *creds).list_users()
    # a trust policy without sts:TagSession refuses tags
    strict = _role(server, unique("strict"), allow("iam:ListUsers"),
                   trust_actions=("sts:AssumeRole",))
    assert error(client(server, "sts", *key).assume_role, RoleArn=strict["Arn"],
                 RoleSessionName="ss", Tags=[{"Key": "team", "Value": "db"}]) == (
        "AccessDenied", f"User: {assumer_arn} is not authorized to perform: sts:TagSession on "
                        f"resource: {strict['Arn']}", 403)


def test_user_tags_are_principal_tags(server, unique):
    condition = {"StringEquals": {"aws:PrincipalTag/team": "db"}}
    _, key = new_user(server, unique("db"), allow("iam:ListUsers", Condition=condition),
                      Tags=[{"Key": "team", "Value": "db"}])
    arn, other = new_user(server, unique("web"), allow("iam:ListUsers", Condition=condition),
                          Tags=[{"Key": "team", "Value": "web"}])
    assert "Users" in client(server, "iam", *key).list_users()
    assert error(client(server, "iam", *other).list_users) == refused(
        arn, "iam:ListUsers", no("identity-based policy", "iam:ListUsers"))


def test_get_session_token_credentials_act_as_the_user(server, unique):
    arn, key = new_user(server, unique("temp"), allow("dynamodb:ListTables"))
    user = client(server, "iam").get_user(UserName=arn.rsplit("/", 1)[1])["User"]
    out = client(server, "sts", *key).get_session_token(DurationSeconds=900)
    c = out["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA") and len(c["SecretAccessKey"]) == 40
    assert c["Expiration"].timestamp() == int(server.now()) + 900
    creds = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    me = client(server, "sts", *creds).get_caller_identity()
    assert (me["Arn"], me["UserId"], me["Account"]) == (arn, user["UserId"], ACCOUNT)
    assert client(server, "dynamodb", *creds).list_tables()["TableNames"] is not None
    assert error(client(server, "dynamodb", *creds).describe_limits) == (
        "AccessDeniedException", f"User: {arn} is not authorized to perform: "
        f"dynamodb:DescribeLimits because no identity-based policy allows the "
        f"dynamodb:DescribeLimits action", 400)
    # no IAM without MFA, no GetSessionToken with session credentials
    assert error(client(server, "iam", *creds).list_users) == ("InvalidClientTokenId",
                                                              INVALID_TOKEN, 403)
    assert error(client(server, "sts", *creds).get_session_token) == (
        "AccessDenied", "Cannot call GetSessionToken with session credentials", 403)
    # default 12 hours; they expire on the simulated clock
    long = client(server, "sts", *key).get_session_token()["Credentials"]
    assert long["Expiration"].timestamp() == int(server.now()) + 43200
    server.advance(901)
    assert error(client(server, "sts", *creds).get_caller_identity)[0] == "ExpiredToken"


def test_get_session_token_limits(server, unique):
    _, key = new_user(server, unique("limits"))
    sts = client(server, "sts", *key)
    for bad in (899, 129601):
        assert error(unchecked(server, "sts", key).get_session_token,
                     DurationSeconds=bad)[0] == "ValidationError"
    assert sts.get_session_token(DurationSeconds=129600)["Credentials"]["Expiration"] \
        .timestamp() == int(server.now()) + 129600
    # the root's sessions last at most an hour
    root = client(server, "sts").get_session_token(DurationSeconds=7200)["Credentials"]
    assert root["Expiration"].timestamp() == int(server.now()) + 3600


def test_role_chaining_is_limited_to_an_hour(server, unique):
    _, key = _assumer(server, unique)
    first = _role(server, unique("first"), allow("sts:AssumeRole"), MaxSessionDuration=7200)
    _, creds = _session(server, key, first["Arn"])
    assert error(client(server, "sts", *creds).assume_role, RoleArn=first["Arn"],
                 RoleSessionName="again", DurationSeconds=7200) == (
        "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for "
                           "roles assumed by role chaining.", 400)


def test_access_key_last_used(server, unique):
    arn, key = new_user(server, unique("used"), allow("dynamodb:ListTables"))
    iam = client(server, "iam")
    assert iam.get_access_key_last_used(AccessKeyId=key[0])["AccessKeyLastUsed"] == {
        "ServiceName": "N/A", "Region": "N/A"}
    client(server, "dynamodb", *key).list_tables()
    used = iam.get_access_key_last_used(AccessKeyId=key[0])
    assert used["UserName"] == arn.rsplit("/", 1)[1]
    assert used["AccessKeyLastUsed"] == {
        "LastUsedDate": dt.datetime.fromtimestamp(int(server.now()), dt.timezone.utc),
        "ServiceName": "dynamodb", "Region": REGION}
    server.advance(120)
    # a refused request is still a use of the key (its signature was good)
    error(unchecked(server, "sts", key).get_session_token, DurationSeconds=899)
    client(server, "sts", *key).get_caller_identity()
    later = iam.get_access_key_last_used(AccessKeyId=key[0])["AccessKeyLastUsed"]
    assert later["ServiceName"] == "sts"
    assert later["LastUsedDate"] == dt.datetime.fromtimestamp(int(server.now()), dt.timezone.utc)
    # a bad signature is not a use
    server.advance(60)
    error(client(server, "dynamodb", key[0], "wrong-secret").list_tables)
    assert iam.get_access_key_last_used(AccessKeyId=key[0])["AccessKeyLastUsed"] == later


def test_transitive_tags_pass_down_a_role_chain(server, unique):
    _, key = _assumer(server, unique)
    condition = {"StringEquals": {"aws:PrincipalTag/team": "db"}}
    first = _role(server, unique("first"), allow(["sts:AssumeRole", "sts:TagSession"]))
    second = _role(server, unique("second"), allow("iam:ListUsers", Condition=condition))
    _, plain = _session(server, key, first["Arn"], Tags=[{"Key": "team", "Value": "db"}])
    _, passing = _session(server, key, first["Arn"], Tags=[{"Key": "team", "Value": "db"}],
                          TransitiveTagKeys=["team"])
    # not transitive: the chained session has no team tag
    _, creds = _session(server, plain, second["Arn"])
    assert error(client(server, "iam", *creds).list_users)[0] == "AccessDenied"
    _, creds = _session(server, passing, second["Arn"])
    assert "Users" in client(server, "iam", *creds).list_users()
    # an inherited key cannot be passed again
    assert error(client(server, "sts", *passing).assume_role, RoleArn=second["Arn"],
                 RoleSessionName="ss", Tags=[{"Key": "TEAM", "Value": "web"}])[0] == \
        "InvalidParameterValue"


def test_groups_and_boundaries_survive_a_restart(make_server, unique):
    s = make_server("--clock", "manual", "--auth", "enforce", *ROOT_FLAGS)
    iam = client(s, "iam")
    group = unique("G")
    iam.create_group(GroupName=group)
    iam.put_group_policy(GroupName=group, PolicyName="p",
                         PolicyDocument=policy(allow(["iam:ListUsers", "iam:ListRoles"])))
    boundary = iam.create_policy(PolicyName=unique("b"),
                                 PolicyDocument=policy(allow("iam:ListUsers")))["Policy"]["Arn"]
    arn, key = new_user(s, unique("u"), PermissionsBoundary=boundary)
    iam.add_user_to_group(GroupName=group, UserName=arn.rsplit("/", 1)[1])
    client(s, "iam", *key).list_users()
    s.restart(signal.SIGKILL)
    mine = client(s, "iam", *key)
    assert "Users" in mine.list_users()
    assert error(mine.list_roles)[1].endswith(no("permissions boundary", "iam:ListRoles"))
    assert client(s, "iam").get_access_key_last_used(AccessKeyId=key[0])[
        "AccessKeyLastUsed"]["ServiceName"] == "iam"


def test_trust_policy_conditions_on_request_tags(server, unique):
    # Only team=db or team=web may be passed (aws:RequestTag, aws:TagKeys on sts:TagSession).
    _, key = _assumer(server, unique)
    tag_rule = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sts:TagSession",
                "Condition": {"StringEquals": {"aws:RequestTag/team": ["db", "web"]},
                              "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}}
    role = _role(server, unique("gated"), allow("iam:ListUsers"),
                 trust_actions=("sts:AssumeRole",), trust_extra=(tag_rule,))
    _session(server, key, role["Arn"], Tags=[{"Key": "team", "Value": "web"}])
    sts = client(server, "sts", *key)
    for tags in ([{"Key": "team", "Value": "ops"}],
                 [{"Key": "team", "Value": "db"}, {"Key": "cost", "Value": "1"}]):
        assert error(sts.assume_role, RoleArn=role["Arn"], RoleSessionName="ss",
                     Tags=tags)[0] == "AccessDenied"


def test_key_calls_without_user_name_from_a_role_session(server, unique):
    # LocalStack snapshot tests/aws/services/iam/test_iam_users.snapshot.json::
    # test_access_key_errors, recorded against AWS: DeleteAccessKey without UserName from
    # credentials that are no user's is a ValidationError; GetAccessKeyLastUsed of an unknown
    # key is AccessDenied naming the caller.
    _, key = _assumer(server, unique)
    role = _role(server, unique("keys"), allow("iam:*"))
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role['RoleName']}/ss"
    _, creds = _session(server, key, role["Arn"])
    iam = client(server, "iam", *creds)
    assert error(iam.delete_access_key, AccessKeyId="AKIAIOSFODNN7EXAMPLE") == (
        "ValidationError", "Must specify userName when calling with non-User credentials", 400)
    assert error(iam.get_access_key_last_used, AccessKeyId="AKIAIOSFODNN7EXAMPLE") == (
        "AccessDenied", f"User: {session_arn} is not authorized to perform "
        "iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE", 403)


def test_renamed_user_keeps_signing_with_its_policies(server, unique):
    # UpdateUser: the keys and policies follow the new name (model doc of UpdateUser); renaming
    # needs iam:UpdateUser on the old and the new name ("permissions on both the source object
    # and the target object").
    old, new = unique("before"), unique("after")
    arn, key = new_user(server, old, allow("iam:GetUser"),
                        allow("iam:UpdateUser", f"arn:aws:iam::{ACCOUNT}:user/{old}"))
    iam = client(server, "iam", *key)
    assert error(iam.update_user, UserName=old, NewUserName=new) == (
        "AccessDenied",
        f"User: {arn} is not authorized to perform: iam:UpdateUser on resource: "
        f"arn:aws:iam::{ACCOUNT}:user/{new} because no identity-based policy allows the "
        "iam:UpdateUser action", 403)
    client(server, "iam").update_user(UserName=old, NewUserName=new)
    assert iam.get_user(UserName=new)["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{new}"
