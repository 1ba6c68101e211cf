"""The port other parts of Dynoscale use to reach STS (in-process)."""

from __future__ import annotations

from typing import Any, Optional


class StsApi:
    """Implemented by the STS service (services/sts/service.py)."""

    def session(self, access_key: str) -> Optional[dict[str, Any]]:
        """The session AssumeRole issued this temporary access key for: Account, UserId, Arn,
        Expiration, SecretAccessKey, SessionToken, RoleName, RoleSessionName; None if unknown."""
        raise NotImplementedError
