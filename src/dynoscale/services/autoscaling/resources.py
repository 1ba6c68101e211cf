"""What a DynamoDB scalable target points at, and how to read its capacity.

Rules (spec §1.3.2-1.3.4, 1.4.5, 2.2.3):
- `dynamodb:table:*` dimensions go with ResourceId `table/<name>`; `dynamodb:index:*` with
  `table/<name>/index/<index>`. Anything else (another namespace's dimension, a dynamodb dimension
  with a non-dynamodb namespace, a malformed id) is `Unsupported service namespace, resource type
  or scalable dimension`. Only DynamoDB is emulated, so other namespaces get the same answer.
- A target's capacity is read from DescribeTable through the DynamoDB port: the table's
  ProvisionedThroughput, or the named GSI's.
- Metrics are published per table with dimension TableName, and per GSI with TableName plus
  GlobalSecondaryIndexName.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.autoscaling import errors
from dynoscale.services.dynamodb.api import DynamoDBApi

NAMESPACE = "dynamodb"
# dimension -> (resource kind, capacity direction)
DIMENSIONS = {
    "dynamodb:table:ReadCapacityUnits": ("table", "Read"),
    "dynamodb:table:WriteCapacityUnits": ("table", "Write"),
    "dynamodb:index:ReadCapacityUnits": ("index", "Read"),
    "dynamodb:index:WriteCapacityUnits": ("index", "Write"),
}
_NAME = r"[a-zA-Z0-9_.-]{3,255}"
_TABLE_ID = re.compile(rf"^table/({_NAME})$")
_INDEX_ID = re.compile(rf"^table/({_NAME})/index/({_NAME})$")


@dataclass(frozen=True)
class Resource:
    resource_id: str
    table: str
    index: Optional[str]
    direction: str  # "Read" | "Write"

    @property
    def units_member(self) -> str:
        return f"{self.direction}CapacityUnits"

    def metric_dimensions(self) -> list[dict[str, str]]:
        dims = [{"Name": "TableName", "Value": self.table}]
        if self.index:
            dims.append({"Name": "GlobalSecondaryIndexName", "Value": self.index})
        return dims


def parse(namespace: str, resource_id: str, dimension: str) -> Resource:
    """The resource a (namespace, id, dimension) triple names, or `unsupported_target`."""
    kind_direction = DIMENSIONS.get(dimension)
    if namespace != NAMESPACE or kind_direction is None:
        raise errors.unsupported_target()
    kind, direction = kind_direction
    if kind == "table":
        m = _TABLE_ID.match(resource_id)
        if m:
            return Resource(resource_id, m.group(1), None, direction)
    else:
        m = _INDEX_ID.match(resource_id)
        if m:
            return Resource(resource_id, m.group(1), m.group(2), direction)
    raise errors.unsupported_target()


@dataclass(frozen=True)
class Capacity:
    status: str  # TableStatus or IndexStatus
    units: int   # the provisioned units of the target's direction
    changed: Optional[float] = None  # the last increase or decrease, by anyone (epoch seconds)


def _last_change(throughput: dict[str, Any]) -> Optional[float]:
    times = [throughput.get(k) for k in ("LastIncreaseDateTime", "LastDecreaseDateTime")]
    times = [t.timestamp() if hasattr(t, "timestamp") else float(t) for t in times if t is not None]
    return max(times) if times else None


def read_capacity(dynamodb: DynamoDBApi, caller: Caller, resource: Resource) -> Capacity:
    """Current status and provisioned units, or ValidationException if the table/index is gone."""
    try:
        table = dynamodb.describe_table(caller, resource.table)
    except AwsError as e:
        if e.code == "ResourceNotFoundException":
            raise errors.table_not_found(f"table/{resource.table}") from None
        raise
    return capacity_of(table, resource)


def capacity_of(table: dict[str, Any], resource: Resource) -> Capacity:
    if resource.index is None:
        throughput = table.get("ProvisionedThroughput") or {}
        return Capacity(table.get("TableStatus", "ACTIVE"),
                        int(throughput.get(resource.units_member, 0)), _last_change(throughput))
    for gsi in table.get("GlobalSecondaryIndexes") or []:
        if gsi.get("IndexName") == resource.index:
            throughput = gsi.get("ProvisionedThroughput") or {}
            return Capacity(gsi.get("IndexStatus", "ACTIVE"),
                            int(throughput.get(resource.units_member, 0)),
                            _last_change(throughput))
    raise errors.index_not_found(resource.resource_id)
