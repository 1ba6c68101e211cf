"""ListGroupsForUser: the user's groups in name order, paged."""

from __future__ import annotations

from dynoscale.services.iam import groups, paging


def handle(svc, caller, request: dict) -> dict:
    user = svc.users.require(caller.account_id, request["UserName"])
    found = [svc.groups.get(caller.account_id, name) for name in user.get("groups", [])]
    views = sorted((groups.group_view(g) for g in found if g), key=lambda g: g["GroupName"].lower())
    return paging.page("Groups", views, request)
