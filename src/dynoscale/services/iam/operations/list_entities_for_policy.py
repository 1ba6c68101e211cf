"""ListEntitiesForPolicy: the roles and users a managed policy is attached to (Dynoscale has no
groups, so that list is empty; roles and users are paged together as PolicyRoles then
PolicyUsers [inferred: AWS's order across the lists is not documented]). EntityFilter LocalManagedPolicy/AWSManagedPolicy yield nothing
(LocalStack's AWS-validated provider); PathPrefix filters the role path."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    policy = svc.policies.require(caller.account_id, request["PolicyArn"])
    entity_filter = request.get("EntityFilter")
    prefix = request.get("PathPrefix") or "/"
    permissions = request.get("PolicyUsageFilter") != "PermissionsBoundary"
    entities = []
    if entity_filter in (None, "Role") and permissions:
        entities += [("PolicyRoles", {"RoleName": r["RoleName"], "RoleId": r["RoleId"]})
                     for r in svc.roles.all(caller.account_id)
                     if policy["Arn"] in r["attached"] and r["Path"].startswith(prefix)]
    if entity_filter in (None, "User") and permissions:
        entities += [("PolicyUsers", {"UserName": u["UserName"], "UserId": u["UserId"]})
                     for u in svc.users.all(caller.account_id)
                     if policy["Arn"] in u["attached"] and u["Path"].startswith(prefix)]
    out = paging.page("entities", entities, request)
    page = out.pop("entities")
    out.update(PolicyGroups=[], PolicyRoles=[e for k, e in page if k == "PolicyRoles"],
               PolicyUsers=[e for k, e in page if k == "PolicyUsers"])
    return out
