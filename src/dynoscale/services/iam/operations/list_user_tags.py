"""ListUserTags: the user's tags, paged."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    user = svc.users.require(caller.account_id, request["UserName"])
    return paging.page("Tags", list(user["Tags"]), request)
