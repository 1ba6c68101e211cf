"""CreateRole (spec §6.3): trust policy checked, name unique case-insensitively; an optional
PermissionsBoundary (boundaries.py) counts as a use of its policy."""

from __future__ import annotations

from dynoscale.services.iam import boundaries, documents, entities, errors, tags


def handle(svc, caller, request: dict) -> dict:
    name = request["RoleName"]
    trust = request["AssumeRolePolicyDocument"]
    documents.check_trust_policy(trust)
    if documents.size(trust) > documents.TRUST_POLICY_MAX:
        raise errors.quota("ACLSizePerRole", documents.TRUST_POLICY_MAX)
    boundary = request.get("PermissionsBoundary")
    new_tags = request.get("Tags") or []
    tags.ROLE.check_unique(new_tags)
    account = caller.account_id
    with svc.store.transaction():
        if svc.roles.get(account, name) is not None:
            raise errors.role_exists(name)
        policy = boundaries.find(svc.policies, account, boundary) if boundary else None
        role = entities.new_role(account, name, request.get("Path") or "/", trust, svc.now(),
                                 description=request.get("Description"),
                                 max_session=request.get("MaxSessionDuration") or 3600,
                                 tags=new_tags)
        if policy is not None:
            boundaries.apply(svc.policies, account, role, policy)
        svc.roles.put(account, role)
    return {"Role": entities.role_view(role, "create")}
