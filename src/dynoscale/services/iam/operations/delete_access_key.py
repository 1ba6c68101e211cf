"""DeleteAccessKey: the key stops working at once."""

from __future__ import annotations

from dynoscale.services.iam import errors
from dynoscale.services.iam.operations.get_user import signing_user


def handle(svc, caller, request: dict) -> dict:
    name = request.get("UserName") or signing_user(caller)
    key_id = request["AccessKeyId"]
    if name is None and caller.principal is not None and caller.principal.kind == "assumed-role":
        raise errors.user_name_needed()
    with svc.store.transaction():
        if name is None:
            raise errors.no_such_access_key(key_id)
        user = svc.users.require(caller.account_id, name)
        svc.access_keys.of_user(caller.account_id, user, key_id)
        user["keys"].remove(key_id)
        svc.access_keys.delete(key_id)
        svc.users.put(caller.account_id, user)
    return {}
