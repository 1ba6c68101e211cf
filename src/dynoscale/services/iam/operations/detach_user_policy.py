"""DetachUserPolicy: NoSuchEntity "Policy <arn> was not found." when not attached."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    arn = request["PolicyArn"]
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, request["UserName"])
        policy = svc.policies.find(caller.account_id, arn)
        attached = next((a for a in user["attached"] if a.lower() == arn.lower()), None)
        if attached is None:
            raise errors.no_such_policy(arn)
        user["attached"].remove(attached)
        svc.users.put(caller.account_id, user)
        if policy is not None:
            policy["AttachmentCount"] = max(0, policy["AttachmentCount"] - 1)
            svc.policies.put(caller.account_id, policy)
    return {}
