"""Service-linked roles created through IamApi by Application Auto Scaling (spec §6.13, §7.9):
path /aws-service-role/<service>/, trust policy for that service principal, visible to
GetRole/ListRoles, and protected: DeleteRole is UnmodifiableEntity (observed AWS text
"Cannot perform the operation on the protected role 'X' - this role is only modifiable by AWS",
rebuy-de/aws-nuke#441)."""

from __future__ import annotations

import importlib.util

import pytest

from .helpers import ACCOUNT, aws_error

SLR_NAME = "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"
SLR_SERVICE = "dynamodb.application-autoscaling.amazonaws.com"

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(f"dynoscale.services.{s}.service") is None
        for s in ("autoscaling", "dynamodb", "cloudwatch")),
    reason="needs the DynamoDB, CloudWatch and Application Auto Scaling services")


def test_service_linked_role_from_register_scalable_target(make_server, unique):
    srv = make_server("--clock", "manual", durable=False)
    table = unique("T")
    srv.client("dynamodb").create_table(
        TableName=table, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    srv.client("application-autoscaling").register_scalable_target(
        ServiceNamespace="dynamodb", ResourceId=f"table/{table}",
        ScalableDimension="dynamodb:table:WriteCapacityUnits", MinCapacity=5, MaxCapacity=10)
    iam = srv.client("iam")
    role = iam.get_role(RoleName=SLR_NAME)["Role"]
    assert role["Path"] == f"/aws-service-role/{SLR_SERVICE}/"
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/{SLR_SERVICE}/{SLR_NAME}"
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": SLR_SERVICE}
    listed = iam.list_roles(PathPrefix="/aws-service-role/")["Roles"]
    assert [r["RoleName"] for r in listed] == [SLR_NAME]
    # the role carries its AWS-managed policy, counted as an attachment (aws_policies.py)
    policy_arn = ("arn:aws:iam::aws:policy/aws-service-role/"
                  "AWSApplicationAutoscalingDynamoDBTablePolicy")
    assert iam.list_attached_role_policies(RoleName=SLR_NAME)["AttachedPolicies"] == [
        {"PolicyName": "AWSApplicationAutoscalingDynamoDBTablePolicy", "PolicyArn": policy_arn}]
    assert iam.get_policy(PolicyArn=policy_arn)["Policy"]["AttachmentCount"] == 1
    assert aws_error(iam.delete_role, RoleName=SLR_NAME) == {
        "code": "UnmodifiableEntity", "status": 400, "type": "Sender",
        "message": f"Cannot perform the operation on the protected role '{SLR_NAME}' - "
                   "this role is only modifiable by AWS"}
