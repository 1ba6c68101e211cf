"""ListPolicyVersions: newest first, without documents."""

from __future__ import annotations

from dynoscale.services.iam import entities, paging


def handle(svc, caller, request: dict) -> dict:
    policy = svc.policies.require_any(caller.account_id, request["PolicyArn"])
    versions = [entities.version_view(v, with_document=False) for v in reversed(policy["versions"])]
    return paging.page("Versions", versions, request)
