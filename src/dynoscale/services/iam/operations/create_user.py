"""CreateUser: name unique case-insensitively in the account; Path default `/`."""

from __future__ import annotations

from dynoscale.services.iam import errors, users
from dynoscale.services.iam.operations.create_role import _check_tags


def handle(svc, caller, request: dict) -> dict:
    name = request["UserName"]
    tags = request.get("Tags") or []
    _check_tags(tags)
    with svc.store.transaction():
        if svc.users.get(caller.account_id, name) is not None:
            raise errors.user_exists(name)
        user = users.new_user(caller.account_id, name, request.get("Path") or "/", svc.now(), tags)
        svc.users.put(caller.account_id, user)
    return {"User": users.user_view(user, "create")}
