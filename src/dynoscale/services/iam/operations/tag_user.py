"""TagUser: as TagRole (tags.py); "Cannot exceed quota for TagsPerUser: 50"."""

from __future__ import annotations

from dynoscale.services.iam import tags


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, request["UserName"])
        user["Tags"] = tags.merged(user["Tags"], request["Tags"], "TagsPerUser")
        svc.users.put(caller.account_id, user)
    return {}
