"""TagInstanceProfile: adds tags or overwrites values of existing keys; at most 50 per profile
(tags.py). The quota's name follows TagsPerRole/TagsPerUser [inferred]."""

from __future__ import annotations

from dynoscale.services.iam import tags


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        profile = svc.instance_profiles.require(caller.account_id, request["InstanceProfileName"])
        profile["Tags"] = tags.merged(profile["Tags"], request["Tags"], "TagsPerInstanceProfile")
        svc.instance_profiles.put(caller.account_id, profile)
    return {}
