"""Behaviours recorded against AWS in LocalStack's IAM snapshot tests
(tests/aws/services/iam/test_iam_roles.snapshot.json and siblings), reproduced over HTTP."""

from __future__ import annotations

from .helpers import ACCOUNT, TRUST_POLICY, aws_error, policy_doc


def test_attach_and_detach_with_a_malformed_policy_arn_is_validation_error(server, unique):
    # test_iam_roles.snapshot.json::test_role_managed_policy_errors
    iam = server.client("iam")
    role = unique("Role")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_POLICY)
    user = unique("User")
    iam.create_user(UserName=user)
    bad = "longpolicynamebutnoarn"
    for call, kw in ((iam.attach_role_policy, {"RoleName": role}),
                     (iam.detach_role_policy, {"RoleName": role}),
                     (iam.attach_user_policy, {"UserName": user})):
        assert aws_error(call, PolicyArn=bad, **kw) == {
            "code": "ValidationError", "status": 400, "type": "Sender",
            "message": f"ARN {bad} is not valid."}
    # A well-formed ARN of no policy is still NoSuchEntity.
    missing = f"arn:aws:iam::{ACCOUNT}:policy/nonexistent-policy"
    assert aws_error(iam.attach_role_policy, RoleName=role, PolicyArn=missing)["message"] == (
        f"Policy {missing} does not exist or is not attachable.")
    arn = iam.create_policy(PolicyName=unique("P"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    assert aws_error(iam.detach_role_policy, RoleName=role, PolicyArn=arn) == {
        "code": "NoSuchEntity", "status": 404, "type": "Sender", "message": f"Policy {arn} was not found."}
