"""ListRoles: PathPrefix filter, roles in name order, Marker/MaxItems paging."""

from __future__ import annotations

from dynoscale.services.iam import entities, paging


def handle(svc, caller, request: dict) -> dict:
    prefix = request.get("PathPrefix") or "/"
    roles = [entities.role_view(r, "list") for r in svc.roles.all(caller.account_id)
             if r["Path"].startswith(prefix)]
    return paging.page("Roles", roles, request)
