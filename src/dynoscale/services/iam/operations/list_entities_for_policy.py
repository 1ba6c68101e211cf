"""ListEntitiesForPolicy: the roles a managed policy is attached to (Dynoscale has no users or
groups, so those lists are empty). EntityFilter LocalManagedPolicy/AWSManagedPolicy yield nothing
(LocalStack's AWS-validated provider); PathPrefix filters the role path."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    policy = svc.policies.require(caller.account_id, request["PolicyArn"])
    entity_filter = request.get("EntityFilter")
    prefix = request.get("PathPrefix") or "/"
    roles = []
    if entity_filter in (None, "Role") and request.get("PolicyUsageFilter") != "PermissionsBoundary":
        roles = [{"RoleName": r["RoleName"], "RoleId": r["RoleId"]}
                 for r in svc.roles.all(caller.account_id)
                 if policy["Arn"] in r["attached"] and r["Path"].startswith(prefix)]
    out = paging.page("PolicyRoles", roles, request)
    out.update(PolicyGroups=[], PolicyUsers=[])
    return out
