"""GetPolicyVersion: the version with its URL-encoded Document, of a customer-managed or an
AWS-managed policy (aws_policies.py)."""

from __future__ import annotations

from dynoscale.services.iam import entities, errors


def find_version(svc, caller, request: dict, aws_managed: bool = False) -> tuple[dict, dict]:
    """The policy and its version the request names; `aws_managed`: AWS's own policies count
    (reads only: DeletePolicyVersion and SetDefaultPolicyVersion change the policy)."""
    arn, version_id = request["PolicyArn"], request["VersionId"]
    find = svc.policies.find_any if aws_managed else svc.policies.find
    policy = find(caller.account_id, arn)
    for version in (policy or {}).get("versions", []):
        if version["VersionId"] == version_id:
            return policy, version
    raise errors.no_such_policy_version(arn, version_id)


def handle(svc, caller, request: dict) -> dict:
    _, version = find_version(svc, caller, request, aws_managed=True)
    return {"PolicyVersion": entities.version_view(version, with_document=True)}
