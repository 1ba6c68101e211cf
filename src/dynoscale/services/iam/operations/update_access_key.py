"""UpdateAccessKey: Active or Inactive; an Inactive key is refused at signature check like an
unknown one (server/authenticate.py)."""

from __future__ import annotations

from dynoscale.services.iam import errors
from dynoscale.services.iam.operations.get_user import signing_user


def handle(svc, caller, request: dict) -> dict:
    name = request.get("UserName") or signing_user(caller)
    key_id = request["AccessKeyId"]
    with svc.store.transaction():
        if name is None:
            raise errors.no_such_access_key(key_id)
        user = svc.users.require(caller.account_id, name)
        key = svc.access_keys.of_user(caller.account_id, user, key_id)
        key["Status"] = request["Status"]
        svc.access_keys.put(key)
    return {}
