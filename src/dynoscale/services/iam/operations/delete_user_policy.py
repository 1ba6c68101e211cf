"""DeleteUserPolicy: removes a user's inline policy."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, request["UserName"])
        if user["inline"].pop(request["PolicyName"].lower(), None) is None:
            raise errors.no_such_user_policy(request["PolicyName"])
        svc.users.put(caller.account_id, user)
    return {}
