"""GetRolePolicy: the inline policy, document URL-encoded (spec §6.5)."""

from __future__ import annotations

from dynoscale.services.iam import documents, errors


def handle(svc, caller, request: dict) -> dict:
    role = svc.roles.require(caller.account_id, request["RoleName"])
    policy = role["inline"].get(request["PolicyName"].lower())
    if policy is None:
        raise errors.no_such_role_policy(request["PolicyName"])
    return {"RoleName": role["RoleName"], "PolicyName": policy["PolicyName"],
            "PolicyDocument": documents.encode(policy["PolicyDocument"])}
