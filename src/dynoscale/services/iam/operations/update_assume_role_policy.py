"""UpdateAssumeRolePolicy: replaces a role's trust policy (same checks as CreateRole)."""

from __future__ import annotations

from dynoscale.services.iam import documents, errors


def handle(svc, caller, request: dict) -> dict:
    trust = request["PolicyDocument"]
    documents.check_trust_policy(trust)
    if documents.size(trust) > documents.TRUST_POLICY_MAX:
        raise errors.quota("ACLSizePerRole", documents.TRUST_POLICY_MAX)
    with svc.store.transaction():
        role = svc.roles.require_modifiable(caller.account_id, request["RoleName"])
        role["AssumeRolePolicyDocument"] = trust
        svc.roles.put(caller.account_id, role)
    return {}
