"""PutRolePolicy: adds or replaces an inline policy. Inline policies of one role may total 10,240
non-whitespace characters (IAM quotas page)."""

from __future__ import annotations

from dynoscale.services.iam import documents, errors


def handle(svc, caller, request: dict) -> dict:
    name, document = request["PolicyName"], request["PolicyDocument"]
    documents.check_identity_policy(document)
    with svc.store.transaction():
        role = svc.roles.require_modifiable(caller.account_id, request["RoleName"])
        inline = role["inline"]
        # A name differing only in case replaces the existing policy but the new spelling is kept.
        inline[name.lower()] = {"PolicyName": name, "PolicyDocument": document}
        total = sum(documents.size(p["PolicyDocument"]) for p in inline.values())
        if total > documents.ROLE_INLINE_TOTAL_MAX:
            raise errors.inline_size(role["RoleName"], documents.ROLE_INLINE_TOTAL_MAX)
        svc.roles.put(caller.account_id, role)
    return {}
