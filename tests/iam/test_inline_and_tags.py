"""Inline role policies and role tags."""

from __future__ import annotations

from .helpers import TRUST_POLICY, aws_error, policy_doc


def _role(iam, unique) -> str:
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    return name


def test_inline_policy_round_trip(server, unique):
    iam = server.client("iam")
    role = _role(iam, unique)
    iam.put_role_policy(RoleName=role, PolicyName="b-policy", PolicyDocument=policy_doc("s3:GetObject"))
    iam.put_role_policy(RoleName=role, PolicyName="a-policy", PolicyDocument=policy_doc("s3:PutObject"))
    assert iam.list_role_policies(RoleName=role)["PolicyNames"] == ["a-policy", "b-policy"]
    got = iam.get_role_policy(RoleName=role, PolicyName="a-policy")
    assert got["RoleName"] == role and got["PolicyName"] == "a-policy"
    assert got["PolicyDocument"]["Statement"][0]["Action"] == "s3:PutObject"
    # Putting the same name again replaces the document.
    iam.put_role_policy(RoleName=role, PolicyName="a-policy", PolicyDocument=policy_doc("s3:ListBucket"))
    got = iam.get_role_policy(RoleName=role, PolicyName="a-policy")
    assert got["PolicyDocument"]["Statement"][0]["Action"] == "s3:ListBucket"
    iam.delete_role_policy(RoleName=role, PolicyName="a-policy")
    assert iam.list_role_policies(RoleName=role)["PolicyNames"] == ["b-policy"]


def test_inline_policy_errors(server, unique):
    iam = server.client("iam")
    role = _role(iam, unique)
    err = aws_error(iam.get_role_policy, RoleName=role, PolicyName="nope")
    assert err == {"code": "NoSuchEntity", "status": 404, "type": "Sender",
                   "message": "The role policy with name nope cannot be found."}
    err = aws_error(iam.delete_role_policy, RoleName=role, PolicyName="nope")
    assert err["message"] == "The role policy with name nope cannot be found."
    err = aws_error(iam.put_role_policy, RoleName="NoSuchRoleZ", PolicyName="p", PolicyDocument=policy_doc())
    assert (err["code"], err["message"]) == ("NoSuchEntity", "The role with name NoSuchRoleZ cannot be found.")


def test_tags(server, unique):
    iam = server.client("iam")
    role = _role(iam, unique)
    iam.tag_role(RoleName=role, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.tag_role(RoleName=role, Tags=[{"Key": "a", "Value": "9"}])
    assert iam.list_role_tags(RoleName=role)["Tags"] == [{"Key": "a", "Value": "9"}, {"Key": "b", "Value": "2"}]
    assert iam.get_role(RoleName=role)["Role"]["Tags"] == [{"Key": "a", "Value": "9"}, {"Key": "b", "Value": "2"}]
    iam.untag_role(RoleName=role, TagKeys=["a", "missing"])
    page = iam.list_role_tags(RoleName=role)
    assert page["Tags"] == [{"Key": "b", "Value": "2"}] and page["IsTruncated"] is False
    err = aws_error(iam.list_role_tags, RoleName="NoSuchRoleT")
    assert (err["code"], err["status"]) == ("NoSuchEntity", 404)
