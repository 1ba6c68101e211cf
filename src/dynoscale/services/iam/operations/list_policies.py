"""ListPolicies (spec §6.10): Scope All|AWS|Local, OnlyAttached, PathPrefix, PolicyUsageFilter,
Marker/MaxItems. Scope AWS lists the AWS-managed policies Dynoscale knows (aws_policies.py),
All lists them with the account's own, in one order by name, case-insensitively (AWS CLI
reference, `aws iam list-policies` example: AdministratorAccess before ASamplePolicy).
PolicyUsageFilter only narrows OnlyAttached: "PermissionsPolicy" counts attachments,
"PermissionsBoundary" counts boundary uses (model doc of ListPolicies)."""

from __future__ import annotations

from dynoscale.services.iam import entities, paging


def _attached(policy: dict, usage: str | None) -> bool:
    if usage == "PermissionsPolicy":
        return policy["AttachmentCount"] > 0
    if usage == "PermissionsBoundary":
        return policy["PermissionsBoundaryUsageCount"] > 0
    return policy["AttachmentCount"] > 0 or policy["PermissionsBoundaryUsageCount"] > 0


def handle(svc, caller, request: dict) -> dict:
    scope = request.get("Scope") or "All"
    prefix = request.get("PathPrefix") or "/"
    local = [] if scope == "AWS" else svc.policies.all(caller.account_id)
    aws = [] if scope == "Local" else svc.policies.aws_managed(caller.account_id)
    both = sorted(aws + local, key=lambda p: p["PolicyName"].lower())
    chosen = [entities.policy_view(p, "list") for p in both
              if p["Path"].startswith(prefix)
              and (not request.get("OnlyAttached") or _attached(p, request.get("PolicyUsageFilter")))]
    return paging.page("Policies", chosen, request)
