"""DeleteGroup: refused while policies are attached, inline policies exist or users are members,
checked in that order (LocalStack's AWS-validated provider); the DeleteConflict texts are the
ones DeleteRole and DeleteUser use."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        group = svc.groups.require(caller.account_id, request["GroupName"])
        if group["attached"]:
            raise errors.role_has_attached_policies()
        if group["inline"]:
            raise errors.role_has_inline_policies()
        if group["members"]:
            raise errors.group_has_users()
        svc.groups.delete(caller.account_id, group["GroupName"])
    return {}
