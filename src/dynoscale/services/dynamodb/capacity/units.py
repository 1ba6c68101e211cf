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


# -- batches and transactions (spec 1.3.2, 1.3.9, 1.3.11, 1.4.2-1.4.4) ----------------------------
TRANSACTION_FACTOR = 2  # prepare + commit: every item is read/written twice (spec 1.3.11)


def transact_read_units(size: int) -> float:
    """TransactGetItems: 2 x ceil(size / 4 KB), rounding per item before doubling; a missing
    item still costs 2 (spec 1.3.11)."""
    return TRANSACTION_FACTOR * read_units(size, True)


def transact_write_units(size: int) -> float:
    """TransactWriteItems: 2 x ceil(size / 1 KB) per action (spec 1.3.11)."""
    return TRANSACTION_FACTOR * write_units(size)


def consumed_capacity_list(mode: Optional[str], units_by_table: dict[str, float],
                           split: Optional[str] = None) -> Optional[list[dict]]:
    """The `ConsumedCapacity` list of BatchGetItem/BatchWriteItem/TransactGetItems/
    TransactWriteItems: one entry per table, in request order (spec 1.4.2, 1.4.4). `split`
    ("ReadCapacityUnits" | "WriteCapacityUnits") adds the read/write field AWS fills for
    transactional operations only (spec 1.3.11 [OBS])."""
    if mode not in ("TOTAL", "INDEXES"):
        return None
    out = []
    for table_name, units in units_by_table.items():
        entry: dict = {"TableName": table_name, "CapacityUnits": units}
        if split:
            entry[split] = units
        if mode == "INDEXES":
            entry["Table"] = {"CapacityUnits": units, **({split: units} if split else {})}
        out.append(entry)
    return out


def consumed_capacity_with_index(mode: Optional[str], table_name: str, table_units: float,
                                 index_kind: Optional[str], index_name: Optional[str],
                                 index_units: float) -> Optional[dict]:
    """Query/Scan's `ConsumedCapacity`: TOTAL sums table and index units; INDEXES adds `Table`
    (present with 0 when only the index was read) and the index under `LocalSecondaryIndexes` or
    `GlobalSecondaryIndexes` (spec 1.3.5, dynalite test/query.js recorded against AWS)."""
    if mode not in ("TOTAL", "INDEXES"):
        return None
    out: dict = {"TableName": table_name, "CapacityUnits": table_units + index_units}
    if mode == "INDEXES":
        out["Table"] = {"CapacityUnits": table_units}
        if index_kind is not None:
            out[index_kind] = {index_name: {"CapacityUnits": index_units}}
    return out
