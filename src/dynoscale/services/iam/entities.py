"""IAM roles and managed policies as documents in the store, and their AWS output views.

IAM is global: every record is scoped by account id only. Names are unique case-insensitively
within an account ("names are not distinguished by case", IAM identifiers page; spec §6.4), so a
record's storage id is its lower-cased name, which also gives list order by name.

Role record: the Role output members (AssumeRolePolicyDocument kept as submitted, encoded on
output; PermissionsBoundary as boundaries.py sets it), plus `inline` (lower name -> {PolicyName,
PolicyDocument}) and `attached` (policy ARNs in attach order), which principals.py manages for
roles, users and groups alike, and `linked_service` (set for service-linked roles).
Policy record: the Policy output members plus `versions` (list of {VersionId, Document,
IsDefaultVersion, CreateDate}, oldest first) and `next_version` (version ids are never reused).
An AWS-managed policy (aws_policies.py) has the same form, built from the catalogue, marked
`aws_managed`; only its per-account counts are stored (AWS_COUNTS_KIND).

Views follow AWS's documented subsets: CreateRole returns no MaxSessionDuration/RoleLastUsed (AWS
CLI reference example output); ListRoles omits Tags, PermissionsBoundary and RoleLastUsed and
ListPolicies omits Tags (botocore model docs of ListRoles/ListPolicies); CreatePolicy omits
Description (LocalStack's AWS-snapshot tests).
"""

from __future__ import annotations

from typing import Any, Optional

from dynoscale.services.iam import aws_policies, documents, errors, ids

ROLE_KIND = "iam.role"
POLICY_KIND = "iam.policy"
AWS_COUNTS_KIND = "iam.awspolicy"  # per account: an AWS-managed policy's counts
_AWS_COUNTS = ("AttachmentCount", "PermissionsBoundaryUsageCount")

_ROLE_CORE = ("Path", "RoleName", "RoleId", "Arn", "CreateDate")


class Roles:
    def __init__(self, store):
        self.store = store

    def get(self, account_id: str, name: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(ROLE_KIND, account_id, name.lower())

    def require(self, account_id: str, name: str) -> dict[str, Any]:
        role = self.get(account_id, name)
        if role is None:
            raise errors.no_such_role(name)
        return role

    def require_modifiable(self, account_id: str, name: str) -> dict[str, Any]:
        """A role the caller may change: service-linked roles belong to their service."""
        role = self.require(account_id, name)
        if role.get("linked_service"):
            raise errors.protected_role(role["RoleName"])
        return role

    def put(self, account_id: str, role: dict[str, Any]) -> None:
        self.store.put_doc(ROLE_KIND, account_id, role["RoleName"].lower(), role)

    def delete(self, account_id: str, name: str) -> None:
        self.store.delete_doc(ROLE_KIND, account_id, name.lower())

    def all(self, account_id: str) -> list[dict[str, Any]]:
        return [doc for _, _, doc in self.store.list_docs(ROLE_KIND, account_id)]


def new_role(account_id: str, name: str, path: str, trust_policy: str, now: float, *,
             description: Optional[str] = None, max_session: int = 3600,
             tags: Optional[list] = None,
             linked_service: Optional[str] = None) -> dict[str, Any]:
    role: dict[str, Any] = {
        "Path": path, "RoleName": name, "RoleId": ids.unique_id(ids.ROLE_ID_PREFIX),
        "Arn": ids.role_arn(account_id, path, name), "CreateDate": now,
        "AssumeRolePolicyDocument": trust_policy, "MaxSessionDuration": max_session,
        "Tags": list(tags or []), "inline": {}, "attached": [], "linked_service": linked_service}
    if description is not None:
        role["Description"] = description
    return role


def role_view(role: dict[str, Any], kind: str = "get") -> dict[str, Any]:
    """kind: `create` (CreateRole), `get` (GetRole), `list` (ListRoles), `describe`
    (UpdateRoleDescription). As recorded against AWS (LocalStack snapshots tests/aws/services/iam/
    test_iam_roles.snapshot.json::test_role_permissions_boundary_lifecycle, test_update_role,
    test_list_roles_pagination): CreateRole's answer shows the PermissionsBoundary but not the
    Description; UpdateRoleDescription's shows the Description, neither shows MaxSessionDuration
    nor RoleLastUsed; ListRoles shows no PermissionsBoundary."""
    out = {k: role[k] for k in _ROLE_CORE}
    out["AssumeRolePolicyDocument"] = documents.encode(role["AssumeRolePolicyDocument"])
    if kind != "create" and "Description" in role:
        out["Description"] = role["Description"]
    if kind in ("get", "list"):
        out["MaxSessionDuration"] = role["MaxSessionDuration"]
    if kind != "list" and "PermissionsBoundary" in role:
        out["PermissionsBoundary"] = role["PermissionsBoundary"]
    if kind != "list" and role["Tags"]:
        out["Tags"] = role["Tags"]
    if kind == "get":
        out["RoleLastUsed"] = {}  # AWS shows an empty RoleLastUsed for a role never used
    return out


class Policies:
    def __init__(self, store):
        self.store = store

    def by_name(self, account_id: str, name: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(POLICY_KIND, account_id, name.lower())

    def find(self, account_id: str, arn: str) -> Optional[dict[str, Any]]:
        """The customer-managed policy with this ARN in this account, or None. Raises InvalidInput
        for text that is not a policy ARN. The operations that change a policy use this one, so an
        AWS-managed policy is NoSuchEntity to them, as before the catalogue [inferred: AWS's
        refusal to change its own policies is not recorded]."""
        parsed = ids.parse_policy_arn(arn)
        if parsed is None:
            raise errors.invalid_arn(arn)
        if parsed.account_id != account_id:
            return None
        policy = self.by_name(account_id, parsed.name)
        if policy is None or policy["Arn"].lower() != arn.lower():
            return None
        return policy

    def find_any(self, account_id: str, arn: str) -> Optional[dict[str, Any]]:
        """`find`, or the AWS-managed policy (aws_policies.py) with this ARN as this account sees
        it: the catalogue's record with the account's AttachmentCount and
        PermissionsBoundaryUsageCount."""
        if ids.parse_policy_arn(arn) is None:
            raise errors.invalid_arn(arn)
        known = aws_policies.find(arn)
        if known is None:
            return self.find(account_id, arn)
        record = known.record()
        counts = self.store.get_doc(AWS_COUNTS_KIND, account_id, known.name.lower())
        record.update(counts or {})
        return record

    def require(self, account_id: str, arn: str) -> dict[str, Any]:
        policy = self.find(account_id, arn)
        if policy is None:
            raise errors.no_such_policy(arn)
        return policy

    def require_any(self, account_id: str, arn: str) -> dict[str, Any]:
        policy = self.find_any(account_id, arn)
        if policy is None:
            raise errors.no_such_policy(arn)
        return policy

    def aws_managed(self, account_id: str) -> list[dict[str, Any]]:
        """Every AWS-managed policy as this account sees it, in name order."""
        return [self.find_any(account_id, p.arn) for p in aws_policies.CATALOGUE]

    def put(self, account_id: str, policy: dict[str, Any]) -> None:
        """Store a policy; of an AWS-managed one only this account's counts."""
        if policy.get("aws_managed"):
            self.store.put_doc(AWS_COUNTS_KIND, account_id, policy["PolicyName"].lower(),
                               {k: policy[k] for k in _AWS_COUNTS})
            return
        self.store.put_doc(POLICY_KIND, account_id, policy["PolicyName"].lower(), policy)

    def delete(self, account_id: str, name: str) -> None:
        self.store.delete_doc(POLICY_KIND, account_id, name.lower())

    def all(self, account_id: str) -> list[dict[str, Any]]:
        return [doc for _, _, doc in self.store.list_docs(POLICY_KIND, account_id)]


def new_policy(account_id: str, name: str, path: str, document: str, now: float, *,
               description: Optional[str] = None, tags: Optional[list] = None) -> dict[str, Any]:
    policy: dict[str, Any] = {
        "PolicyName": name, "PolicyId": ids.unique_id(ids.POLICY_ID_PREFIX),
        "Arn": ids.policy_arn(account_id, path, name), "Path": path, "DefaultVersionId": "v1",
        "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
        "CreateDate": now, "UpdateDate": now, "Tags": list(tags or []),
        "versions": [{"VersionId": "v1", "Document": document, "IsDefaultVersion": True,
                      "CreateDate": now}],
        "next_version": 2}
    if description is not None:
        policy["Description"] = description
    return policy


def policy_view(policy: dict[str, Any], kind: str = "get") -> dict[str, Any]:
    """kind: `create` (CreatePolicy), `get` (GetPolicy), `list` (ListPolicies). GetPolicy always
    shows Tags, `[]` for none; CreatePolicy only when given (LocalStack snapshot
    tests/aws/services/iam/test_iam_policies.snapshot.json::test_policy_lifecycle,
    test_policy_tag_lifecycle, recorded against AWS)."""
    out = {k: policy[k] for k in ("PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId",
                                  "AttachmentCount", "PermissionsBoundaryUsageCount",
                                  "IsAttachable", "CreateDate", "UpdateDate")}
    if kind == "get" and "Description" in policy:
        out["Description"] = policy["Description"]
    if kind == "get" or (kind == "create" and policy["Tags"]):
        out["Tags"] = policy["Tags"]
    return out


def version_view(version: dict[str, Any], with_document: bool) -> dict[str, Any]:
    out = {"VersionId": version["VersionId"], "IsDefaultVersion": version["IsDefaultVersion"],
           "CreateDate": version["CreateDate"]}
    if with_document:
        out["Document"] = documents.encode(version["Document"])
    return out
