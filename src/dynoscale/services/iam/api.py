"""The port other services use to reach IAM (in-process)."""

from __future__ import annotations

from typing import Any, Optional


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
