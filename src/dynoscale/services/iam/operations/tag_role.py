"""TagRole: adds tags or overwrites values of existing keys; at most 50 tags per role (tags.py)."""

from __future__ import annotations

from dynoscale.services.iam import tags


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        role = svc.roles.require(caller.account_id, request["RoleName"])
        role["Tags"] = tags.merged(role["Tags"], request["Tags"], "TagsPerRole")
        svc.roles.put(caller.account_id, role)
    return {}
