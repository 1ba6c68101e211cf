"""PutUserPermissionsBoundary: sets or replaces the user's boundary (boundaries.py)."""

from __future__ import annotations

from dynoscale.services.iam import boundaries


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        user = svc.users.require(account, request["UserName"])
        policy = boundaries.find(svc.policies, account, request["PermissionsBoundary"])
        boundaries.apply(svc.policies, account, user, policy)
        svc.users.put(account, user)
    return {}
