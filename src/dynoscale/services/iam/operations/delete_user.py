"""DeleteUser: refused while the user has access keys, attached or inline policies (IAM API
reference, DeleteUser: "you must delete the items ... that are attached to the user"); the
DeleteConflict texts are entities'."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, request["UserName"])
        if user["keys"]:
            raise errors.user_has_keys()
        if user["attached"]:
            raise errors.role_has_attached_policies()
        if user["inline"]:
            raise errors.role_has_inline_policies()
        svc.users.delete(caller.account_id, user["UserName"])
    return {}
