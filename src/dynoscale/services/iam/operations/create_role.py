"""CreateRole (spec §6.3): trust policy checked, name unique case-insensitively."""

from __future__ import annotations

from dynoscale.services.iam import documents, entities, errors


def handle(svc, caller, request: dict) -> dict:
    name = request["RoleName"]
    trust = request["AssumeRolePolicyDocument"]
    documents.check_trust_policy(trust)
    if documents.size(trust) > documents.TRUST_POLICY_MAX:
        raise errors.quota("ACLSizePerRole", documents.TRUST_POLICY_MAX)
    boundary = request.get("PermissionsBoundary")
    tags = request.get("Tags") or []
    _check_tags(tags)
    account = caller.account_id
    with svc.store.transaction():
        if svc.roles.get(account, name) is not None:
            raise errors.role_exists(name)
        if boundary is not None and svc.policies.find(account, boundary) is None:
            raise errors.no_such_boundary(boundary)
        role = entities.new_role(account, name, request.get("Path") or "/", trust, svc.now(),
                                 description=request.get("Description"),
                                 max_session=request.get("MaxSessionDuration") or 3600,
                                 boundary=boundary, tags=tags)
        svc.roles.put(account, role)
    return {"Role": entities.role_view(role, "create")}


def _check_tags(tags: list) -> None:
    keys = [t["Key"].lower() for t in tags]
    if len(keys) != len(set(keys)):
        # Tag keys are case-insensitive in IAM [inferred from the IAM tagging guide].
        raise errors.invalid_input("Duplicate tag keys found. Please note that Tag keys are "
                                   "case insensitive.")
