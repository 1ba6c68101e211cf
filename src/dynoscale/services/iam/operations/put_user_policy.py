"""PutUserPolicy: adds or replaces a user's inline policy; a user's inline policies may total
2,048 non-whitespace characters (IAM quotas page)."""

from __future__ import annotations

from dynoscale.services.iam import documents, errors


def handle(svc, caller, request: dict) -> dict:
    name, document = request["PolicyName"], request["PolicyDocument"]
    documents.check_identity_policy(document)
    with svc.store.transaction():
        user = svc.users.require(caller.account_id, request["UserName"])
        inline = user["inline"]
        inline[name.lower()] = {"PolicyName": name, "PolicyDocument": document}
        total = sum(documents.size(p["PolicyDocument"]) for p in inline.values())
        if total > documents.USER_INLINE_TOTAL_MAX:
            raise errors.quota("UserPolicySize", documents.USER_INLINE_TOTAL_MAX)
        svc.users.put(caller.account_id, user)
    return {}
