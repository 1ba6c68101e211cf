"""ListRolePolicies: inline policy names in name order, paged."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    role = svc.roles.require(caller.account_id, request["RoleName"])
    names = [role["inline"][k]["PolicyName"] for k in sorted(role["inline"])]
    return paging.page("PolicyNames", names, request)
