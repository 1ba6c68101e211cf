"""DeleteRole (spec §6.13): refused while the role is in an instance profile, has attached
policies or inline policies (the instance profile first, as the IAM API reference's DeleteRole
lists the prerequisites; attached before inline as LocalStack's AWS-validated provider checks
them); service-linked roles are UnmodifiableEntity. A permissions boundary's usage count is
released."""

from __future__ import annotations

from dynoscale.services.iam import boundaries, errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        role = svc.roles.require_modifiable(caller.account_id, request["RoleName"])
        if svc.instance_profiles.of_role(caller.account_id, role["RoleName"]):
            raise errors.in_instance_profile()
        if role["attached"]:
            raise errors.role_has_attached_policies()
        if role["inline"]:
            raise errors.role_has_inline_policies()
        boundaries.apply(svc.policies, caller.account_id, role, None)
        svc.roles.delete(caller.account_id, role["RoleName"])
    return {}
