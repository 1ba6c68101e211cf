"""UntagUser: removes the named tag keys; unknown keys are ignored."""

from __future__ import annotations

from dynoscale.services.iam import tags


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, request["UserName"])
        user["Tags"] = tags.without(user["Tags"], request["TagKeys"])
        svc.users.put(caller.account_id, user)
    return {}
