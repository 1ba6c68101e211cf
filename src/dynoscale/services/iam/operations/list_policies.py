"""ListPolicies (spec §6.10): Scope All|AWS|Local, OnlyAttached, PathPrefix, PolicyUsageFilter,
Marker/MaxItems. AWS-managed policies are not modelled, so Scope=AWS lists nothing (a known gap).
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
    chosen = [entities.policy_view(p, "list") for p in local
              if p["Path"].startswith(prefix)
              and (not request.get("OnlyAttached") or _attached(p, request.get("PolicyUsageFilter")))]
    return paging.page("Policies", chosen, request)
