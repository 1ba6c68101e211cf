"""GetPolicy: NoSuchEntity "Policy <arn> was not found."; InvalidInput for a malformed ARN."""

from __future__ import annotations

from dynoscale.services.iam import entities


def handle(svc, caller, request: dict) -> dict:
    policy = svc.policies.require_any(caller.account_id, request["PolicyArn"])
    return {"Policy": entities.policy_view(policy, "get")}
