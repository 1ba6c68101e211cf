"""UntagInstanceProfile: removes the named tag keys; unknown keys are ignored."""

from __future__ import annotations

from dynoscale.services.iam import tags


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        profile = svc.instance_profiles.require(caller.account_id, request["InstanceProfileName"])
        profile["Tags"] = tags.without(profile["Tags"], request["TagKeys"])
        svc.instance_profiles.put(caller.account_id, profile)
    return {}
