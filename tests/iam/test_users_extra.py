"""IAM users beyond the basics: TagUser/UntagUser/ListUserTags, permission boundaries of users and
roles (Put/Delete*PermissionsBoundary, at CreateUser/CreateRole, shown by GetUser/GetRole, counted
by the policy), DeleteUser's conflicts, GetAccessKeyLastUsed of a key never used."""

from __future__ import annotations

from .helpers import ACCOUNT, TRUST_POLICY, aws_error, policy_doc


def test_user_tags(server, unique):
    iam = server.client("iam")
    name = unique("u")
    iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": "db"}])
    iam.tag_user(UserName=name, Tags=[{"Key": "a", "Value": "1"}, {"Key": "TEAM", "Value": "web"}])
    assert iam.list_user_tags(UserName=name)["Tags"] == [
        {"Key": "TEAM", "Value": "web"}, {"Key": "a", "Value": "1"}]
    assert iam.get_user(UserName=name)["User"]["Tags"] == iam.list_user_tags(UserName=name)["Tags"]
    assert "Tags" not in next(u for u in iam.list_users()["Users"] if u["UserName"] == name)
    page = iam.list_user_tags(UserName=name, MaxItems=1)
    assert len(page["Tags"]) == 1 and page["IsTruncated"] is True
    iam.untag_user(UserName=name, TagKeys=["team", "missing"])
    assert iam.list_user_tags(UserName=name)["Tags"] == [{"Key": "a", "Value": "1"}]
    err = aws_error(iam.tag_user, UserName=name,
                    Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert err == {"code": "LimitExceeded", "status": 409, "type": "Sender",
                   "message": "Cannot exceed quota for TagsPerUser: 50"}
    err = aws_error(iam.list_user_tags, UserName="NoUserT")
    assert (err["code"], err["message"]) == ("NoSuchEntity", "The user with name NoUserT cannot be found.")
    assert aws_error(iam.untag_user, UserName="NoUserT", TagKeys=["a"])["code"] == "NoSuchEntity"


def test_delete_user_conflicts_in_order(server, unique):
    iam = server.client("iam")
    name, group = unique("u"), unique("G")
    iam.create_user(UserName=name)
    iam.create_group(GroupName=group)
    key = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
    arn = iam.create_policy(PolicyName=unique("p"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    iam.attach_user_policy(UserName=name, PolicyArn=arn)
    iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=policy_doc())
    iam.add_user_to_group(GroupName=group, UserName=name)
    for message, clear in (
            ("Cannot delete entity, must delete access keys first.",
             lambda: iam.delete_access_key(UserName=name, AccessKeyId=key)),
            ("Cannot delete entity, must detach all policies first.",
             lambda: iam.detach_user_policy(UserName=name, PolicyArn=arn)),
            ("Cannot delete entity, must delete policies first.",
             lambda: iam.delete_user_policy(UserName=name, PolicyName="inline")),
            ("Cannot delete entity, must remove users from group first.",
             lambda: iam.remove_user_from_group(GroupName=group, UserName=name))):
        err = aws_error(iam.delete_user, UserName=name)
        assert (err["code"], err["message"], err["status"]) == ("DeleteConflict", message, 409)
        clear()
    iam.delete_user(UserName=name)
    assert aws_error(iam.get_user, UserName=name)["code"] == "NoSuchEntity"


def test_user_permissions_boundary(server, unique):
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("b"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    other = iam.create_policy(PolicyName=unique("b"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    name = unique("u")
    made = iam.create_user(UserName=name, PermissionsBoundary=arn)["User"]
    expected = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
    assert made["PermissionsBoundary"] == expected
    assert iam.get_user(UserName=name)["User"]["PermissionsBoundary"] == expected
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    used = iam.list_entities_for_policy(PolicyArn=arn, PolicyUsageFilter="PermissionsBoundary")
    assert [u["UserName"] for u in used["PolicyUsers"]] == [name]
    assert iam.list_entities_for_policy(PolicyArn=arn, PolicyUsageFilter="PermissionsPolicy")[
        "PolicyUsers"] == []
    err = aws_error(iam.delete_policy, PolicyArn=arn)
    assert (err["code"], err["message"]) == ("DeleteConflict", "Cannot delete a policy attached to entities.")
    iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=other)
    assert iam.get_user(UserName=name)["User"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == other
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 0
    assert iam.get_policy(PolicyArn=other)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=other)  # same again
    assert iam.get_policy(PolicyArn=other)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    iam.delete_user_permissions_boundary(UserName=name)
    assert "PermissionsBoundary" not in iam.get_user(UserName=name)["User"]
    assert iam.get_policy(PolicyArn=other)["Policy"]["PermissionsBoundaryUsageCount"] == 0
    iam.delete_policy(PolicyArn=arn)

    missing = f"arn:aws:iam::{ACCOUNT}:policy/NoBoundaryX"
    err = aws_error(iam.put_user_permissions_boundary, UserName=name, PermissionsBoundary=missing)
    assert err == {"code": "NoSuchEntity", "status": 404, "type": "Sender",
                   "message": f"Scope ARN: {missing} does not exist or is not attachable."}
    err = aws_error(iam.create_user, UserName=unique("u"), PermissionsBoundary=missing)
    assert err["message"] == f"Scope ARN: {missing} does not exist or is not attachable."
    err = aws_error(iam.put_user_permissions_boundary, UserName="NoUserB", PermissionsBoundary=other)
    assert err["message"] == "The user with name NoUserB cannot be found."
    # a user with a boundary can be deleted, which releases the policy
    iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=other)
    iam.delete_user(UserName=name)
    assert iam.get_policy(PolicyArn=other)["Policy"]["PermissionsBoundaryUsageCount"] == 0


def test_role_permissions_boundary(server, unique):
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("b"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    name = unique("R")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY, PermissionsBoundary=arn)
    expected = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
    assert iam.get_role(RoleName=name)["Role"]["PermissionsBoundary"] == expected
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    iam.delete_role_permissions_boundary(RoleName=name)
    assert "PermissionsBoundary" not in iam.get_role(RoleName=name)["Role"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 0
    iam.put_role_permissions_boundary(RoleName=name, PermissionsBoundary=arn)
    assert iam.get_role(RoleName=name)["Role"]["PermissionsBoundary"] == expected
    used = iam.list_entities_for_policy(PolicyArn=arn)
    assert [r["RoleName"] for r in used["PolicyRoles"]] == [name]
    err = aws_error(iam.put_role_permissions_boundary, RoleName="NoRoleB", PermissionsBoundary=arn)
    assert err["message"] == "The role with name NoRoleB cannot be found."
    bad = "not-a-policy-arn-at-all"
    err = aws_error(iam.put_role_permissions_boundary, RoleName=name, PermissionsBoundary=bad)
    assert (err["code"], err["message"]) == ("InvalidInput", f"ARN {bad} is not valid.")
    iam.delete_role(RoleName=name)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 0


def test_access_key_never_used(server, unique):
    iam = server.client("iam")
    name = unique("u")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
    got = iam.get_access_key_last_used(AccessKeyId=key)
    assert got["UserName"] == name
    assert got["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}
    missing = "AKIAAAAAAAAAAAAAAAAA"
    err = aws_error(iam.get_access_key_last_used, AccessKeyId=missing)
    # AccessDenied, recorded against AWS (LocalStack snapshot test_iam_users.snapshot.json::
    # test_access_key_errors); --auth none signs as the account's root.
    assert err == {"code": "AccessDenied", "status": 403, "type": "Sender",
                   "message": f"User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform "
                              f"iam:GetAccessKeyLastUsed on resource: access key {missing}"}
