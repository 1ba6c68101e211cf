"""DeleteRolePermissionsBoundary: removes the role's boundary; a service-linked role is
UnmodifiableEntity."""

from __future__ import annotations

from dynoscale.services.iam import boundaries


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        role = svc.roles.require_modifiable(account, request["RoleName"])
        boundaries.apply(svc.policies, account, role, None)
        svc.roles.put(account, role)
    return {}
