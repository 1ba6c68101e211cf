"""DeleteInstanceProfile: refused while it holds a role, DeleteConflict "Cannot delete entity,
must remove roles from instance profile first." (99designs/iamy#47, AWS CLI output)."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        profile = svc.instance_profiles.require(caller.account_id, request["InstanceProfileName"])
        if profile["roles"]:
            raise errors.in_instance_profile()
        svc.instance_profiles.delete(caller.account_id, profile["InstanceProfileName"])
    return {}
