"""UntagRole: removes the named tag keys; unknown keys are ignored."""

from __future__ import annotations


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        role = svc.roles.require(caller.account_id, request["RoleName"])
        gone = {k.lower() for k in request["TagKeys"]}
        role["Tags"] = [t for t in role["Tags"] if t["Key"].lower() not in gone]
        svc.roles.put(caller.account_id, role)
    return {}
