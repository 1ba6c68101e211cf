"""ListPolicyTags: the policy's tags, paged."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    policy = svc.policies.require(caller.account_id, request["PolicyArn"])
    return paging.page("Tags", list(policy["Tags"]), request)
