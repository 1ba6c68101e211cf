"""What Application Auto Scaling may do as its DynamoDB service-linked role.

AWSServiceRoleForApplicationAutoScaling_DynamoDBTable carries one AWS-managed policy, which no
one can edit or detach (AWS Managed Policy Reference, AWSApplicationAutoscalingDynamoDBTablePolicy,
version v1):

    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
        "dynamodb:DescribeTable", "dynamodb:UpdateTable", "cloudwatch:PutMetricAlarm",
        "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"], "Resource": "*"}]}

Every call Application Auto Scaling makes on DynamoDB and CloudWatch goes through the ports
below, which check the call's action against that policy before making it, so a call outside it
is refused as IAM would refuse it, and a scaling activity records the refusal as its failure.
Being fixed, the policy is data here too; IAM shows the same document in its catalogue of
AWS-managed policies (iam/aws_policies.py), which this package may not import. What is not an API call of the role passes unchecked: the capacity listener
and datapoint queries are Dynoscale's in-process plumbing standing for CloudWatch's own alarm
evaluation (idle.py), and the dashboard's per-second view.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.cloudwatch.api import CloudWatchApi
from dynoscale.services.dynamodb.api import DynamoDBApi

POLICY_ARN = ("arn:aws:iam::aws:policy/aws-service-role/"
              "AWSApplicationAutoscalingDynamoDBTablePolicy")
ACTIONS = frozenset({"dynamodb:DescribeTable", "dynamodb:UpdateTable",
                     "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms",
                     "cloudwatch:DeleteAlarms"})


def check(caller: Caller, action: str, resource: str,
          allowed: frozenset = ACTIONS) -> None:
    """Raise AccessDeniedException unless the role's policy allows `action` (on any resource:
    the policy's Resource is "*"). The text is IAM's implicit-deny text (IAM User Guide,
    "Troubleshooting access denied error messages"); naming the role's ARN as the principal is
    inferred (AWS shows the service's assumed-role session, whose name it does not document)."""
    if action not in allowed:
        principal = caller.principal_arn or f"arn:aws:iam::{caller.account_id}:role/aws-service-role"
        raise AwsError("AccessDeniedException",
                       f"User: {principal} is not authorized to perform: {action} on resource: "
                       f"{resource} because no identity-based policy allows the {action} action",
                       400)


def _table_arn(caller: Caller, table: str) -> str:
    return f"arn:aws:dynamodb:{caller.region}:{caller.account_id}:table/{table}"


def _alarm_arn(caller: Caller, name: str) -> str:
    return f"arn:aws:cloudwatch:{caller.region}:{caller.account_id}:alarm:{name}"


class RoleDynamoDB(DynamoDBApi):
    """The DynamoDB port as the service-linked role may use it."""

    def __init__(self, inner: DynamoDBApi, allowed: frozenset = ACTIONS):
        self.inner = inner
        self.allowed = allowed

    def describe_table(self, caller: Caller, table_name: str) -> dict[str, Any]:
        check(caller, "dynamodb:DescribeTable", _table_arn(caller, table_name), self.allowed)
        return self.inner.describe_table(caller, table_name)

    def update_provisioned_throughput(self, caller: Caller, table_name: str,
                                      index_name: Optional[str] = None,
                                      read_units: Optional[int] = None,
                                      write_units: Optional[int] = None) -> dict[str, Any]:
        check(caller, "dynamodb:UpdateTable", _table_arn(caller, table_name), self.allowed)
        return self.inner.update_provisioned_throughput(caller, table_name, index_name,
                                                        read_units, write_units)

    def add_capacity_listener(self, listener) -> None:
        self.inner.add_capacity_listener(listener)

    def recent_seconds(self, caller: Caller, table_name: str, index_name: Optional[str],
                       start: int, end: int) -> dict[str, Any]:
        return self.inner.recent_seconds(caller, table_name, index_name, start, end)


class RoleCloudWatch(CloudWatchApi):
    """The CloudWatch port as the service-linked role may use it."""

    def __init__(self, inner: CloudWatchApi, allowed: frozenset = ACTIONS):
        self.inner = inner
        self.allowed = allowed

    def put_datapoints(self, *args, **kwargs) -> None:
        self.inner.put_datapoints(*args, **kwargs)

    def has_datapoints(self, caller: Caller, namespace: str, metric_name: str,
                       dimensions: Sequence[dict[str, str]], start: float, end: float) -> bool:
        return self.inner.has_datapoints(caller, namespace, metric_name, dimensions, start, end)

    def sum_of(self, caller: Caller, namespace: str, metric_name: str,
               dimensions: Sequence[dict[str, str]], start: float, end: float) -> float:
        return self.inner.sum_of(caller, namespace, metric_name, dimensions, start, end)

    def put_metric_alarm(self, caller: Caller, request: dict[str, Any]) -> None:
        check(caller, "cloudwatch:PutMetricAlarm",
              _alarm_arn(caller, request.get("AlarmName", "")), self.allowed)
        self.inner.put_metric_alarm(caller, request)

    def describe_alarms(self, caller: Caller, alarm_names: Sequence[str]) -> list[dict[str, Any]]:
        check(caller, "cloudwatch:DescribeAlarms", "*", self.allowed)
        return self.inner.describe_alarms(caller, alarm_names)

    def delete_alarms(self, caller: Caller, alarm_names: Sequence[str]) -> None:
        for name in alarm_names:
            check(caller, "cloudwatch:DeleteAlarms", _alarm_arn(caller, name), self.allowed)
        self.inner.delete_alarms(caller, alarm_names)

    def register_action_handler(self, arn_prefix: str, handler) -> None:
        self.inner.register_action_handler(arn_prefix, handler)
