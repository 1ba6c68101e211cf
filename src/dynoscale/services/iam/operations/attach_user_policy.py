"""AttachUserPolicy: as AttachRolePolicy; AttachmentCount counts users too."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    arn = request["PolicyArn"]
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, request["UserName"])
        policy = svc.policies.find(caller.account_id, arn)
        if policy is None or not policy["IsAttachable"]:
            raise errors.not_attachable(arn)
        if policy["Arn"] in user["attached"]:
            return {}
        user["attached"].append(policy["Arn"])
        policy["AttachmentCount"] += 1
        svc.users.put(caller.account_id, user)
        svc.policies.put(caller.account_id, policy)
    return {}
