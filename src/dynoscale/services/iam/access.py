"""The IAM permissions each IAM call needs under `--auth enforce` (Service Authorization
Reference, "Actions, resources, and condition keys for AWS Identity and Access Management"):
`iam:<Operation>` on the group, instance profile, user, role or policy it names (a group or
instance profile first: AddUserToGroup and AddRoleToInstanceProfile act on them), else `*`.
ARNs are built on the default path `/` [inferred: the ARN of an existing entity with another
path would need a lookup; policies written with `role/*` or `user/*` match either way].
A rename (UpdateUser's NewUserName, UpdateGroup's NewGroupName) needs the action on the old and
the new name ("the requester must have appropriate permissions on both the source object and the
target object", model docs of UpdateUser and UpdateGroup).
GetAccessKeyLastUsed names only the key, so it asks for `*` [inferred: its user is known only
after the lookup]."""

from __future__ import annotations

from typing import Any

from dynoscale.services.registry import Access


def requests(caller, operation: str, request: dict[str, Any]) -> list[Access]:
    action = f"iam:{operation}"
    account = caller.account_id
    if request.get("PolicyArn") and not (request.get("RoleName") or request.get("UserName")
                                         or request.get("GroupName")):
        return [Access(action, request["PolicyArn"])]
    if request.get("GroupName"):
        needs = [Access(action, f"arn:aws:iam::{account}:group/{request['GroupName']}")]
        if operation == "UpdateGroup" and request.get("NewGroupName"):
            needs.append(Access(action, f"arn:aws:iam::{account}:group/{request['NewGroupName']}"))
        return needs
    if request.get("InstanceProfileName"):
        return [Access(action, f"arn:aws:iam::{account}:instance-profile/"
                               f"{request['InstanceProfileName']}")]
    if request.get("RoleName"):
        return [Access(action, f"arn:aws:iam::{account}:role/{request['RoleName']}")]
    if request.get("UserName"):
        needs = [Access(action, f"arn:aws:iam::{account}:user/{request['UserName']}")]
        if operation == "UpdateUser" and request.get("NewUserName"):
            needs.append(Access(action, f"arn:aws:iam::{account}:user/{request['NewUserName']}"))
        return needs
    if operation == "CreatePolicy":
        path = request.get("Path") or "/"
        return [Access(action, f"arn:aws:iam::{account}:policy{path}{request['PolicyName']}")]
    if operation in ("CreateServiceLinkedRole",) and request.get("AWSServiceName"):
        return [Access(action, f"arn:aws:iam::{account}:role/aws-service-role/"
                               f"{request['AWSServiceName']}/*")]
    if operation in ("CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey",
                     "GetUser") and caller.principal is not None and caller.principal.kind == "user":
        return [Access(action, caller.principal.arn)]  # the signing user's own keys
    return [Access(action, "*")]
