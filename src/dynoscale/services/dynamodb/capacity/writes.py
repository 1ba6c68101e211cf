"""What one item write costs, split by where the units are drawn from, and how a response reports
it.

spec 1.3.12 (DG-GSI/DG-LSI "Write capacity units"): the table write itself (1.3.6-1.3.10), plus
each affected LSI (drawn from the TABLE's provisioned write capacity) and each affected GSI (drawn
from the GSI's own). With ReturnConsumedCapacity=TOTAL, CapacityUnits includes index costs; with
INDEXES the response adds `Table` (the table's own write) and `LocalSecondaryIndexes` /
`GlobalSecondaryIndexes` maps of `{"CapacityUnits": n}` for the indexes the write touched
(MODEL ConsumedCapacity doc: "total ... along with statistics for the table and any indexes").
Transactions double everything (prepare + commit, 1.3.11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from dynoscale.services.dynamodb import indexes, items
from dynoscale.services.dynamodb.table_record import TableRecord


@dataclass
class WriteCost:
    table: float
    lsis: dict = field(default_factory=dict)   # LSI name -> units
    gsis: dict = field(default_factory=dict)   # GSI name -> units
    gsi_pks: dict = field(default_factory=dict)  # GSI name -> the entry's partition bytes

    @property
    def table_bucket_units(self) -> float:
        """What the table's write bucket and its TableName-only metric are charged."""
        return self.table + sum(self.lsis.values())

    @property
    def total(self) -> float:
        return self.table_bucket_units + sum(self.gsis.values())

    def add(self, other: "WriteCost") -> None:
        self.table += other.table
        for mine, theirs in ((self.lsis, other.lsis), (self.gsis, other.gsis)):
            for name, units in theirs.items():
                mine[name] = mine.get(name, 0.0) + units


def write_cost(table: TableRecord, storage_key: tuple, old: Optional[dict], new: Optional[dict],
               table_units: float, factor: int = 1) -> WriteCost:
    """The cost of writing `new` over `old` (None = absent) at `storage_key`; `table_units` is the
    table's own charge, already computed by the operation; `factor` is 2 in transactions."""
    cost = WriteCost(table_units)
    if not items.has_indexes(table):
        return cost
    for index, units, pk in indexes.write_units_by_index(table, storage_key, old, new):
        if index.is_global:
            cost.gsis[index.name] = units * factor
            cost.gsi_pks[index.name] = pk
        else:
            cost.lsis[index.name] = units * factor
    return cost


def _index_maps(cost: WriteCost, split: Optional[str]) -> dict:
    out: dict = {}
    for member, units_by_name in (("LocalSecondaryIndexes", cost.lsis),
                                  ("GlobalSecondaryIndexes", cost.gsis)):
        if units_by_name:
            out[member] = {name: _capacity(units, split) for name, units in units_by_name.items()}
    return out


def _capacity(units: float, split: Optional[str]) -> dict:
    return {"CapacityUnits": units, **({split: units} if split else {})}


def consumed_write_capacity(mode: Optional[str], table_name: str,
                            cost: WriteCost) -> Optional[dict]:
    """PutItem/UpdateItem/DeleteItem's `ConsumedCapacity` (spec 1.4.4, 1.3.12)."""
    if mode == "TOTAL":
        return {"TableName": table_name, "CapacityUnits": cost.total}
    if mode == "INDEXES":
        return {"TableName": table_name, "CapacityUnits": cost.total,
                "Table": {"CapacityUnits": cost.table}, **_index_maps(cost, None)}
    return None


def consumed_write_capacity_list(mode: Optional[str], costs_by_table: dict,
                                 split: Optional[str] = None) -> Optional[list]:
    """BatchWriteItem/TransactWriteItems' `ConsumedCapacity` list, one entry per table in request
    order; `split` ("WriteCapacityUnits") is filled for transactions only (spec 1.3.11 [OBS])."""
    if mode not in ("TOTAL", "INDEXES"):
        return None
    out = []
    for table_name, cost in costs_by_table.items():
        entry: dict = {"TableName": table_name, **_capacity(cost.total, split)}
        if mode == "INDEXES":
            entry["Table"] = _capacity(cost.table, split)
            entry.update(_index_maps(cost, split))
        out.append(entry)
    return out
