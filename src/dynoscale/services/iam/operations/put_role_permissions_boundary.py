"""PutRolePermissionsBoundary: sets or replaces the role's boundary (boundaries.py); a
service-linked role is UnmodifiableEntity."""

from __future__ import annotations

from dynoscale.services.iam import boundaries


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        role = svc.roles.require_modifiable(account, request["RoleName"])
        policy = boundaries.find(svc.policies, account, request["PermissionsBoundary"])
        boundaries.apply(svc.policies, account, role, policy)
        svc.roles.put(account, role)
    return {}
