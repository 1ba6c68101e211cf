"""GetInstanceProfile: the profile with its role."""

from __future__ import annotations

from dynoscale.services.iam import instance_profiles


def handle(svc, caller, request: dict) -> dict:
    profile = svc.instance_profiles.require(caller.account_id, request["InstanceProfileName"])
    return {"InstanceProfile": instance_profiles.profile_view(profile, svc.roles,
                                                              caller.account_id, "get")}
