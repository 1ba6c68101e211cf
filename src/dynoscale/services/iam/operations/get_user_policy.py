"""GetUserPolicy: the inline policy, document URL-encoded as GetRolePolicy's."""

from __future__ import annotations

from dynoscale.services.iam import documents, errors


def handle(svc, caller, request: dict) -> dict:
    user = svc.users.require(caller.account_id, request["UserName"])
    policy = user["inline"].get(request["PolicyName"].lower())
    if policy is None:
        raise errors.no_such_user_policy(request["PolicyName"])
    return {"UserName": user["UserName"], "PolicyName": policy["PolicyName"],
            "PolicyDocument": documents.encode(policy["PolicyDocument"])}
