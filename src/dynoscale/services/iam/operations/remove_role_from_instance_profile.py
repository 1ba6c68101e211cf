"""RemoveRoleFromInstanceProfile: the profile, then the role, must exist (each its own
NoSuchEntity), and the profile must hold the role: "Role <role> in Instance Profile <profile>
cannot be found." (errors.role_not_in_profile, recorded against AWS)."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    name = request["RoleName"]
    with svc.store.transaction():
        profile = svc.instance_profiles.require(account, request["InstanceProfileName"])
        svc.roles.require(account, name)
        held = [r for r in profile["roles"] if r.lower() == name.lower()]
        if not held:
            raise errors.role_not_in_profile(name, profile["InstanceProfileName"])
        profile["roles"] = [r for r in profile["roles"] if r.lower() != name.lower()]
        svc.instance_profiles.put(account, profile)
    return {}
