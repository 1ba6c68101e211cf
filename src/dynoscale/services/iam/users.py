"""IAM users and their access keys as documents in the store, and their AWS output views.

User record: the User output members (Path, UserName, UserId, Arn, CreateDate, Tags) plus
`inline` (lower name -> {PolicyName, PolicyDocument}) and `attached` (policy ARNs in attach
order), as roles keep them (principals.py), `groups` (its groups' names, groups.py) and an optional
`PermissionsBoundary` (boundaries.py). Names are unique case-insensitively, like roles.

Access key record, kept under the key id alone (scope "_") so that a signed request finds its key
without knowing its account: {AccessKeyId, SecretAccessKey, Status, CreateDate, UserName, account,
LastUsed {date, service, region} once it has signed a request}.
A user lists its key ids in `keys`. Secrets are returned once, by CreateAccessKey, as on AWS.
"""

from __future__ import annotations

from typing import Any, Optional

from dynoscale.services.iam import errors, ids

USER_KIND = "iam.user"
KEY_KIND = "iam.accesskey"
KEYS_PER_USER = 2  # IAM quotas page: "Access keys assigned to an IAM user: 2"


class Users:
    def __init__(self, store):
        self.store = store

    def get(self, account_id: str, name: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(USER_KIND, account_id, name.lower())

    def require(self, account_id: str, name: str) -> dict[str, Any]:
        user = self.get(account_id, name)
        if user is None:
            raise errors.no_such_user(name)
        return user

    require_modifiable = require  # users are never AWS-owned (principals.py asks)

    def put(self, account_id: str, user: dict[str, Any]) -> None:
        self.store.put_doc(USER_KIND, account_id, user["UserName"].lower(), user)

    def delete(self, account_id: str, name: str) -> None:
        self.store.delete_doc(USER_KIND, account_id, name.lower())

    def all(self, account_id: str) -> list[dict[str, Any]]:
        return [doc for _, _, doc in self.store.list_docs(USER_KIND, account_id)]


class AccessKeys:
    def __init__(self, store):
        self.store = store
        self._last_seen: dict[str, tuple[float, str, str]] = {}  # key id -> last recorded use

    def get(self, key_id: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(KEY_KIND, "_", key_id)

    def of_user(self, account_id: str, user: dict[str, Any], key_id: str) -> dict[str, Any]:
        key = self.get(key_id) if key_id in user["keys"] else None
        if key is None or key["account"] != account_id:
            raise errors.no_such_access_key(key_id)
        return key

    def put(self, key: dict[str, Any]) -> None:
        self.store.put_doc(KEY_KIND, "_", key["AccessKeyId"], key)

    def delete(self, key_id: str) -> None:
        self.store.delete_doc(KEY_KIND, "_", key_id)

    def record_use(self, key_id: str, service: str, region: str, now: float) -> None:
        """The key signed an accepted request: GetAccessKeyLastUsed's date (whole seconds, as
        IAM's timestamps), service and region. A repeat within the same second with the same
        service and region writes nothing, so a busy key costs at most one write a second."""
        when = float(int(now))
        seen = (when, service, region)
        if self._last_seen.get(key_id) == seen:
            return
        key = self.get(key_id)
        if key is None:
            return
        key["LastUsed"] = {"date": when, "service": service, "region": region}
        self.put(key)
        self._last_seen[key_id] = seen


def new_user(account_id: str, name: str, path: str, now: float,
             tags: Optional[list] = None) -> dict[str, Any]:
    return {"Path": path, "UserName": name, "UserId": ids.unique_id(ids.USER_ID_PREFIX),
            "Arn": ids.user_arn(account_id, path, name), "CreateDate": now,
            "Tags": list(tags or []), "inline": {}, "attached": [], "keys": []}


def new_key(account_id: str, user_name: str, now: float) -> dict[str, Any]:
    return {"AccessKeyId": ids.access_key_id(), "SecretAccessKey": ids.new_secret(),
            "Status": "Active", "CreateDate": now, "UserName": user_name, "account": account_id}


def user_view(user: dict[str, Any], kind: str = "get") -> dict[str, Any]:
    """kind: `create`/`get` (with PermissionsBoundary and Tags when there are any), `list`
    (ListUsers omits both, botocore model docs of ListUsers)."""
    out = {k: user[k] for k in ("Path", "UserName", "UserId", "Arn", "CreateDate")}
    if kind != "list" and "PermissionsBoundary" in user:
        out["PermissionsBoundary"] = user["PermissionsBoundary"]
    if kind != "list" and user["Tags"]:
        out["Tags"] = user["Tags"]
    return out


def key_view(key: dict[str, Any], with_secret: bool = False) -> dict[str, Any]:
    out = {k: key[k] for k in ("UserName", "AccessKeyId", "Status", "CreateDate")}
    if with_secret:
        out["SecretAccessKey"] = key["SecretAccessKey"]
    return out
