"""RemoveUserFromGroup: user, then group, must exist; removing a user that is not a member
changes nothing (LocalStack's AWS-validated provider) [inferred: AWS documents no error for it]."""

from __future__ import annotations


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        user = svc.users.require(account, request["UserName"])
        group = svc.groups.require(account, request["GroupName"])
        if group["GroupName"] not in user.get("groups", []):
            return {}
        user["groups"].remove(group["GroupName"])
        group["members"] = [m for m in group["members"] if m.lower() != user["UserName"].lower()]
        svc.users.put(account, user)
        svc.groups.put(account, group)
    return {}
