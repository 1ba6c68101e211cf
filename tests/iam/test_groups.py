"""IAM groups over HTTP: CreateGroup, GetGroup (with Users), ListGroups, DeleteGroup,
AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser, and the group policy operations
(attached and inline), with AWS's errors (services/iam/groups.py, principals.py)."""

from __future__ import annotations

import re

from .helpers import ACCOUNT, aws_error, policy_doc


def _policy(iam, unique) -> str:
    return iam.create_policy(PolicyName=unique("gp"), PolicyDocument=policy_doc())["Policy"]["Arn"]


def test_create_get_list_delete_group(server, unique):
    iam = server.client("iam")
    name = unique("Devs")
    group = iam.create_group(GroupName=name, Path="/eng/")["Group"]
    assert group["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/eng/{name}"
    assert re.fullmatch(r"AGPA[A-Z0-9]{17}", group["GroupId"]) and group["Path"] == "/eng/"
    got = iam.get_group(GroupName=name.lower())
    assert got["Group"] == group and got["Users"] == [] and got["IsTruncated"] is False
    assert name in [g["GroupName"] for g in iam.list_groups(PathPrefix="/eng/")["Groups"]]
    assert name not in [g["GroupName"] for g in iam.list_groups(PathPrefix="/other/")["Groups"]]
    err = aws_error(iam.create_group, GroupName=name.upper())
    assert err == {"code": "EntityAlreadyExists", "status": 409, "type": "Sender",
                   "message": f"Group with name {name.upper()} already exists."}
    iam.delete_group(GroupName=name)
    err = aws_error(iam.get_group, GroupName=name)
    assert err == {"code": "NoSuchEntity", "status": 404, "type": "Sender",
                   "message": f"The group with name {name} cannot be found."}
    assert aws_error(iam.delete_group, GroupName=name)["code"] == "NoSuchEntity"


def test_list_groups_pages(server, unique):
    iam = server.client("iam")
    path = f"/{unique('p')}/"
    names = sorted(unique("G") for _ in range(3))
    for n in names:
        iam.create_group(GroupName=n, Path=path)
    first = iam.list_groups(PathPrefix=path, MaxItems=2)
    assert [g["GroupName"] for g in first["Groups"]] == names[:2] and first["IsTruncated"]
    rest = iam.list_groups(PathPrefix=path, Marker=first["Marker"])
    assert [g["GroupName"] for g in rest["Groups"]] == names[2:] and rest["IsTruncated"] is False


def test_membership(server, unique):
    iam = server.client("iam")
    group, other, user = unique("G"), unique("G"), unique("u")
    iam.create_group(GroupName=group)
    iam.create_group(GroupName=other)
    created = iam.create_user(UserName=user)["User"]
    iam.add_user_to_group(GroupName=group, UserName=user)
    iam.add_user_to_group(GroupName=group, UserName=user)  # again: no change
    iam.add_user_to_group(GroupName=other, UserName=user)
    members = iam.get_group(GroupName=group)["Users"]
    assert [(u["UserName"], u["UserId"], u["Arn"]) for u in members] == [
        (user, created["UserId"], created["Arn"])]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=user)["Groups"]] == \
        sorted([group, other], key=str.lower)
    page = iam.list_groups_for_user(UserName=user, MaxItems=1)
    assert len(page["Groups"]) == 1 and page["IsTruncated"] is True

    err = aws_error(iam.delete_group, GroupName=group)
    assert err == {"code": "DeleteConflict", "status": 409, "type": "Sender",
                   "message": "Cannot delete entity, must remove users from group first."}
    err = aws_error(iam.delete_user, UserName=user)
    assert (err["code"], err["message"]) == (
        "DeleteConflict", "Cannot delete entity, must remove users from group first.")

    iam.remove_user_from_group(GroupName=group, UserName=user)
    assert iam.get_group(GroupName=group)["Users"] == []
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=user)["Groups"]] == [other]
    iam.remove_user_from_group(GroupName=other, UserName=user)
    iam.delete_group(GroupName=group)
    iam.delete_user(UserName=user)


def test_membership_errors(server, unique):
    iam = server.client("iam")
    group, user = unique("G"), unique("u")
    iam.create_group(GroupName=group)
    iam.create_user(UserName=user)
    err = aws_error(iam.add_user_to_group, GroupName="NoGroupX", UserName=user)
    assert (err["code"], err["message"]) == ("NoSuchEntity", "The group with name NoGroupX cannot be found.")
    err = aws_error(iam.add_user_to_group, GroupName=group, UserName="NoUserX")
    assert (err["code"], err["message"]) == ("NoSuchEntity", "The user with name NoUserX cannot be found.")
    err = aws_error(iam.remove_user_from_group, GroupName="NoGroupX", UserName=user)
    assert err["code"] == "NoSuchEntity"
    err = aws_error(iam.list_groups_for_user, UserName="NoUserX")
    assert (err["code"], err["status"]) == ("NoSuchEntity", 404)


def test_groups_per_user_quota(server, unique):
    iam = server.client("iam")
    user = unique("u")
    iam.create_user(UserName=user)
    for _ in range(10):
        g = unique("G")
        iam.create_group(GroupName=g)
        iam.add_user_to_group(GroupName=g, UserName=user)
    extra = unique("G")
    iam.create_group(GroupName=extra)
    err = aws_error(iam.add_user_to_group, GroupName=extra, UserName=user)
    assert err == {"code": "LimitExceeded", "status": 409, "type": "Sender",
                   "message": "Cannot exceed quota for GroupsPerUser: 10"}


def test_group_managed_policies(server, unique):
    iam = server.client("iam")
    group = unique("G")
    iam.create_group(GroupName=group)
    arn = _policy(iam, unique)
    iam.attach_group_policy(GroupName=group, PolicyArn=arn)
    iam.attach_group_policy(GroupName=group, PolicyArn=arn)  # again: no change
    attached = iam.list_attached_group_policies(GroupName=group)
    assert attached["AttachedPolicies"] == [{"PolicyName": arn.split("/")[-1], "PolicyArn": arn}]
    assert attached["IsTruncated"] is False
    assert iam.list_attached_group_policies(GroupName=group, PathPrefix="/x/")["AttachedPolicies"] == []
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 1
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert [g["GroupName"] for g in entities["PolicyGroups"]] == [group]
    assert entities["PolicyUsers"] == [] and entities["PolicyRoles"] == []
    assert iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="User")["PolicyGroups"] == []
    err = aws_error(iam.delete_group, GroupName=group)
    assert (err["code"], err["message"]) == (
        "DeleteConflict", "Cannot delete entity, must detach all policies first.")
    err = aws_error(iam.delete_policy, PolicyArn=arn)
    assert (err["code"], err["message"]) == ("DeleteConflict", "Cannot delete a policy attached to entities.")
    iam.detach_group_policy(GroupName=group, PolicyArn=arn)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 0
    err = aws_error(iam.detach_group_policy, GroupName=group, PolicyArn=arn)
    assert (err["code"], err["message"]) == ("NoSuchEntity", f"Policy {arn} was not found.")
    missing = f"arn:aws:iam::{ACCOUNT}:policy/NoSuchPolicyG"
    err = aws_error(iam.attach_group_policy, GroupName=group, PolicyArn=missing)
    assert (err["code"], err["message"]) == (
        "NoSuchEntity", f"Policy {missing} does not exist or is not attachable.")
    err = aws_error(iam.attach_group_policy, GroupName="NoGroupX", PolicyArn=arn)
    assert (err["code"], err["message"]) == ("NoSuchEntity", "The group with name NoGroupX cannot be found.")
    iam.delete_group(GroupName=group)


def test_group_inline_policies(server, unique):
    iam = server.client("iam")
    group = unique("G")
    iam.create_group(GroupName=group)
    iam.put_group_policy(GroupName=group, PolicyName="b", PolicyDocument=policy_doc("s3:GetObject"))
    iam.put_group_policy(GroupName=group, PolicyName="a", PolicyDocument=policy_doc("s3:PutObject"))
    assert iam.list_group_policies(GroupName=group)["PolicyNames"] == ["a", "b"]
    got = iam.get_group_policy(GroupName=group, PolicyName="A")
    assert got["GroupName"] == group and got["PolicyName"] == "a"
    assert got["PolicyDocument"]["Statement"][0]["Action"] == "s3:PutObject"
    err = aws_error(iam.get_group_policy, GroupName=group, PolicyName="nope")
    assert err == {"code": "NoSuchEntity", "status": 404, "type": "Sender",
                   "message": "The group policy with name nope cannot be found."}
    err = aws_error(iam.put_group_policy, GroupName=group, PolicyName="bad", PolicyDocument="{")
    assert (err["code"], err["message"]) == ("MalformedPolicyDocument", "Syntax errors in policy.")
    big = policy_doc(resource="arn:aws:s3:::" + "x" * 5200)
    err = aws_error(iam.put_group_policy, GroupName=group, PolicyName="big", PolicyDocument=big)
    assert (err["code"], err["message"], err["status"]) == (
        "LimitExceeded", "Cannot exceed quota for GroupPolicySize: 5120", 409)
    err = aws_error(iam.delete_group, GroupName=group)
    assert (err["code"], err["message"]) == ("DeleteConflict", "Cannot delete entity, must delete policies first.")
    iam.delete_group_policy(GroupName=group, PolicyName="a")
    iam.delete_group_policy(GroupName=group, PolicyName="b")
    err = aws_error(iam.delete_group_policy, GroupName=group, PolicyName="b")
    assert err["message"] == "The group policy with name b cannot be found."
    iam.delete_group(GroupName=group)


def test_managed_policies_per_entity_quota(server, unique):
    iam = server.client("iam")
    group, user = unique("G"), unique("u")
    iam.create_group(GroupName=group)
    iam.create_user(UserName=user)
    arns = [_policy(iam, unique) for _ in range(11)]
    for arn in arns[:10]:
        iam.attach_group_policy(GroupName=group, PolicyArn=arn)
        iam.attach_user_policy(UserName=user, PolicyArn=arn)
    iam.attach_group_policy(GroupName=group, PolicyArn=arns[0])  # already attached: no change
    err = aws_error(iam.attach_group_policy, GroupName=group, PolicyArn=arns[10])
    assert err == {"code": "LimitExceeded", "status": 409, "type": "Sender",
                   "message": "Cannot exceed quota for PoliciesPerGroup: 10"}
    err = aws_error(iam.attach_user_policy, UserName=user, PolicyArn=arns[10])
    assert err["message"] == "Cannot exceed quota for PoliciesPerUser: 10"
    assert iam.get_policy(PolicyArn=arns[10])["Policy"]["AttachmentCount"] == 0
