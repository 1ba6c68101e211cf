"""Permissions boundaries of users and roles: the managed policy that caps what the entity's
identity policies can grant (IAM User Guide, "Permissions boundaries for IAM entities"; the
effect on evaluation is policy_sets.py's).

The boundary is `PermissionsBoundary` {PermissionsBoundaryType: "Policy", PermissionsBoundaryArn}
on the entity record, as GetUser/GetRole show it; the policy's PermissionsBoundaryUsageCount
counts the entities using it, so DeletePolicy refuses it while used (delete_policy.py). A policy
that is neither a customer-managed policy of the account nor an AWS-managed one Dynoscale knows
(aws_policies.py) is NoSuchEntity "Scope ARN: <arn> does not exist or is not attachable."
(CreateRole's text, errors.no_such_boundary). An AWS-managed policy may be a boundary ("You can
use an AWS managed policy or a customer managed policy to set the boundary", IAM User Guide,
"Permissions boundaries for IAM entities").
"""

from __future__ import annotations

from typing import Any, Optional

from dynoscale.errors import AwsError
from dynoscale.services.iam import errors


def find(policies, account: str, arn: str) -> dict[str, Any]:
    """The policy a boundary ARN names, or NoSuchEntity / InvalidInput."""
    policy = policies.find_any(account, arn)
    if policy is None:
        raise errors.no_such_boundary(arn)
    return policy


def apply(policies, account: str, entity: dict[str, Any], policy: Optional[dict[str, Any]]) -> None:
    """Make `policy` (None: no boundary) the entity's boundary, keeping the usage counts; the
    caller stores the entity (and holds the transaction)."""
    old = entity.get("PermissionsBoundary")
    if old is not None:
        try:
            previous = policies.find_any(account, old["PermissionsBoundaryArn"])
        except AwsError:  # a stored ARN that no longer parses has no count to keep
            previous = None
        if previous is not None:
            previous["PermissionsBoundaryUsageCount"] = max(
                0, previous["PermissionsBoundaryUsageCount"] - 1)
            policies.put(account, previous)
    if policy is None:
        entity.pop("PermissionsBoundary", None)
        return
    if previous_is(policy, old):
        policy = policies.find_any(account, policy["Arn"])  # re-read: its count was just lowered
    policy["PermissionsBoundaryUsageCount"] += 1
    policies.put(account, policy)
    entity["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                     "PermissionsBoundaryArn": policy["Arn"]}


def previous_is(policy: dict[str, Any], old: Optional[dict[str, Any]]) -> bool:
    return old is not None and old["PermissionsBoundaryArn"].lower() == policy["Arn"].lower()
