"""The IAM service object: storage access, the clock, the registry record and the port.

Handlers receive this object as `svc` (operations/*.py). IAM timestamps have whole-second
precision on AWS (e.g. `2013-06-07T20:43:32Z` in the IAM API reference), so `now()` truncates.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from dynoscale.services.iam import access, entities, users
from dynoscale.services.iam.decisions import PolicyDecisions
from dynoscale.services.iam.api import Decision, IamApi
from dynoscale.services.iam.operations import OPERATIONS
from dynoscale.services.iam.wire import WIRE
from dynoscale.services.registry import Parts, Service, bind

# Managed policies AWS attaches to the service-linked roles we create [AAS-UG, service-linked
# roles page: AWSServiceRoleForApplicationAutoScaling_DynamoDBTable uses
# AWSApplicationAutoscalingDynamoDBTablePolicy].
SERVICE_LINKED_POLICIES = {
    "dynamodb.application-autoscaling.amazonaws.com":
        "arn:aws:iam::aws:policy/aws-service-role/AWSApplicationAutoscalingDynamoDBTablePolicy",
}


def service_trust_policy(aws_service_name: str) -> str:
    return ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"'
            + aws_service_name + '"},"Action":"sts:AssumeRole"}]}')


class IamService:
    def __init__(self, store, clock, config):
        self.store = store
        self.clock = clock
        self.config = config
        self.roles = entities.Roles(store)
        self.policies = entities.Policies(store)
        self.users = users.Users(store)
        self.access_keys = users.AccessKeys(store)
        self.service = Service(name=WIRE.name, operations=bind(OPERATIONS, self),
                               access=access.requests)
        self.api = IamPort(self)

    def now(self) -> float:
        return float(int(self.clock.now()))


class IamPort(IamApi):
    """What other services may ask of IAM, in-process."""

    def __init__(self, svc: IamService):
        self.svc = svc
        self.decisions = PolicyDecisions(svc.roles, svc.users, svc.policies)

    def access_key(self, key_id: str) -> Optional[dict[str, Any]]:
        key = self.svc.access_keys.get(key_id)
        if key is None:
            return None
        user = self.svc.users.get(key["account"], key["UserName"])
        if user is None:
            return None
        return {"secret": key["SecretAccessKey"], "active": key["Status"] == "Active",
                "account": key["account"], "UserName": user["UserName"],
                "UserId": user["UserId"], "Arn": user["Arn"]}

    def trust_policy(self, account_id: str, role_name: str) -> Optional[str]:
        role = self.svc.roles.get(account_id, role_name)
        return role["AssumeRolePolicyDocument"] if role else None

    def decide(self, principal, action: str, resource: str, context: Mapping[str, Any],
               resource_policy: Optional[str] = None) -> Decision:
        return self.decisions.decide(principal, action, resource, context, resource_policy)

    def trusts(self, account_id: str, role_name: str, principal, context) -> bool:
        return self.decisions.trusts(account_id, role_name, principal, context)

    def get_role(self, account_id: str, role_name: str) -> Optional[dict[str, Any]]:
        role = self.svc.roles.get(account_id, role_name)
        return entities.role_view(role, "get") if role else None

    def ensure_service_linked_role(self, account_id: str, aws_service_name: str,
                                   role_name: str) -> str:
        existing = self.svc.roles.get(account_id, role_name)
        if existing:
            return existing["Arn"]
        path = f"/aws-service-role/{aws_service_name}/"
        role = entities.new_role(account_id, role_name, path, service_trust_policy(aws_service_name),
                                 self.svc.now(), linked_service=aws_service_name)
        if aws_service_name in SERVICE_LINKED_POLICIES:
            role["attached"].append(SERVICE_LINKED_POLICIES[aws_service_name])
        self.svc.roles.put(account_id, role)
        return role["Arn"]


def build(parts: Parts) -> IamService:
    return IamService(parts.store, parts.clock, parts.config)

