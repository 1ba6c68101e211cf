"""CreateUser: name unique case-insensitively in the account; Path default `/`; an optional
PermissionsBoundary (boundaries.py), checked as CreateRole checks it."""

from __future__ import annotations

from dynoscale.services.iam import boundaries, errors, tags, users


def handle(svc, caller, request: dict) -> dict:
    name = request["UserName"]
    new_tags = request.get("Tags") or []
    tags.USER.check_unique(new_tags)
    account = caller.account_id
    with svc.store.transaction():
        if svc.users.get(account, name) is not None:
            raise errors.user_exists(name)
        boundary = request.get("PermissionsBoundary")
        policy = boundaries.find(svc.policies, account, boundary) if boundary else None
        user = users.new_user(account, name, request.get("Path") or "/", svc.now(), new_tags)
        if policy is not None:
            boundaries.apply(svc.policies, account, user, policy)
        svc.users.put(account, user)
    return {"User": users.user_view(user, "create")}
