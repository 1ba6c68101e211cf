"""UpdateGroup: renames a group and/or moves it to another path, keeping its id, members and
policies (LocalStack snapshot tests/aws/services/iam/test_iam_groups.snapshot.json::
test_update_group_name, test_update_group_path, test_update_group_not_found,
test_update_group_duplicate_name, recorded against AWS). The ARN follows the new name and path;
the members' own lists of their groups follow the new name."""

from __future__ import annotations

from dynoscale.services.iam import errors, ids


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        group = svc.groups.require(account, request["GroupName"])
        old_name = group["GroupName"]
        new_name = request.get("NewGroupName") or old_name
        if new_name.lower() != old_name.lower() and svc.groups.get(account, new_name) is not None:
            raise errors.group_exists(new_name)
        group["Path"] = request.get("NewPath") or group["Path"]
        group["GroupName"] = new_name
        group["Arn"] = ids.group_arn(account, group["Path"], new_name)
        if new_name != old_name:
            for member in group["members"]:
                user = svc.users.get(account, member)
                if user is not None and old_name in user.get("groups", []):
                    user["groups"][user["groups"].index(old_name)] = new_name
                    svc.users.put(account, user)
            svc.groups.delete(account, old_name)
        svc.groups.put(account, group)
    return {}
