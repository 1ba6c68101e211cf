"""GetGroup: the group and its member users (in the order they were added), the users paged by
Marker/MaxItems. Users are shown as ListUsers shows them."""

from __future__ import annotations

from dynoscale.services.iam import groups, paging, users


def handle(svc, caller, request: dict) -> dict:
    group = svc.groups.require(caller.account_id, request["GroupName"])
    members = [svc.users.get(caller.account_id, name) for name in group["members"]]
    out = paging.page("Users", [users.user_view(u, "list") for u in members if u], request)
    out["Group"] = groups.group_view(group)
    return out
