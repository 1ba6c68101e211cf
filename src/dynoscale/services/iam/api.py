"""The port other services use to reach IAM (in-process)."""

from __future__ import annotations

import enum
from typing import Any, Mapping, Optional


class Decision(enum.Enum):
    """What IAM's policies say of one request (evaluate.py)."""
    ALLOW = "allow"
    IMPLICIT_DENY = "implicit"   # no statement allows it
    EXPLICIT_DENY = "explicit"   # a Deny statement matches
    # The identity policies allow it but another type of policy does not (policy_sets.py):
    BOUNDARY_IMPLICIT_DENY = "boundary-implicit"   # the permissions boundary allows it not
    BOUNDARY_EXPLICIT_DENY = "boundary-explicit"   # ... denies it
    SESSION_IMPLICIT_DENY = "session-implicit"     # no session policy allows it
    SESSION_EXPLICIT_DENY = "session-explicit"     # a session policy denies it
    # The resource's policy decided it (resource_based.py):
    RESOURCE_IMPLICIT_DENY = "resource-implicit"   # across accounts, it does not allow it
    RESOURCE_EXPLICIT_DENY = "resource-explicit"   # it denies it

    @property
    def explicit(self) -> bool:
        """A Deny statement decided it (nothing can grant it then)."""
        return self.value.endswith("explicit")


class IamApi:
    """Implemented by the IAM service (services/iam/service.py)."""

    def get_role(self, account_id: str, role_name: str) -> Optional[dict[str, Any]]:
        """The Role dict (GetRole output shape) or None."""
        raise NotImplementedError

    def ensure_service_linked_role(self, account_id: str, aws_service_name: str,
                                   role_name: str) -> str:
        """Create the service-linked role if missing (as AWS does on first use); return its ARN.
        Path `/aws-service-role/<aws_service_name>/`."""
        raise NotImplementedError

    def access_key(self, key_id: str) -> Optional[dict[str, Any]]:
        """An IAM user's access key: {secret, active, account, UserName, UserId, Arn, Tags (the
        user's)}; None if there is no such key."""
        raise NotImplementedError

    def trust_policy(self, account_id: str, role_name: str) -> Optional[str]:
        """The role's trust policy (JSON text), None if there is no such role."""
        raise NotImplementedError

    def decide(self, principal, action: str, resource: str, context: Mapping[str, Any],
               resource_policy: Optional[str] = None) -> Decision:
        """The decision of the principal's identity-based policies (a user's, or an assumed
        role's), together with `resource_policy` when given, for one action on one resource
        (resource_based.py). The account root's identity allows everything; a resource policy's
        explicit Deny still applies to it."""
        raise NotImplementedError

    def trusts(self, account_id: str, role_name: str, principal,
               context: Mapping[str, Any], action: str = "sts:AssumeRole") -> bool:
        """Whether the role's trust policy lets `principal` call `action` on it (sts:AssumeRole,
        sts:TagSession)."""
        raise NotImplementedError

    def check_session_policy(self, document: str) -> None:
        """Raise MalformedPolicyDocument as IAM does for an identity policy (AssumeRole's Policy
        is checked by the same rules)."""
        raise NotImplementedError

    def record_key_use(self, key_id: str, service: str, region: str) -> None:
        """An IAM user's access key signed an accepted request (GetAccessKeyLastUsed)."""
        raise NotImplementedError

    def user_tags(self, account_id: str, user_name: str) -> list[dict[str, str]]:
        """The user's tags ([] if there is no such user): its aws:PrincipalTag keys."""
        raise NotImplementedError
