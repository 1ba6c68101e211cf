"""DeletePolicy (spec §6.12): refused while attached, and while non-default versions exist
("This policy has more than one version. ..."; the default version goes with the policy)."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        policy = svc.policies.require(caller.account_id, request["PolicyArn"])
        if policy["AttachmentCount"] > 0 or policy["PermissionsBoundaryUsageCount"] > 0:
            raise errors.policy_attached()
        if len(policy["versions"]) > 1:
            raise errors.policy_has_versions()
        svc.policies.delete(caller.account_id, policy["PolicyName"])
    return {}
