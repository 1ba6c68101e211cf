"""The port other services use to reach DynamoDB (in-process, never over HTTP).

Application Auto Scaling reads a table's (or GSI's) provisioned capacity and changes it here,
through the same domain code as DescribeTable and UpdateTable, so the same rules and errors apply.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from dynoscale.context import Caller

# (account_id, region, table_name, index_name or None, read units, write units), called when a
# provisioned-throughput change has become effective (the table or index is ACTIVE again).
CapacityListener = Callable[[str, str, str, Optional[str], int, int], None]


class DynamoDBApi:
    """Implemented by the DynamoDB service (services/dynamodb/service.py)."""

    def describe_table(self, caller: Caller, table_name: str) -> dict[str, Any]:
        """The `Table` member of DescribeTable's output. Raises ResourceNotFoundException."""
        raise NotImplementedError

    def update_provisioned_throughput(self, caller: Caller, table_name: str,
                                      index_name: Optional[str] = None,
                                      read_units: Optional[int] = None,
                                      write_units: Optional[int] = None) -> dict[str, Any]:
        """Change provisioned capacity exactly as UpdateTable would (an omitted direction keeps
        its current value). Returns the TableDescription. Raises UpdateTable's AwsErrors."""
        raise NotImplementedError

    def add_capacity_listener(self, listener: CapacityListener) -> None:
        raise NotImplementedError

    def recent_seconds(self, caller: Caller, table_name: str, index_name: Optional[str],
                       start: int, end: int) -> dict[str, Any]:
        """For Dynoscale's dashboard (no AWS API shows it): each whole second in [start, end)
        of the last five simulated minutes (capacity/seconds.py), per direction ("read",
        "write"): {"consumed": units charged that second (None: no request charged or throttled
        then), "throttleEvents": count,
        "provisioned": the provisioned rate in force that second or None (no request then, or
        on demand)}. Seconds older than the last five minutes read as without requests."""
        raise NotImplementedError
