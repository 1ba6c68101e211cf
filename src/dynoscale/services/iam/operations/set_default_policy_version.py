"""SetDefaultPolicyVersion: makes an existing version the default, the others not (LocalStack
snapshot tests/aws/services/iam/test_iam_policies.snapshot.json::test_policy_version_set_default,
test_policy_version_errors, recorded against AWS: an unknown policy or version is NoSuchEntity
"Policy <arn> version <id> does not exist or is not attachable."). UpdateDate is untouched: it is
the newest version's creation time (botocore model doc of Policy.UpdateDate)."""

from __future__ import annotations

from dynoscale.services.iam.operations.get_policy_version import find_version


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        policy, version = find_version(svc, caller, request)
        for other in policy["versions"]:
            other["IsDefaultVersion"] = other is version
        policy["DefaultVersionId"] = version["VersionId"]
        svc.policies.put(caller.account_id, policy)
    return {}
