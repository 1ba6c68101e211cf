"""DetachRolePolicy (spec §6.11): NoSuchEntity "Policy <arn> was not found." when the policy is
not attached to the role."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    arn = request["PolicyArn"]
    with svc.store.transaction():
        role = svc.roles.require_modifiable(caller.account_id, request["RoleName"])
        policy = svc.policies.find(caller.account_id, arn)
        attached = next((a for a in role["attached"] if a.lower() == arn.lower()), None)
        if attached is None:
            raise errors.no_such_policy(arn)
        role["attached"].remove(attached)
        svc.roles.put(caller.account_id, role)
        if policy is not None:
            policy["AttachmentCount"] = max(0, policy["AttachmentCount"] - 1)
            svc.policies.put(caller.account_id, policy)
    return {}
