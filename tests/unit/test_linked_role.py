"""The service-linked role's fixed permissions (services/autoscaling/linked_role.py): exactly
the actions of AWSApplicationAutoscalingDynamoDBTablePolicy v1 (AWS Managed Policy Reference),
and IAM's implicit-deny refusal for anything else. The end-to-end behaviour (every scaling step
runs within them) is covered over HTTP by tests/autoscaling and tests/auth."""

import pytest

from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.autoscaling import linked_role

ROLE = ("arn:aws:iam::123456789012:role/aws-service-role/"
        "dynamodb.application-autoscaling.amazonaws.com/"
        "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")
CALLER = Caller("123456789012", "us-east-1", principal_arn=ROLE)


def test_the_policy_is_aws_s_document():
    assert linked_role.ACTIONS == {"dynamodb:DescribeTable", "dynamodb:UpdateTable",
                                   "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms",
                                   "cloudwatch:DeleteAlarms"}


@pytest.mark.parametrize("action", sorted(linked_role.ACTIONS))
def test_allowed_actions_pass(action):
    linked_role.check(CALLER, action, "*")


@pytest.mark.parametrize("action", ["dynamodb:DeleteTable", "dynamodb:PutItem",
                                    "cloudwatch:SetAlarmState", "cloudwatch:PutMetricData"])
def test_other_actions_are_refused(action):
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/T"
    with pytest.raises(AwsError) as e:
        linked_role.check(CALLER, action, arn)
    assert (e.value.code, e.value.status) == ("AccessDeniedException", 400)
    assert e.value.message == (f"User: {ROLE} is not authorized to perform: {action} on "
                               f"resource: {arn} because no identity-based policy allows the "
                               f"{action} action")
