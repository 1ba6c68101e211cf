"""Capacity units from item sizes, and the ConsumedCapacity shapes of responses.

spec 1.2 (4 KB reads, halved when eventually consistent, 1 KB writes, minimum one unit),
1.3.1/1.3.6/1.3.8 (GetItem on the whole item; PutItem on max(old, new); DeleteItem on the deleted
item; missing items still cost the minimum), 1.4.4 (TOTAL/INDEXES shapes, per dynalite's tests
recorded against AWS).
"""

from __future__ import annotations

from typing import Optional

READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024


def read_units(size: int, consistent: bool) -> float:
    whole = max(1, -(-size // READ_UNIT_BYTES))
    return float(whole) if consistent else whole / 2


def write_units(size: int) -> float:
    return float(max(1, -(-size // WRITE_UNIT_BYTES)))


def consumed_capacity(mode: Optional[str], table_name: str, units: float) -> Optional[dict]:
    """The `ConsumedCapacity` member for ReturnConsumedCapacity `mode`, or None for NONE/absent."""
    if mode == "TOTAL":
        return {"TableName": table_name, "CapacityUnits": units}
    if mode == "INDEXES":
        return {"TableName": table_name, "CapacityUnits": units, "Table": {"CapacityUnits": units}}
    return None
