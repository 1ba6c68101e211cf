"""CreatePolicy (spec §6.7): v1 is the default version; names unique case-insensitively in the
account whatever the path ("IAM user, group, role, and policy names must be unique within the
account. Names are not distinguished by case.", botocore model doc of PolicyName)."""

from __future__ import annotations

from dynoscale.services.iam import documents, entities, errors, tags


def handle(svc, caller, request: dict) -> dict:
    name, document = request["PolicyName"], request["PolicyDocument"]
    documents.check_identity_policy(document)
    tags.POLICY.check_unique(request.get("Tags") or [])
    if documents.size(document) > documents.MANAGED_POLICY_MAX:
        raise errors.quota("PolicySize", documents.MANAGED_POLICY_MAX)
    account = caller.account_id
    with svc.store.transaction():
        if svc.policies.by_name(account, name) is not None:
            raise errors.policy_exists(name)
        policy = entities.new_policy(account, name, request.get("Path") or "/", document,
                                     svc.now(), description=request.get("Description"),
                                     tags=request.get("Tags"))
        svc.policies.put(account, policy)
    return {"Policy": entities.policy_view(policy, "create")}
