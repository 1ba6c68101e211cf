"""The IAM service object: storage access, the clock, the registry record and the port.

Handlers receive this object as `svc` (operations/*.py). IAM timestamps have whole-second
precision on AWS (e.g. `2013-06-07T20:43:32Z` in the IAM API reference), so `now()` truncates.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from dynoscale.services.iam import (access, documents, entities, groups, instance_profiles,
                                    principals, users)
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
        self.groups = groups.Groups(store)
        self.instance_profiles = instance_profiles.InstanceProfiles(store)
        # Attached and inline policies, one implementation for the three kinds (principals.py).
        self.principal_policies = {
            "user": principals.PrincipalPolicies(principals.USER, self.users, self.policies, store),
            "role": principals.PrincipalPolicies(principals.ROLE, self.roles, self.policies, store),
            "group": principals.PrincipalPolicies(principals.GROUP, self.groups, self.policies,
                                                  store)}
        self.service = Service(name=WIRE.name, operations=bind(OPERATIONS, self),
                               access=access.requests)
        self.api = IamPort(self)

    def now(self) -> float:
        return float(int(self.clock.now()))


class IamPort(IamApi):
    """What other services may ask of IAM, in-process."""

    def __init__(self, svc: IamService):
        self.svc = svc
        self.decisions = PolicyDecisions(svc.roles, svc.users, svc.policies, svc.groups)

    def access_key(self, key_id: str) -> Optional[dict[str, Any]]:
        key = self.svc.access_keys.get(key_id)
        if key is None:
            return None
        user = self.svc.users.get(key["account"], key["UserName"])
        if user is None:
            return None
        return {"secret": key["SecretAccessKey"], "active": key["Status"] == "Active",
                "account": key["account"], "UserName": user["UserName"],
                "UserId": user["UserId"], "Arn": user["Arn"], "Tags": user["Tags"]}

    def record_key_use(self, key_id: str, service: str, region: str) -> None:
        self.svc.access_keys.record_use(key_id, service, region, self.svc.clock.now())

    def user_tags(self, account_id: str, user_name: str) -> list[dict[str, str]]:
        user = self.svc.users.get(account_id, user_name)
        return list(user["Tags"]) if user else []

    def check_session_policy(self, document: str) -> None:
        documents.check_identity_policy(document)

    def trust_policy(self, account_id: str, role_name: str) -> Optional[str]:
        role = self.svc.roles.get(account_id, role_name)
        return role["AssumeRolePolicyDocument"] if role else None

    def decide(self, principal, action: str, resource: str, context: Mapping[str, Any],
               resource_policy: Optional[str] = None) -> Decision:
        return self.decisions.decide(principal, action, resource, context, resource_policy)

    def trusts(self, account_id: str, role_name: str, principal, context,
               action: str = "sts:AssumeRole") -> bool:
        return self.decisions.trusts(account_id, role_name, principal, context, action)

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
        with self.svc.store.transaction():
            if aws_service_name in SERVICE_LINKED_POLICIES:
                arn = SERVICE_LINKED_POLICIES[aws_service_name]
                role["attached"].append(arn)
                policy = self.svc.policies.find_any(account_id, arn)  # aws_policies.py's
                if policy is not None:
                    policy["AttachmentCount"] += 1
                    self.svc.policies.put(account_id, policy)
            self.svc.roles.put(account_id, role)
        return role["Arn"]


def build(parts: Parts) -> IamService:
    return IamService(parts.store, parts.clock, parts.config)

