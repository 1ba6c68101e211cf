"""AddUserToGroup: the user is checked before the group (LocalStack's AWS-validated provider);
adding a member again changes nothing; a user may be in at most 10 groups (IAM quotas page),
"Cannot exceed quota for GroupsPerUser: 10" [inferred: the form of AWS's other quota texts]."""

from __future__ import annotations

from dynoscale.services.iam import errors, groups


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        user = svc.users.require(account, request["UserName"])
        group = svc.groups.require(account, request["GroupName"])
        memberships = user.setdefault("groups", [])
        if group["GroupName"] in memberships:
            return {}
        if len(memberships) >= groups.GROUPS_PER_USER:
            raise errors.quota("GroupsPerUser", groups.GROUPS_PER_USER)
        memberships.append(group["GroupName"])
        group["members"].append(user["UserName"])
        svc.users.put(account, user)
        svc.groups.put(account, group)
    return {}
