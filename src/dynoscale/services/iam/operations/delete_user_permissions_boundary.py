"""DeleteUserPermissionsBoundary: removes the user's boundary (none set: nothing to do
[inferred: AWS documents only NoSuchEntity for a missing user])."""

from __future__ import annotations

from dynoscale.services.iam import boundaries


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        user = svc.users.require(account, request["UserName"])
        boundaries.apply(svc.policies, account, user, None)
        svc.users.put(account, user)
    return {}
