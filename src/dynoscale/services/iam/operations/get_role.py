"""GetRole (spec §6.9): NoSuchEntity "The role with name X cannot be found."."""

from __future__ import annotations

from dynoscale.services.iam import entities


def handle(svc, caller, request: dict) -> dict:
    return {"Role": entities.role_view(svc.roles.require(caller.account_id, request["RoleName"]))}
