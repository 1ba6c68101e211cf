"""The IAM permissions each Application Auto Scaling call needs under `--auth enforce`:
`application-autoscaling:<Operation>` on `*` [inferred: the Service Authorization Reference also
lists scalable-target ARNs, but a target's ARN exists only once registered, and the policies of
the Application Auto Scaling User Guide's identity-based policy examples grant `Resource: "*"`].

RegisterScalableTarget creates the service-linked role when the account has none yet, and "for
automatic role creation to succeed, users must have permissions for the
iam:CreateServiceLinkedRole action" (Application Auto Scaling User Guide, "Authentication and
access control"); the request context then carries `iam:AWSServiceName`. Once the role exists
the permission is not needed. The refusal is the service's AccessDeniedException naming
iam:CreateServiceLinkedRole on the role's ARN [inferred: AWS's text for this case is not
recorded]. The service's own calls to DynamoDB and CloudWatch are made with that role, whose
AWS-managed policy (AWSApplicationAutoscalingDynamoDBTablePolicy) no user can change, and are
not checked.
"""

from __future__ import annotations

from typing import Any

from dynoscale.services.iam.api import IamApi
from dynoscale.services.registry import Access


class Requests:
    def __init__(self, iam: IamApi, slr_service: str, slr_name: str):
        self.iam = iam
        self.slr_service = slr_service
        self.slr_name = slr_name

    def __call__(self, caller, operation: str, request: dict[str, Any]) -> list[Access]:
        needs = [Access(f"application-autoscaling:{operation}", "*")]
        if operation == "RegisterScalableTarget" and \
                self.iam.get_role(caller.account_id, self.slr_name) is None:
            arn = (f"arn:aws:iam::{caller.account_id}:role/aws-service-role/{self.slr_service}/"
                   f"{self.slr_name}")
            needs.append(Access("iam:CreateServiceLinkedRole", arn,
                                context={"iam:awsservicename": self.slr_service}))
        return needs
