"""AddRoleToInstanceProfile: the profile, then the role, must exist; a profile that already holds
a role (the same one or another) is LimitExceeded "Cannot exceed quota for
InstanceSessionsPerInstanceProfile: 1" (errors.profile_has_role)."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        profile = svc.instance_profiles.require(account, request["InstanceProfileName"])
        role = svc.roles.require(account, request["RoleName"])
        if profile["roles"]:
            raise errors.profile_has_role()
        profile["roles"].append(role["RoleName"])
        svc.instance_profiles.put(account, profile)
    return {}
