"""DeleteRole (spec §6.13): refused while policies are attached or inline policies exist
(attached are checked first, as LocalStack's AWS-validated provider does); service-linked roles
are UnmodifiableEntity."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        role = svc.roles.require_modifiable(caller.account_id, request["RoleName"])
        if role["attached"]:
            raise errors.role_has_attached_policies()
        if role["inline"]:
            raise errors.role_has_inline_policies()
        svc.roles.delete(caller.account_id, role["RoleName"])
    return {}
