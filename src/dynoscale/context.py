"""Caller: who is asking, where, and under which request id. Passed to every operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Caller:
    account_id: str
    region: str
    request_id: str = ""
    access_key: Optional[str] = None
    # Set for internal calls made on behalf of a role (auto scaling acting on a table).
    principal_arn: Optional[str] = None
    # The server's own base URL as the client reached it (for DescribeEndpoints).
    endpoint: str = ""

    @property
    def scope(self) -> str:
        """Storage scope of regional resources."""
        return f"{self.account_id}/{self.region}"
