"""ListAccessKeys: the user's keys (UserName, or the signing user) without their secrets."""

from __future__ import annotations

from dynoscale.services.iam import paging, users
from dynoscale.services.iam.operations.get_user import signing_user


def handle(svc, caller, request: dict) -> dict:
    name = request.get("UserName") or signing_user(caller)
    if name is None:
        return paging.page("AccessKeyMetadata", [], request)  # Dynoscale's root has no IAM keys
    user = svc.users.require(caller.account_id, name)
    keys = [svc.access_keys.get(k) for k in user["keys"]]
    return paging.page("AccessKeyMetadata", [users.key_view(k) for k in keys if k], request)



