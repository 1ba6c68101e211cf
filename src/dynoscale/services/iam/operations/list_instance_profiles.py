"""ListInstanceProfiles: PathPrefix filter, name order, Marker/MaxItems paging."""

from __future__ import annotations

from dynoscale.services.iam import instance_profiles, paging


def handle(svc, caller, request: dict) -> dict:
    prefix = request.get("PathPrefix") or "/"
    found = [instance_profiles.profile_view(p, svc.roles, caller.account_id, kind="list")
             for p in svc.instance_profiles.all(caller.account_id) if p["Path"].startswith(prefix)]
    return paging.page("InstanceProfiles", found, request)
