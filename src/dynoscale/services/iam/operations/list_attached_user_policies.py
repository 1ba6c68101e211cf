"""ListAttachedUserPolicies: {PolicyName, PolicyArn} in attach order, PathPrefix, paged."""

from __future__ import annotations

from dynoscale.services.iam import ids, paging


def handle(svc, caller, request: dict) -> dict:
    user = svc.users.require(caller.account_id, request["UserName"])
    prefix = request.get("PathPrefix") or "/"
    attached = []
    for arn in user["attached"]:
        parsed = ids.parse_policy_arn(arn)
        if parsed and parsed.path.startswith(prefix):
            attached.append({"PolicyName": parsed.name, "PolicyArn": arn})
    return paging.page("AttachedPolicies", attached, request)
