"""DeleteRolePolicy: removes an inline policy."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        role = svc.roles.require_modifiable(caller.account_id, request["RoleName"])
        if role["inline"].pop(request["PolicyName"].lower(), None) is None:
            raise errors.no_such_role_policy(request["PolicyName"])
        svc.roles.put(caller.account_id, role)
    return {}
