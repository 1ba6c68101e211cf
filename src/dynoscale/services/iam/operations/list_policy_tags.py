"""ListPolicyTags: the policy's tags, paged; an AWS-managed policy has none [inferred]."""

from __future__ import annotations

from dynoscale.services.iam import paging


def handle(svc, caller, request: dict) -> dict:
    policy = svc.policies.require_any(caller.account_id, request["PolicyArn"])
    return paging.page("Tags", list(policy["Tags"]), request)
