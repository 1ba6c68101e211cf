"""ListUserPolicies: inline policy names in name order, paged."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    user = svc.users.require(caller.account_id, request["UserName"])
    names = [user["inline"][k]["PolicyName"] for k in sorted(user["inline"])]
    return paging.page("PolicyNames", names, request)
