"""CreateAccessKey: a new Active key for the user (UserName, or the signing user); at most two
per user (IAM quotas page): "Cannot exceed quota for AccessKeysPerUser: 2"."""

from __future__ import annotations

from dynoscale.services.iam import errors, users
from dynoscale.services.iam.operations.get_user import signing_user


def handle(svc, caller, request: dict) -> dict:
    name = request.get("UserName") or signing_user(caller)
    if name is None:
        raise errors.root_key_refused()
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, name)
        if len(user["keys"]) >= users.KEYS_PER_USER:
            raise errors.quota("AccessKeysPerUser", users.KEYS_PER_USER)
        key = users.new_key(caller.account_id, user["UserName"], svc.now())
        user["keys"].append(key["AccessKeyId"])
        svc.access_keys.put(key)
        svc.users.put(caller.account_id, user)
    return {"AccessKey": users.key_view(key, with_secret=True)}
