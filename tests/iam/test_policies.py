"""Managed policies and their versions, attachments (spec §6.7, §6.8, §6.10–§6.12)."""

from __future__ import annotations

import re

from .helpers import ACCOUNT, TRUST_POLICY, aws_error, policy_doc


def _role(iam, unique) -> str:
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    return name


def test_create_policy_shape(server, unique):
    iam = server.client("iam")
    name = unique("Pol")
    policy = iam.create_policy(PolicyName=name, PolicyDocument=policy_doc(), Description="x")["Policy"]
    assert policy["Arn"] == f"arn:aws:iam::{ACCOUNT}:policy/{name}"
    assert re.fullmatch(r"ANPA[A-Z0-9]{17}", policy["PolicyId"])
    assert (policy["DefaultVersionId"], policy["AttachmentCount"], policy["PermissionsBoundaryUsageCount"],
            policy["IsAttachable"], policy["Path"]) == ("v1", 0, 0, True, "/")
    assert policy["CreateDate"] == policy["UpdateDate"]
    assert iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["Description"] == "x"


def test_policy_arn_includes_path(server, unique):
    iam = server.client("iam")
    name = unique("Pol")
    arn = iam.create_policy(PolicyName=name, Path="/team/", PolicyDocument=policy_doc())["Policy"]["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:policy/team/{name}"


def test_duplicate_policy_name(server, unique):
    iam = server.client("iam")
    name = unique("Pol")
    iam.create_policy(PolicyName=name, PolicyDocument=policy_doc())
    err = aws_error(iam.create_policy, PolicyName=name.upper(), PolicyDocument=policy_doc())
    assert err == {"code": "EntityAlreadyExists", "status": 409, "type": "Sender",
                   "message": f"A policy called {name.upper()} already exists. Duplicate names are not allowed."}


def test_get_unknown_policy_and_bad_arn(server):
    iam = server.client("iam")
    arn = f"arn:aws:iam::{ACCOUNT}:policy/NoSuchPolicyHere"
    assert aws_error(iam.get_policy, PolicyArn=arn) == {
        "code": "NoSuchEntity", "status": 404, "type": "Sender", "message": f"Policy {arn} was not found."}
    bad = f"arn:aws:iam::{ACCOUNT}:polcy/NoSuchPolicyHere"
    assert aws_error(iam.get_policy, PolicyArn=bad) == {
        "code": "InvalidInput", "status": 400, "type": "Sender", "message": f"ARN {bad} is not valid."}


def test_list_policies_scope_only_attached_and_paging(server, unique):
    iam = server.client("iam")
    path = f"/{unique('p')}/"
    names = sorted(unique("Pol") for _ in range(3))
    arns = [iam.create_policy(PolicyName=n, Path=path, PolicyDocument=policy_doc())["Policy"]["Arn"]
            for n in names]
    local = iam.list_policies(Scope="Local", PathPrefix=path)
    assert [p["PolicyName"] for p in local["Policies"]] == names and local["IsTruncated"] is False
    assert "Tags" not in local["Policies"][0]
    # No AWS-managed policy lives under a fresh path, whatever Dynoscale models.
    assert iam.list_policies(Scope="AWS", PathPrefix=path)["Policies"] == []
    page = iam.list_policies(Scope="All", PathPrefix=path, MaxItems=2)
    assert len(page["Policies"]) == 2 and page["IsTruncated"] is True
    rest = iam.list_policies(Scope="All", PathPrefix=path, MaxItems=2, Marker=page["Marker"])
    assert [p["PolicyName"] for p in rest["Policies"]] == names[2:] and rest["IsTruncated"] is False
    role = _role(iam, unique)
    iam.attach_role_policy(RoleName=role, PolicyArn=arns[1])
    attached = iam.list_policies(Scope="Local", PathPrefix=path, OnlyAttached=True)["Policies"]
    assert [(p["PolicyName"], p["AttachmentCount"]) for p in attached] == [(names[1], 1)]


def test_attach_detach_and_list(server, unique):
    iam = server.client("iam")
    role = _role(iam, unique)
    name = unique("Pol")
    arn = iam.create_policy(PolicyName=name, PolicyDocument=policy_doc())["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)  # a second attach changes nothing
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == [
        {"PolicyName": name, "PolicyArn": arn}]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 1
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == [role]
    assert entities["PolicyUsers"] == [] and entities["PolicyGroups"] == []
    iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 0


def test_attach_errors(server, unique):
    iam = server.client("iam")
    role = _role(iam, unique)
    missing = f"arn:aws:iam::{ACCOUNT}:policy/NoSuchPolicyHere"
    assert aws_error(iam.attach_role_policy, RoleName=role, PolicyArn=missing) == {
        "code": "NoSuchEntity", "status": 404, "type": "Sender",
        "message": f"Policy {missing} does not exist or is not attachable."}
    arn = iam.create_policy(PolicyName=unique("Pol"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    err = aws_error(iam.attach_role_policy, RoleName="NoSuchRoleY", PolicyArn=arn)
    assert err["message"] == "The role with name NoSuchRoleY cannot be found."
    err = aws_error(iam.detach_role_policy, RoleName=role, PolicyArn=arn)
    assert (err["code"], err["status"], err["message"]) == ("NoSuchEntity", 404, f"Policy {arn} was not found.")


def test_delete_attached_policy_conflicts(server, unique):
    iam = server.client("iam")
    role = _role(iam, unique)
    arn = iam.create_policy(PolicyName=unique("Pol"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    assert aws_error(iam.delete_policy, PolicyArn=arn) == {
        "code": "DeleteConflict", "status": 409, "type": "Sender",
        "message": "Cannot delete a policy attached to entities."}
    iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    iam.delete_policy(PolicyArn=arn)
    assert aws_error(iam.get_policy, PolicyArn=arn)["code"] == "NoSuchEntity"


def test_policy_versions_lifecycle(server, unique):
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("Pol"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    server.advance(60)
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy_doc("s3:PutObject"),
                                   SetAsDefault=True)["PolicyVersion"]
    assert (v2["VersionId"], v2["IsDefaultVersion"]) == ("v2", True) and "Document" not in v2
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    assert policy["DefaultVersionId"] == "v2"
    assert (policy["UpdateDate"] - policy["CreateDate"]).total_seconds() == 60
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy_doc("s3:ListBucket"))
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [
        ("v3", False), ("v2", True), ("v1", False)]
    got = iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]
    assert got["Document"]["Statement"][0]["Action"] == "s3:PutObject"
    # The default version cannot go; a non-default one can, and its id is never reused.
    assert aws_error(iam.delete_policy_version, PolicyArn=arn, VersionId="v2") == {
        "code": "DeleteConflict", "status": 409, "type": "Sender",
        "message": "Cannot delete the default version of a policy."}
    iam.delete_policy_version(PolicyArn=arn, VersionId="v3")
    assert iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy_doc())["PolicyVersion"]["VersionId"] == "v4"
    err = aws_error(iam.get_policy_version, PolicyArn=arn, VersionId="v3")
    assert (err["code"], err["status"], err["message"]) == (
        "NoSuchEntity", 404, f"Policy {arn} version v3 does not exist or is not attachable.")


def test_five_versions_at_most(server, unique):
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("Pol"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy_doc())
    assert aws_error(iam.create_policy_version, PolicyArn=arn, PolicyDocument=policy_doc()) == {
        "code": "LimitExceeded", "status": 409, "type": "Sender",
        "message": "A managed policy can have up to 5 versions. Before you create a new version, "
                   "you must delete an existing version."}


def test_delete_policy_with_extra_versions_conflicts(server, unique):
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("Pol"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy_doc())
    err = aws_error(iam.delete_policy, PolicyArn=arn)
    assert (err["code"], err["status"]) == ("DeleteConflict", 409)
    assert err["message"] == ("This policy has more than one version. Before you delete a policy, you must "
                              "delete the policy's versions. The default version is deleted with the policy.")
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    iam.delete_policy(PolicyArn=arn)
