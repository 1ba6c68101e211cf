"""DeletePolicyVersion: the default version cannot be deleted (DeleteConflict)."""

from __future__ import annotations

from dynoscale.services.iam import errors
from dynoscale.services.iam.operations.get_policy_version import find_version


def handle(svc, caller, request: dict) -> dict:
    with svc.store.transaction():
        policy, version = find_version(svc, caller, request)
        if version["IsDefaultVersion"]:
            raise errors.default_version()
        policy["versions"].remove(version)
        svc.policies.put(caller.account_id, policy)
    return {}
