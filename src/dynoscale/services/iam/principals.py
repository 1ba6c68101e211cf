"""Attached and inline policies of the three IAM principals that hold them: users, roles and
groups. One implementation for all three: the operations Attach/Detach/ListAttached<Kind>Policies
and Put/Get/Delete/List<Kind>Policies differ only in the request member that names the entity,
the NoSuchEntity text of a missing inline policy and the size quota of inline policies.

Each entity record keeps `attached` (policy ARNs in attach order) and `inline` (lower-cased name
-> {PolicyName, PolicyDocument}); `entities` is the record store of the kind (entities.Roles,
users.Users, groups.Groups), which raises the kind's NoSuchEntity from `require` and refuses
service-linked roles from `require_modifiable`.

Rules, as the role operations always had them (spec §6.8, §6.11; LocalStack's AWS-validated
provider for groups): attaching again is a no-op; at most 10 managed policies each; AttachmentCount counts every attachment;
detaching a policy that is not attached is NoSuchEntity "Policy <arn> was not found."; the
AWS-managed policies of aws_policies.py attach as customer-managed ones do, but those of
service-linked roles (/aws-service-role/) are PolicyNotAttachable; a policy
name differing only in case replaces the existing inline policy, the new spelling kept; inline
policies are listed in name order, attached ones in attach order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from dynoscale.errors import AwsError
from dynoscale.services.iam import aws_policies, documents, errors, ids


@dataclass(frozen=True)
class Kind:
    """member: the request/response member naming the entity (`UserName`); missing_inline: the
    NoSuchEntity of an inline policy it lacks; inline_max: the quota of its inline policies
    together (non-whitespace characters, IAM quotas page); too_big(entity name): its error;
    attached_quota: the name of its quota of managed policies (10, IAM quotas page: "Managed
    policies attached to an IAM role / user / group: 10")."""
    member: str
    missing_inline: Callable[[str], AwsError]
    inline_max: int
    too_big: Callable[[str], AwsError]
    attached_quota: str  # the quota's name in "Cannot exceed quota for <name>: 10"


# "Cannot exceed quota for PoliciesPerUser: 10" / "... PoliciesPerRole: 10" (AWS CLI output
# quoted in many deployment guides); PoliciesPerGroup [inferred: the same family].
ATTACHED_MAX = 10
USER = Kind("UserName", errors.no_such_user_policy, documents.USER_INLINE_TOTAL_MAX,
            lambda _name: errors.quota("UserPolicySize", documents.USER_INLINE_TOTAL_MAX),
            "PoliciesPerUser")
ROLE = Kind("RoleName", errors.no_such_role_policy, documents.ROLE_INLINE_TOTAL_MAX,
            lambda name: errors.inline_size(name, documents.ROLE_INLINE_TOTAL_MAX),
            "PoliciesPerRole")
# "Cannot exceed quota for GroupPolicySize: 5120": the quota's name as GetAccountSummary reports
# it (GroupPolicySizeQuota) in the form of the user quota's text [inferred: same family].
GROUP = Kind("GroupName", errors.no_such_group_policy, documents.GROUP_INLINE_TOTAL_MAX,
             lambda _name: errors.quota("GroupPolicySize", documents.GROUP_INLINE_TOTAL_MAX),
             "PoliciesPerGroup")


class PrincipalPolicies:
    """The policy operations of one kind of principal, on its record store and the managed
    policies (for attachability and AttachmentCount)."""

    def __init__(self, kind: Kind, entities, policies, store):
        self.kind = kind
        self.entities = entities
        self.policies = policies
        self.store = store

    def _name(self, entity: dict[str, Any]) -> str:
        return entity[self.kind.member]

    # -- managed policies -----------------------------------------------------------------------
    @staticmethod
    def _check_arn(arn: str) -> None:
        # inferred: the ARN's syntax is checked before the entity is looked up (a request-shape
        # check, like the model's constraints, which come before every lookup).
        if ids.parse_policy_arn(arn) is None:
            raise errors.invalid_attach_arn(arn)

    def attach(self, account: str, name: str, arn: str) -> None:
        self._check_arn(arn)
        with self.store.transaction():
            entity = self.entities.require_modifiable(account, name)
            policy = self.policies.find_any(account, arn)
            if policy is None or not policy["IsAttachable"]:
                raise errors.not_attachable(arn)
            if aws_policies.service_role(policy):
                raise errors.service_role_policy()
            if policy["Arn"] in entity["attached"]:
                return
            if len(entity["attached"]) >= ATTACHED_MAX:
                raise errors.quota(self.kind.attached_quota, ATTACHED_MAX)
            entity["attached"].append(policy["Arn"])
            policy["AttachmentCount"] += 1
            self.entities.put(account, entity)
            self.policies.put(account, policy)

    def detach(self, account: str, name: str, arn: str) -> None:
        self._check_arn(arn)
        with self.store.transaction():
            entity = self.entities.require_modifiable(account, name)
            policy = self.policies.find_any(account, arn)
            attached = next((a for a in entity["attached"] if a.lower() == arn.lower()), None)
            if attached is None:
                raise errors.no_such_policy(arn)
            entity["attached"].remove(attached)
            self.entities.put(account, entity)
            if policy is not None:
                policy["AttachmentCount"] = max(0, policy["AttachmentCount"] - 1)
                self.policies.put(account, policy)

    def list_attached(self, account: str, name: str, path_prefix: str) -> list[dict[str, str]]:
        """{PolicyName, PolicyArn} of the attached policies whose path starts with the prefix."""
        entity = self.entities.require(account, name)
        out = []
        for arn in entity["attached"]:
            parsed = ids.parse_policy_arn(arn)
            if parsed and parsed.path.startswith(path_prefix):
                out.append({"PolicyName": parsed.name, "PolicyArn": arn})
        return out

    # -- inline policies ------------------------------------------------------------------------
    def put_inline(self, account: str, name: str, policy_name: str, document: str) -> None:
        documents.check_identity_policy(document)
        with self.store.transaction():
            entity = self.entities.require_modifiable(account, name)
            inline = entity["inline"]
            inline[policy_name.lower()] = {"PolicyName": policy_name, "PolicyDocument": document}
            total = sum(documents.size(p["PolicyDocument"]) for p in inline.values())
            if total > self.kind.inline_max:
                raise self.kind.too_big(self._name(entity))
            self.entities.put(account, entity)

    def get_inline(self, account: str, name: str, policy_name: str) -> dict[str, str]:
        """The Get<Kind>Policy output: entity name, policy name, URL-encoded document."""
        entity = self.entities.require(account, name)
        policy = entity["inline"].get(policy_name.lower())
        if policy is None:
            raise self.kind.missing_inline(policy_name)
        return {self.kind.member: self._name(entity), "PolicyName": policy["PolicyName"],
                "PolicyDocument": documents.encode(policy["PolicyDocument"])}

    def delete_inline(self, account: str, name: str, policy_name: str) -> None:
        with self.store.transaction():
            entity = self.entities.require_modifiable(account, name)
            if entity["inline"].pop(policy_name.lower(), None) is None:
                raise self.kind.missing_inline(policy_name)
            self.entities.put(account, entity)

    def list_inline(self, account: str, name: str) -> list[str]:
        entity = self.entities.require(account, name)
        return [entity["inline"][k]["PolicyName"] for k in sorted(entity["inline"])]
