"""ListUsers: PathPrefix filter, users in name order, Marker/MaxItems paging."""

from __future__ import annotations

from dynoscale.services.iam import paging, users


def handle(svc, caller, request: dict) -> dict:
    prefix = request.get("PathPrefix") or "/"
    found = [users.user_view(u, "list") for u in svc.users.all(caller.account_id)
             if u["Path"].startswith(prefix)]
    return paging.page("Users", found, request)
