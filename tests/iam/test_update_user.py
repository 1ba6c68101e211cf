"""UpdateUser (botocore model; LocalStack snapshot tests/aws/services/iam/
test_iam_users.snapshot.json::test_user_update, test_user_errors, recorded against AWS): rename
and move, everything the user holds follows the new name; NoSuchEntity, EntityAlreadyExists and
the model's validation."""

from __future__ import annotations

from .helpers import ACCOUNT, aws_error, policy_doc


def test_rename_and_move_keeps_what_the_user_holds(server, unique):
    iam = server.client("iam")
    old, new, path = unique("user"), unique("renamed"), "/moved/"
    user_id = iam.create_user(UserName=old, Tags=[{"Key": "team", "Value": "db"}])["User"]["UserId"]
    key_id = iam.create_access_key(UserName=old)["AccessKey"]["AccessKeyId"]
    group = unique("grp")
    iam.create_group(GroupName=group)
    iam.add_user_to_group(GroupName=group, UserName=old)
    arn = iam.create_policy(PolicyName=unique("pol"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    iam.attach_user_policy(UserName=old, PolicyArn=arn)
    iam.put_user_policy(UserName=old, PolicyName="inline", PolicyDocument=policy_doc())
    iam.put_user_permissions_boundary(UserName=old, PermissionsBoundary=arn)

    answer = iam.update_user(UserName=old, NewUserName=new, NewPath=path)
    assert set(answer) == {"ResponseMetadata"}

    user = iam.get_user(UserName=new)["User"]
    assert (user["UserName"], user["Path"], user["UserId"], user["Arn"]) == (
        new, path, user_id, f"arn:aws:iam::{ACCOUNT}:user{path}{new}")
    assert user["Tags"] == [{"Key": "team", "Value": "db"}]
    assert user["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn
    err = aws_error(iam.get_user, UserName=old)
    assert (err["code"], err["status"], err["message"]) == (
        "NoSuchEntity", 404, f"The user with name {old} cannot be found.")
    keys = iam.list_access_keys(UserName=new)["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["UserName"]) for k in keys] == [(key_id, new)]
    assert [u["UserName"] for u in iam.get_group(GroupName=group)["Users"]] == [new]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=new)["Groups"]] == [group]
    assert iam.list_attached_user_policies(UserName=new)["AttachedPolicies"][0]["PolicyArn"] == arn
    assert iam.list_user_policies(UserName=new)["PolicyNames"] == ["inline"]
    assert iam.list_user_tags(UserName=new)["Tags"] == [{"Key": "team", "Value": "db"}]
    assert [u["UserName"] for u in iam.list_entities_for_policy(PolicyArn=arn)["PolicyUsers"]] \
        == [new]
    assert aws_error(iam.list_access_keys, UserName=old)["code"] == "NoSuchEntity"


def test_path_only_and_case_only(server, unique):
    iam = server.client("iam")
    name = unique("user")
    iam.create_user(UserName=name)
    iam.update_user(UserName=name, NewPath="/p/")
    assert iam.get_user(UserName=name)["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/p/{name}"
    iam.update_user(UserName=name, NewUserName=name.upper())
    assert iam.get_user(UserName=name)["User"]["UserName"] == name.upper()
    iam.update_user(UserName=name.upper())  # nothing to change
    assert iam.get_user(UserName=name)["User"]["Path"] == "/p/"


def test_errors(server, unique):
    iam = server.client("iam")
    name, other = unique("user"), unique("other")
    iam.create_user(UserName=name)
    iam.create_user(UserName=other)
    assert aws_error(iam.update_user, UserName="nonexistent-user", NewUserName="new-name") == {
        "code": "NoSuchEntity", "status": 404, "type": "Sender",
        "message": "The user with name nonexistent-user cannot be found."}
    assert aws_error(iam.update_user, UserName=name, NewUserName=other.upper()) == {
        "code": "EntityAlreadyExists", "status": 409, "type": "Sender",
        "message": f"User with name {other.upper()} already exists."}
    # the model's userNameType and pathType, in AWS's validation text (as roleName's,
    # test_snapshot_conformance.py)
    err = aws_error(iam.update_user, UserName=name, NewUserName="bad name")
    assert (err["code"], err["status"], err["message"]) == (
        "ValidationError", 400, "1 validation error detected: Value 'bad name' at 'newUserName' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[\\w+=,.@-]+")
    err = aws_error(iam.update_user, UserName=name, NewPath="no-slashes")
    assert (err["code"], err["status"]) == ("ValidationError", 400)
    assert "at 'newPath' failed to satisfy constraint" in err["message"]
    err = aws_error(iam.update_user, UserName=name, NewUserName="x" * 65)
    assert (err["code"], err["status"]) == ("ValidationError", 400)
    assert "Member must have length less than or equal to 64" in err["message"]
    assert iam.get_user(UserName=name)["User"]["Path"] == "/"
