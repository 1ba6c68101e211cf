"""DeleteUser: refused while the user has access keys, attached or inline policies, or group
memberships (IAM API reference, DeleteUser: "you must delete the items ... that are attached to
the user"), checked in that order; the DeleteConflict texts are errors'. A permissions boundary
does not block it; its usage count is released."""

from __future__ import annotations

from dynoscale.services.iam import boundaries, errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, request["UserName"])
        if user["keys"]:
            raise errors.user_has_keys()
        if user["attached"]:
            raise errors.role_has_attached_policies()
        if user["inline"]:
            raise errors.role_has_inline_policies()
        if user.get("groups"):
            raise errors.group_has_users()
        boundaries.apply(svc.policies, caller.account_id, user, None)
        svc.users.delete(caller.account_id, user["UserName"])
    return {}
