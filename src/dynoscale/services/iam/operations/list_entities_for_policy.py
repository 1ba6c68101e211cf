"""ListEntitiesForPolicy: the roles, users and groups a managed policy is attached to, and with
PolicyUsageFilter absent or "PermissionsBoundary" the users and roles using it as their
permissions boundary (model doc: "If it is not included, all policies are returned"; groups
have no boundary). Paged together as PolicyRoles, then PolicyUsers, then PolicyGroups
[inferred: AWS's order across the lists is not documented]. EntityFilter Role/User/Group
narrows the kind; LocalManagedPolicy/AWSManagedPolicy yield nothing (LocalStack's AWS-validated
provider); PathPrefix filters the entity's path."""

from __future__ import annotations

from dynoscale.services.iam import paging


def _uses(entity: dict, arn: str, usage) -> bool:
    if usage != "PermissionsBoundary" and arn in entity["attached"]:
        return True
    boundary = entity.get("PermissionsBoundary")
    return usage != "PermissionsPolicy" and boundary is not None and \
        boundary["PermissionsBoundaryArn"] == arn


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    policy = svc.policies.require_any(account, request["PolicyArn"])
    arn = policy["Arn"]
    entity_filter = request.get("EntityFilter")
    prefix = request.get("PathPrefix") or "/"
    usage = request.get("PolicyUsageFilter")
    found = []
    if entity_filter in (None, "Role"):
        found += [("PolicyRoles", {"RoleName": r["RoleName"], "RoleId": r["RoleId"]})
                  for r in svc.roles.all(account)
                  if _uses(r, arn, usage) and r["Path"].startswith(prefix)]
    if entity_filter in (None, "User"):
        found += [("PolicyUsers", {"UserName": u["UserName"], "UserId": u["UserId"]})
                  for u in svc.users.all(account)
                  if _uses(u, arn, usage) and u["Path"].startswith(prefix)]
    if entity_filter in (None, "Group") and usage != "PermissionsBoundary":
        found += [("PolicyGroups", {"GroupName": g["GroupName"], "GroupId": g["GroupId"]})
                  for g in svc.groups.all(account)
                  if arn in g["attached"] and g["Path"].startswith(prefix)]
    out = paging.page("entities", found, request)
    page = out.pop("entities")
    for member in ("PolicyGroups", "PolicyUsers", "PolicyRoles"):
        out[member] = [e for k, e in page if k == member]
    return out
