"""AWS-managed policies (`arn:aws:iam::aws:policy/...`) as GetPolicy, GetPolicyVersion and
ListPolicies --scope AWS show them (AWS Managed Policy Reference guide,
docs.aws.amazon.com/aws-managed-policy/latest/reference/<Name>.html), attached and counted per
account."""

from __future__ import annotations

import json

from .helpers import TRUST_POLICY, aws_error

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
DDB_READ = "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"
SLR_POLICY = "arn:aws:iam::aws:policy/aws-service-role/AWSApplicationAutoscalingDynamoDBTablePolicy"


def test_get_policy_of_administrator_access(server):
    # AdministratorAccess reference page; GetPolicy and GetPolicyVersion output as the aws CLI
    # prints it on AWS (quoted in public tutorials: Description, Tags [], the version's date)
    policy = server.client("iam").get_policy(PolicyArn=ADMIN)["Policy"]
    assert {k: policy[k] for k in ("PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId",
                                   "IsAttachable", "Description")} == {
        "PolicyName": "AdministratorAccess", "PolicyId": "ANPAIWMBCKSKIEE64ZLYK", "Arn": ADMIN,
        "Path": "/", "DefaultVersionId": "v1", "IsAttachable": True,
        "Description": "Provides full access to AWS services and resources."}
    assert policy["CreateDate"].isoformat() == "2015-02-06T18:39:46+00:00"
    assert policy["UpdateDate"] == policy["CreateDate"]
    assert policy["Tags"] == []
    version = server.client("iam").get_policy_version(PolicyArn=ADMIN, VersionId="v1")
    assert version["PolicyVersion"]["Document"] == {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    assert version["PolicyVersion"]["CreateDate"] == policy["CreateDate"]


def test_get_policy_version_shows_the_document(server):
    iam = server.client("iam")
    assert iam.get_policy(PolicyArn=DDB_READ)["Policy"]["DefaultVersionId"] == "v15"
    version = iam.get_policy_version(PolicyArn=DDB_READ, VersionId="v15")["PolicyVersion"]
    assert version["IsDefaultVersion"] is True
    doc = version["Document"]  # boto3 decodes the URL-encoded JSON
    assert doc["Statement"][0]["Sid"] == "GeneralReadOnlyAccess"
    assert "dynamodb:GetItem" in doc["Statement"][0]["Action"]
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=DDB_READ)["Versions"]] == \
        ["v15"]
    err = aws_error(iam.get_policy_version, PolicyArn=DDB_READ, VersionId="v1")
    assert (err["code"], err["message"]) == (
        "NoSuchEntity", f"Policy {DDB_READ} version v1 does not exist or is not attachable.")


def test_list_policies_scope_aws(server):
    iam = server.client("iam")
    names = [p["PolicyName"] for p in iam.list_policies(Scope="AWS")["Policies"]]
    for name in ("AdministratorAccess", "AmazonDynamoDBFullAccess", "AmazonDynamoDBReadOnlyAccess",
                 "CloudWatchFullAccess", "CloudWatchReadOnlyAccess", "IAMFullAccess",
                 "IAMReadOnlyAccess", "PowerUserAccess", "ReadOnlyAccess",
                 "AWSApplicationAutoscalingDynamoDBTablePolicy"):
        assert name in names
    assert names == sorted(names, key=str.lower)
    assert all(p["Arn"].startswith("arn:aws:iam::aws:policy/")
               for p in iam.list_policies(Scope="AWS")["Policies"])
    assert not any(p["Arn"].startswith("arn:aws:iam::aws:")
                   for p in iam.list_policies(Scope="Local")["Policies"])
    linked = iam.list_policies(Scope="AWS", PathPrefix="/aws-service-role/")["Policies"]
    assert [p["Arn"] for p in linked] == [SLR_POLICY]


def test_attachment_is_counted_per_account(server, unique):
    iam = server.client("iam")
    role = unique("Role")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_POLICY)
    before = iam.get_policy(PolicyArn=DDB_READ)["Policy"]["AttachmentCount"]
    iam.attach_role_policy(RoleName=role, PolicyArn=DDB_READ)
    assert iam.get_policy(PolicyArn=DDB_READ)["Policy"]["AttachmentCount"] == before + 1
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == [
        {"PolicyName": "AmazonDynamoDBReadOnlyAccess", "PolicyArn": DDB_READ}]
    assert role in [r["RoleName"] for r in
                    iam.list_entities_for_policy(PolicyArn=DDB_READ)["PolicyRoles"]]
    attached = [p["Arn"] for p in iam.list_policies(Scope="AWS", OnlyAttached=True)["Policies"]]
    assert DDB_READ in attached
    iam.detach_role_policy(RoleName=role, PolicyArn=DDB_READ)
    assert iam.get_policy(PolicyArn=DDB_READ)["Policy"]["AttachmentCount"] == before


def test_unknown_aws_policy_and_service_role_policy(server, unique):
    iam = server.client("iam")
    user = unique("user")
    iam.create_user(UserName=user)
    missing = "arn:aws:iam::aws:policy/NoSuchManagedPolicy"
    err = aws_error(iam.attach_user_policy, UserName=user, PolicyArn=missing)
    assert (err["code"], err["message"]) == (
        "NoSuchEntity", f"Policy {missing} does not exist or is not attachable.")
    err = aws_error(iam.attach_user_policy, UserName=user, PolicyArn=SLR_POLICY)
    assert (err["code"], err["status"], err["message"]) == (
        "PolicyNotAttachable", 400, "Cannot attach a Service Role Policy to a Customer Role.")
    assert aws_error(iam.get_policy, PolicyArn=missing)["code"] == "NoSuchEntity"


def test_aws_policies_cannot_be_changed(server):
    iam = server.client("iam")
    doc = json.dumps({"Version": "2012-10-17",
                      "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    assert aws_error(iam.create_policy_version, PolicyArn=DDB_READ, PolicyDocument=doc)["code"] \
        == "NoSuchEntity"
    assert aws_error(iam.delete_policy, PolicyArn=ADMIN)["code"] == "NoSuchEntity"
    assert aws_error(iam.tag_policy, PolicyArn=ADMIN, Tags=[{"Key": "k", "Value": "v"}])[
        "code"] == "NoSuchEntity"
    assert iam.list_policy_tags(PolicyArn=ADMIN)["Tags"] == []
    assert iam.get_policy(PolicyArn=ADMIN)["Policy"]["DefaultVersionId"] == "v1"


def test_aws_policy_as_permissions_boundary(server, unique):
    iam = server.client("iam")
    user = unique("user")
    before = iam.get_policy(PolicyArn=DDB_READ)["Policy"]["PermissionsBoundaryUsageCount"]
    iam.create_user(UserName=user, PermissionsBoundary=DDB_READ)
    assert iam.get_user(UserName=user)["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": DDB_READ}
    assert iam.get_policy(PolicyArn=DDB_READ)["Policy"]["PermissionsBoundaryUsageCount"] == \
        before + 1
    iam.delete_user_permissions_boundary(UserName=user)
    assert iam.get_policy(PolicyArn=DDB_READ)["Policy"]["PermissionsBoundaryUsageCount"] == before
