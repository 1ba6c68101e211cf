"""Roles: CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy (spec §6.3, §6.4,
§6.6, §6.9, §6.13)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from .helpers import ACCOUNT, TRUST_POLICY, aws_error, policy_doc


def test_create_role_returns_aws_shape(server, unique):
    # ARN role/<name> with the default path, AROA + 17 id, document decoded by botocore (spec §6.3, §6.6).
    iam = server.client("iam")
    name = unique("Role")
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)["Role"]
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/{name}"
    assert role["Path"] == "/" and role["RoleName"] == name
    assert re.fullmatch(r"AROA[A-Z0-9]{17}", role["RoleId"])
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST_POLICY)
    # CreateRole's answer carries no MaxSessionDuration/RoleLastUsed (AWS CLI reference example).
    assert "MaxSessionDuration" not in role and "RoleLastUsed" not in role


def test_role_arn_includes_path(server, unique):
    iam = server.client("iam")
    name = unique("Role")
    role = iam.create_role(RoleName=name, Path="/service-role/team/",
                           AssumeRolePolicyDocument=TRUST_POLICY)["Role"]
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/service-role/team/{name}"


def test_create_date_comes_from_the_simulated_clock(server, unique):
    iam = server.client("iam")
    first = iam.create_role(RoleName=unique("Role"), AssumeRolePolicyDocument=TRUST_POLICY)["Role"]
    assert first["CreateDate"] == datetime.fromtimestamp(int(server.now()), timezone.utc)
    server.advance(3600)
    second = iam.create_role(RoleName=unique("Role"), AssumeRolePolicyDocument=TRUST_POLICY)["Role"]
    assert (second["CreateDate"] - first["CreateDate"]).total_seconds() == 3600


def test_get_role_full_shape(server, unique):
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY, Description="d",
                    MaxSessionDuration=7200, Tags=[{"Key": "team", "Value": "db"}])
    role = iam.get_role(RoleName=name)["Role"]
    assert role["Description"] == "d" and role["MaxSessionDuration"] == 7200
    assert role["Tags"] == [{"Key": "team", "Value": "db"}]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Action"] == "sts:AssumeRole"


def test_get_unknown_role_is_no_such_entity(server):
    # AWS text "The role with name X cannot be found." (moto differs; spec §6.9).
    err = aws_error(server.client("iam").get_role, RoleName="NoSuchRoleHere")
    assert err == {"code": "NoSuchEntity", "message": "The role with name NoSuchRoleHere cannot be found.",
                   "status": 404, "type": "Sender"}


def test_duplicate_role_name_is_case_insensitive(server, unique):
    # Names are not distinguished by case (spec §6.4).
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    err = aws_error(iam.create_role, RoleName=name.upper(), AssumeRolePolicyDocument=TRUST_POLICY)
    assert err["code"] == "EntityAlreadyExists" and err["status"] == 409
    assert err["message"] == f"Role with name {name.upper()} already exists."
    assert iam.get_role(RoleName=name.lower())["Role"]["RoleName"] == name


def test_list_roles_path_prefix_and_paging(server, unique):
    iam = server.client("iam")
    path = f"/{unique('p')}/"
    names = sorted(unique("Role") for _ in range(3))
    for n in names:
        iam.create_role(RoleName=n, Path=path, AssumeRolePolicyDocument=TRUST_POLICY)
    page1 = iam.list_roles(PathPrefix=path, MaxItems=2)
    assert [r["RoleName"] for r in page1["Roles"]] == names[:2]
    assert page1["IsTruncated"] is True and page1["Marker"]
    page2 = iam.list_roles(PathPrefix=path, MaxItems=2, Marker=page1["Marker"])
    assert [r["RoleName"] for r in page2["Roles"]] == names[2:]
    assert page2["IsTruncated"] is False and "Marker" not in page2
    # ListRoles omits Tags and RoleLastUsed (model doc of ListRoles).
    assert "RoleLastUsed" not in page1["Roles"][0]


def test_list_roles_paginator_walks_everything(server, unique):
    iam = server.client("iam")
    path = f"/{unique('p')}/"
    for _ in range(5):
        iam.create_role(RoleName=unique("Role"), Path=path, AssumeRolePolicyDocument=TRUST_POLICY)
    pages = iam.get_paginator("list_roles").paginate(PathPrefix=path, PaginationConfig={"PageSize": 2})
    assert sum(len(p["Roles"]) for p in pages) == 5


def test_delete_role_then_gone(server, unique):
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    iam.delete_role(RoleName=name)
    assert aws_error(iam.get_role, RoleName=name)["code"] == "NoSuchEntity"
    err = aws_error(iam.delete_role, RoleName=name)
    assert (err["code"], err["status"]) == ("NoSuchEntity", 404)


def test_delete_role_with_attached_policy_conflicts(server, unique):
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    arn = iam.create_policy(PolicyName=unique("Pol"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    err = aws_error(iam.delete_role, RoleName=name)
    assert err == {"code": "DeleteConflict", "status": 409, "type": "Sender",
                   "message": "Cannot delete entity, must detach all policies first."}


def test_delete_role_with_inline_policy_conflicts(server, unique):
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=policy_doc())
    err = aws_error(iam.delete_role, RoleName=name)
    assert (err["code"], err["status"], err["message"]) == (
        "DeleteConflict", 409, "Cannot delete entity, must delete policies first.")
    iam.delete_role_policy(RoleName=name, PolicyName="inline")
    iam.delete_role(RoleName=name)


def test_update_assume_role_policy(server, unique):
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    new = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(new))
    assert iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"] == new
    err = aws_error(iam.update_assume_role_policy, RoleName="NoSuchRoleX", PolicyDocument=json.dumps(new))
    assert err["message"] == "The role with name NoSuchRoleX cannot be found."


def test_roles_survive_restart(make_server, unique):
    srv = make_server("--clock", "manual")
    name = unique("Role")
    created = srv.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)["Role"]
    srv.restart()
    assert srv.client("iam").get_role(RoleName=name)["Role"]["RoleId"] == created["RoleId"]
