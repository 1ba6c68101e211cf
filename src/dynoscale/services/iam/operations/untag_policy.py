"""UntagPolicy: removes the named tag keys (case-sensitively); unknown keys are ignored."""

from __future__ import annotations

from dynoscale.services.iam import tags


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        policy = svc.policies.require(caller.account_id, request["PolicyArn"])
        policy["Tags"] = tags.without_policy_tags(policy["Tags"], request["TagKeys"])
        svc.policies.put(caller.account_id, policy)
    return {}
