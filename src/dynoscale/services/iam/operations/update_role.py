"""UpdateRole: sets a role's Description and/or MaxSessionDuration; members left out keep their
values (LocalStack snapshot tests/aws/services/iam/test_iam_roles.snapshot.json::test_update_role,
recorded against AWS: an UpdateRole naming only the role changes nothing). The answer is empty.
The duration's 3600..43200 bounds are the model's, checked before this runs."""

from __future__ import annotations


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        # inferred: service-linked roles accept it too (the IAM guide lets their description be
        # edited), so `require`, not `require_modifiable`.
        role = svc.roles.require(caller.account_id, request["RoleName"])
        if request.get("Description") is not None:
            role["Description"] = request["Description"]
        if request.get("MaxSessionDuration") is not None:
            role["MaxSessionDuration"] = request["MaxSessionDuration"]
        svc.roles.put(caller.account_id, role)
    return {}
