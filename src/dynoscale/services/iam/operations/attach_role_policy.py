"""AttachRolePolicy (spec §6.8): the role must exist, the policy must exist and be attachable;
attaching again is a no-op; AttachmentCount counts roles."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    arn = request["PolicyArn"]
    with svc.store.transaction():
        role = svc.roles.require_modifiable(caller.account_id, request["RoleName"])
        policy = svc.policies.find(caller.account_id, arn)
        if policy is None or not policy["IsAttachable"]:
            raise errors.not_attachable(arn)
        if policy["Arn"] in role["attached"]:
            return {}
        role["attached"].append(policy["Arn"])
        policy["AttachmentCount"] += 1
        svc.roles.put(caller.account_id, role)
        svc.policies.put(caller.account_id, policy)
    return {}
