"""ListInstanceProfilesForRole: the profiles holding the role, name order, paged."""

from __future__ import annotations

from dynoscale.services.iam import instance_profiles, paging


def handle(svc, caller, request: dict) -> dict:
    role = svc.roles.require(caller.account_id, request["RoleName"])
    found = [instance_profiles.profile_view(p, svc.roles, caller.account_id, kind="list")
             for p in svc.instance_profiles.of_role(caller.account_id, role["RoleName"])]
    return paging.page("InstanceProfiles", found, request)
