"""Caller: who is asking, where, and under which request id. Passed to every operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


class Usage:
    """What one request consumed, for the request log (server/request_log.py): capacity units
    charged, whether it was throttled, the tables it touched. Attached to the request's Caller
    only while the log is on (`--log-level info`); domain code reports to it when it is there."""

    __slots__ = ("units", "throttled", "tables")

    def __init__(self) -> None:
        self.units = 0.0
        self.throttled = False
        self.tables: list[str] = []

    def consumed(self, table: str, units: float) -> None:
        self.units += units
        if table not in self.tables:
            self.tables.append(table)

    def throttle(self, table: str) -> None:
        self.throttled = True
        if table not in self.tables:
            self.tables.append(table)


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
    # The request log's account of this request (None unless the log is on).
    usage: Optional[Usage] = None

    @property
    def scope(self) -> str:
        """Storage scope of regional resources."""
        return f"{self.account_id}/{self.region}"
