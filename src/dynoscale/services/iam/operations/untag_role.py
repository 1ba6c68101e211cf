"""UntagRole: removes the named tag keys; unknown keys are ignored."""

from __future__ import annotations

from dynoscale.services.iam import tags


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        role = svc.roles.require(caller.account_id, request["RoleName"])
        role["Tags"] = tags.without(role["Tags"], request["TagKeys"])
        svc.roles.put(caller.account_id, role)
    return {}
