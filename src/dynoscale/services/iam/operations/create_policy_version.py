"""CreatePolicyVersion: at most 5 versions per managed policy (LimitExceeded); SetAsDefault makes
the new one the default. UpdateDate is the newest version's creation time (model doc of
Policy.UpdateDate). The response carries no Document."""

from __future__ import annotations

from dynoscale.services.iam import documents, entities, errors

MAX_VERSIONS = 5


def handle(svc, caller, request: dict) -> dict:
    document = request["PolicyDocument"]
    documents.check_identity_policy(document)
    if documents.size(document) > documents.MANAGED_POLICY_MAX:
        raise errors.quota("PolicySize", documents.MANAGED_POLICY_MAX)
    with svc.store.transaction():
        policy = svc.policies.require(caller.account_id, request["PolicyArn"])
        if len(policy["versions"]) >= MAX_VERSIONS:
            raise errors.too_many_versions(MAX_VERSIONS)
        now = svc.now()
        version = {"VersionId": f"v{policy['next_version']}", "Document": document,
                   "IsDefaultVersion": bool(request.get("SetAsDefault")), "CreateDate": now}
        if version["IsDefaultVersion"]:
            for old in policy["versions"]:
                old["IsDefaultVersion"] = False
            policy["DefaultVersionId"] = version["VersionId"]
        policy["versions"].append(version)
        policy["next_version"] += 1
        policy["UpdateDate"] = now
        svc.policies.put(caller.account_id, policy)
    return {"PolicyVersion": entities.version_view(version, with_document=False)}
