"""CreateInstanceProfile: name unique case-insensitively; Path default `/`; no role yet."""

from __future__ import annotations

from dynoscale.services.iam import errors, instance_profiles, tags


def handle(svc, caller, request: dict) -> dict:
    name = request["InstanceProfileName"]
    new_tags = request.get("Tags") or []
    tags.INSTANCE_PROFILE.check_unique(new_tags)
    with svc.store.transaction():
        if svc.instance_profiles.get(caller.account_id, name) is not None:
            raise errors.instance_profile_exists(name)
        profile = instance_profiles.new_profile(caller.account_id, name, request.get("Path") or "/",
                                                svc.now(), new_tags)
        svc.instance_profiles.put(caller.account_id, profile)
    return {"InstanceProfile": instance_profiles.profile_view(profile, svc.roles,
                                                              caller.account_id)}
