"""ListRoleTags: the role's tags, paged."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    role = svc.roles.require(caller.account_id, request["RoleName"])
    return paging.page("Tags", list(role["Tags"]), request)
