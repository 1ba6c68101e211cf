"""UpdateRoleDescription: sets a role's Description and answers with the role, in the shape
recorded against AWS (entities.role_view "describe"; LocalStack snapshot
tests/aws/services/iam/test_iam_roles.snapshot.json::test_update_role)."""

from __future__ import annotations

from dynoscale.services.iam import entities


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        # inferred, as UpdateRole: service-linked roles' descriptions may be edited.
        role = svc.roles.require(caller.account_id, request["RoleName"])
        role["Description"] = request["Description"]
        svc.roles.put(caller.account_id, role)
    return {"Role": entities.role_view(role, "describe")}
