"""RemoveRoleFromInstanceProfile: the profile must exist and hold the role; a role it does not
hold is NoSuchEntity with the role's text [inferred: AWS documents NoSuchEntity only]."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    name = request["RoleName"]
    with svc.store.transaction():
        profile = svc.instance_profiles.require(account, request["InstanceProfileName"])
        held = [r for r in profile["roles"] if r.lower() == name.lower()]
        if not held:
            raise errors.no_such_role(name)
        profile["roles"] = [r for r in profile["roles"] if r.lower() != name.lower()]
        svc.instance_profiles.put(account, profile)
    return {}
