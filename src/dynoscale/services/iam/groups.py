"""IAM groups as documents in the store, and their AWS output view.

Group record: the Group output members (Path, GroupName, GroupId, Arn, CreateDate) plus `inline`
and `attached` (principals.py) and `members` (the member users' names, in the order they were
added). A user lists its groups' names in `groups`, so a request's policy set (policy_sets.py)
reads a user's groups without scanning them all. Names are unique case-insensitively, like
users and roles; group ids take the `AGPA` prefix (IAM identifiers page, unique ID prefixes).
"""

from __future__ import annotations

from typing import Any, Optional

from dynoscale.services.iam import errors, ids

GROUP_KIND = "iam.group"
GROUPS_PER_USER = 10  # IAM quotas page: "Groups an IAM user can be a member of: 10"


class Groups:
    def __init__(self, store):
        self.store = store

    def get(self, account_id: str, name: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(GROUP_KIND, account_id, name.lower())

    def require(self, account_id: str, name: str) -> dict[str, Any]:
        group = self.get(account_id, name)
        if group is None:
            raise errors.no_such_group(name)
        return group

    require_modifiable = require  # groups are never AWS-owned

    def put(self, account_id: str, group: dict[str, Any]) -> None:
        self.store.put_doc(GROUP_KIND, account_id, group["GroupName"].lower(), group)

    def delete(self, account_id: str, name: str) -> None:
        self.store.delete_doc(GROUP_KIND, account_id, name.lower())

    def all(self, account_id: str) -> list[dict[str, Any]]:
        return [doc for _, _, doc in self.store.list_docs(GROUP_KIND, account_id)]


def new_group(account_id: str, name: str, path: str, now: float) -> dict[str, Any]:
    return {"Path": path, "GroupName": name, "GroupId": ids.unique_id(ids.GROUP_ID_PREFIX),
            "Arn": ids.group_arn(account_id, path, name), "CreateDate": now,
            "inline": {}, "attached": [], "members": []}


def group_view(group: dict[str, Any]) -> dict[str, Any]:
    return {k: group[k] for k in ("Path", "GroupName", "GroupId", "Arn", "CreateDate")}
