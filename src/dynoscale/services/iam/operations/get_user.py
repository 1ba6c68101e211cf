"""GetUser: the named user, or without UserName the signing user (IAM API reference:
"If you do not specify a user name, IAM determines the user name implicitly based on the AWS
access key ID used to sign the request"). Root credentials get the root "user": UserId and
UserName-less record with the account's root ARN [same page, example for the root]."""

from __future__ import annotations

from dynoscale.services.iam import users


def handle(svc, caller, request: dict) -> dict:
    name = request.get("UserName") or signing_user(caller)
    if name is None:
        account = caller.account_id
        return {"User": {"Path": "/", "UserId": account, "Arn": f"arn:aws:iam::{account}:root",
                         "CreateDate": 0.0}}
    return {"User": users.user_view(svc.users.require(caller.account_id, name), "get")}


def signing_user(caller) -> "str | None":
    p = caller.principal
    return p.name if p is not None and p.kind == "user" else None
