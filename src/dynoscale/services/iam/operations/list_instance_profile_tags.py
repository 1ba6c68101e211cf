"""ListInstanceProfileTags: the profile's tags, paged."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    profile = svc.instance_profiles.require(caller.account_id, request["InstanceProfileName"])
    return paging.page("Tags", list(profile["Tags"]), request)
