"""Policy documents: URL-encoded on the wire (spec §6.5, §7.11) and AWS's MalformedPolicyDocument
texts (documents.py cites the sources)."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from .helpers import TRUST_POLICY, aws_error, raw_body


def _xml_value(body: str, tag: str) -> str:
    return re.search(f"<{tag}>(.*?)</{tag}>", body, re.S).group(1)


def test_trust_policy_is_percent_encoded_with_whitespace_kept(server, unique):
    # AWS: `%7B%0A%20%20%22Version%22%3A%20...`; only A-Za-z0-9-._~ stay as they are.
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    body = raw_body(iam, "GetRole", RoleName=name)
    encoded = _xml_value(body, "AssumeRolePolicyDocument")
    assert encoded == quote(TRUST_POLICY, safe="")
    assert encoded.startswith("%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A")
    assert "application-autoscaling.amazonaws.com" in encoded  # '-' and '.' unescaped


def test_policy_version_document_is_percent_encoded(server, unique):
    iam = server.client("iam")
    doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}'
    arn = iam.create_policy(PolicyName=unique("Pol"), PolicyDocument=doc)["Policy"]["Arn"]
    body = raw_body(iam, "GetPolicyVersion", PolicyArn=arn, VersionId="v1")
    assert _xml_value(body, "Document") == quote(doc, safe="")
    assert "s3%3A%2A" in body and "b%2F%2A" in body
    # botocore decodes it back to the same JSON.
    assert iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]["Document"] == json.loads(doc)


def test_inline_policy_document_is_percent_encoded(server, unique):
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    doc = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}}'
    iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=doc)
    body = raw_body(iam, "GetRolePolicy", RoleName=name, PolicyName="p")
    assert _xml_value(body, "PolicyDocument") == quote(doc, safe="")


def test_create_role_with_invalid_json(server, unique):
    # Real CLI output: "This policy contains invalid Json" (AWSCookbook/Security#2).
    err = aws_error(server.client("iam").create_role, RoleName=unique("Role"),
                    AssumeRolePolicyDocument="trust-relationship.json")
    assert err == {"code": "MalformedPolicyDocument", "message": "This policy contains invalid Json",
                   "status": 400, "type": "Sender"}


def test_trust_policy_with_resource_is_rejected(server, unique):
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                   "Principal": {"Service": "ec2.amazonaws.com"},
                                                   "Resource": "*"}]}
    err = aws_error(server.client("iam").create_role, RoleName=unique("Role"),
                    AssumeRolePolicyDocument=json.dumps(doc))
    assert (err["code"], err["message"]) == ("MalformedPolicyDocument", "Has prohibited field Resource")


def test_trust_policy_with_non_sts_action_is_rejected(server, unique):
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                   "Principal": {"Service": "ec2.amazonaws.com"}}]}
    err = aws_error(server.client("iam").create_role, RoleName=unique("Role"),
                    AssumeRolePolicyDocument=json.dumps(doc))
    assert err["message"] == "AssumeRole policy may only specify STS AssumeRole actions."


def test_create_policy_with_invalid_json(server, unique):
    # Real CLI output: "Syntax errors in policy." (awslabs/ec2-spot-labs#25).
    err = aws_error(server.client("iam").create_policy, PolicyName=unique("Pol"),
                    PolicyDocument="service-role-policy.json")
    assert err == {"code": "MalformedPolicyDocument", "message": "Syntax errors in policy.",
                   "status": 400, "type": "Sender"}


def _statement_error(server, unique, statement: dict, version: str | None = "2012-10-17") -> str:
    doc = {"Statement": [statement]}
    if version:
        doc["Version"] = version
    return aws_error(server.client("iam").create_policy, PolicyName=unique("Pol"),
                     PolicyDocument=json.dumps(doc))["message"]


def test_policy_grammar_messages(server, unique):
    # Texts as recorded against AWS in moto's policy-validation tests.
    ok = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}
    assert _statement_error(server, unique, ok, version=None) == \
        "Policy document must be version 2012-10-17 or greater."
    assert _statement_error(server, unique, {**ok, "Effect": "allow"}) == "The policy failed legacy parsing"
    assert _statement_error(server, unique, {"Effect": "Allow", "Resource": "*"}) == \
        "Policy statement must contain actions."
    assert _statement_error(server, unique, {"Effect": "Allow", "Action": "s3:ListBucket"}) == \
        "Policy statement must contain resources."
    assert _statement_error(server, unique, {**ok, "Action": "ListBucket"}) == \
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
    assert _statement_error(server, unique, {**ok, "Resource": "bucket"}) == \
        'Resource bucket must be in ARN format or "*".'
    assert _statement_error(server, unique, {**ok, "Bogus": 1}) == "Syntax errors in policy."
    assert _statement_error(server, unique, {**ok, "Principal": "*"}) == \
        "Policy document should not specify a principal."


def test_put_role_policy_validates_document(server, unique):
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY)
    err = aws_error(iam.put_role_policy, RoleName=name, PolicyName="p", PolicyDocument="{")
    assert (err["code"], err["message"], err["status"]) == ("MalformedPolicyDocument", "Syntax errors in policy.", 400)


def test_managed_policy_size_quota(server, unique):
    # "Cannot exceed quota for PolicySize: 6144"; whitespace is not counted (IAM quotas page).
    actions = [f"s3:GetObject{i:05d}" for i in range(400)]
    doc = json.dumps({"Version": "2012-10-17",
                      "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})
    err = aws_error(server.client("iam").create_policy, PolicyName=unique("Pol"), PolicyDocument=doc)
    assert (err["code"], err["message"], err["status"]) == (
        "LimitExceeded", "Cannot exceed quota for PolicySize: 6144", 409)
