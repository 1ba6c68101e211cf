"""UpdateGroup: renames a group and/or moves it to another path, keeping its id, members and
policies (LocalStack snapshot tests/aws/services/iam/test_iam_groups.snapshot.json::
test_update_group_name, test_update_group_path, test_update_group_not_found,
test_update_group_duplicate_name, recorded against AWS; renaming.py). The ARN follows the new
name and path; the members' own lists of their groups follow the new name."""

from __future__ import annotations

from dynoscale.services.iam import errors, ids, renaming


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        group, old_name = renaming.renamed(svc.groups, account, request, "GroupName",
                                           "NewGroupName", errors.group_exists, ids.group_arn)
        new_name = group["GroupName"]
        if new_name != old_name:
            for member in group["members"]:
                user = svc.users.get(account, member)
                if user is not None and old_name in user.get("groups", []):
                    user["groups"][user["groups"].index(old_name)] = new_name
                    svc.users.put(account, user)
        renaming.store(svc.groups, account, group, "GroupName", old_name)
    return {}
