"""TagPolicy: adds tags to a customer managed policy or overwrites values of existing keys, keys
compared case-sensitively (tags.merged_policy_tags; LocalStack snapshot tests/aws/services/iam/
test_iam_policies.snapshot.json::test_policy_tag_operations, recorded against AWS)."""

from __future__ import annotations

from dynoscale.services.iam import tags


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        policy = svc.policies.require(caller.account_id, request["PolicyArn"])
        policy["Tags"] = tags.merged_policy_tags(policy["Tags"], request["Tags"])
        svc.policies.put(caller.account_id, policy)
    return {}
