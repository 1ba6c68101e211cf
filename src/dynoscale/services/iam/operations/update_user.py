"""UpdateUser: renames a user and/or moves it to another path, keeping its id, access keys, group
memberships, policies, permissions boundary and tags (botocore model doc of UpdateUser; LocalStack
snapshot tests/aws/services/iam/test_iam_users.snapshot.json::test_user_update, test_user_errors,
recorded against AWS: an empty answer, the ARN follows the new path and name, the old name is
then NoSuchEntity "The user with name X cannot be found.", as is an unknown user). A new name
taken by another user is EntityAlreadyExists "User with name X already exists." [inferred:
CreateUser's text, as UpdateGroup's duplicate is CreateGroup's]; a change of case alone is a
rename (renaming.py). Names and paths are checked by the model (userNameType, pathType).

What names the user follows it: its keys' UserName (ListAccessKeys, the key's owner when it
signs) and its groups' member lists."""

from __future__ import annotations

from dynoscale.services.iam import errors, ids, renaming


def handle(svc, caller, request: dict) -> dict:
    account = caller.account_id
    with svc.store.transaction():
        user, old_name = renaming.renamed(svc.users, account, request, "UserName", "NewUserName",
                                          errors.user_exists, ids.user_arn)
        new_name = user["UserName"]
        if new_name != old_name:
            _rename_keys(svc.access_keys, user["keys"], new_name)
            _rename_membership(svc.groups, account, user.get("groups", []), old_name, new_name)
        renaming.store(svc.users, account, user, "UserName", old_name)
    return {}


def _rename_keys(access_keys, key_ids: list, new_name: str) -> None:
    for key_id in key_ids:
        key = access_keys.get(key_id)
        if key is not None:
            key["UserName"] = new_name
            access_keys.put(key)


def _rename_membership(groups, account: str, group_names: list, old_name: str,
                       new_name: str) -> None:
    for group_name in group_names:
        group = groups.get(account, group_name)
        if group is not None and old_name in group["members"]:
            group["members"][group["members"].index(old_name)] = new_name
            groups.put(account, group)
