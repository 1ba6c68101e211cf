"""TagRole: adds tags or overwrites values of existing keys; at most 50 tags per role
(IAM quotas page)."""

from __future__ import annotations

from dynoscale.services.iam import errors

MAX_TAGS = 50


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        role = svc.roles.require(caller.account_id, request["RoleName"])
        tags = {t["Key"].lower(): t for t in role["Tags"]}
        for tag in request["Tags"]:
            tags[tag["Key"].lower()] = {"Key": tag["Key"], "Value": tag["Value"]}
        if len(tags) > MAX_TAGS:
            raise errors.quota("TagsPerRole", MAX_TAGS)
        role["Tags"] = list(tags.values())
        svc.roles.put(caller.account_id, role)
    return {}
