"""GetPolicyVersion: the version with its URL-encoded Document."""

from __future__ import annotations

from dynoscale.services.iam import entities, errors


def find_version(svc, caller, request: dict) -> tuple[dict, dict]:
    arn, version_id = request["PolicyArn"], request["VersionId"]
    policy = svc.policies.find(caller.account_id, arn)
    for version in (policy or {}).get("versions", []):
        if version["VersionId"] == version_id:
            return policy, version
    raise errors.no_such_policy_version(arn, version_id)


def handle(svc, caller, request: dict) -> dict:
    _, version = find_version(svc, caller, request)
    return {"PolicyVersion": entities.version_view(version, with_document=True)}
