"""ListGroups: PathPrefix filter, groups in name order, Marker/MaxItems paging."""

from __future__ import annotations

from dynoscale.services.iam import groups, paging


def handle(svc, caller, request: dict) -> dict:
    prefix = request.get("PathPrefix") or "/"
    found = [groups.group_view(g) for g in svc.groups.all(caller.account_id)
             if g["Path"].startswith(prefix)]
    return paging.page("Groups", found, request)
