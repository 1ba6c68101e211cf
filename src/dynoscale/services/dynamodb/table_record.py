"""The table record: what the catalogue (tables.py) keeps for each DynamoDB table and its secondary
indexes, as typed values, and their one encoding to and from the store document (kind
`dynamodb.table`, also embedded in backup documents, backups.py).

Rule 1: the document format is the one earlier versions wrote (member names, nesting, optional
members left out while unset), so stored data directories and backups load unchanged and
`to_doc(from_doc(doc)) == doc`, except that an optional member an earlier version stored as null
(`on_demand`, a GSI's `buckets`) is written back absent, which every reader takes the same way.
Rule 2: tables and GSIs share one `Throughput` (provisioned units, their change history and
pending change, burst-bucket snapshot, OnDemandThroughput caps); LSIs have none and draw on the
table's (Developer Guide, "Provisioned throughput considerations for Local Secondary Indexes").
Whether the units apply is the table's billing mode: a GSI follows its table (spec 3.5).

Small sub-documents stay plain dicts, each written by one module: `pending` (tables.py),
`buckets`, `peaks` (capacity/limiter.py; partition maps are documents of their own,
capacity/state.py), `on_demand` (MaxRead/WriteRequestUnits, capacity/limits.py),
`pitr` (update_continuous_backups.py), `restore` (restore_table_from_backup.py), `sse`
(encryption.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

DAY = 86400.0  # decrease budgets are counted per UTC day (spec 3.3)
ON_DEMAND = "PAY_PER_REQUEST"


@dataclass
class Throughput:
    """Provisioned throughput of a table or a GSI, with its own decrease budget (spec 3.3.1)."""
    read: int = 0
    write: int = 0
    last_increase: Optional[float] = None
    last_decrease: Optional[float] = None
    decreases: int = 0
    decrease_day: int = 0
    pending: Optional[dict] = None      # a change that takes effect at the next ACTIVE
    buckets: Optional[dict] = None      # direction -> TokenBucket snapshot
    on_demand: Optional[dict] = None    # OnDemandThroughput caps (spec 3.6.1)
    peaks: Optional[dict] = None        # direction -> on-demand peak (capacity/on_demand.py)

    def units(self, direction: str) -> int:
        return self.read if direction == "read" else self.write

    def described_units(self, on_demand: bool) -> tuple[int, int]:
        """(read, write) as DescribeTable shows them: on-demand reports 0/0 (spec 3.5.3)."""
        return (0, 0) if on_demand else (self.read, self.write)

    def reserved_units(self) -> tuple[int, int]:
        """(read, write) counted against the account quota: a pending change at its new value,
        unless it switches to on-demand (capacity/limits.py)."""
        pending = self.pending
        if pending and pending.get("billing") != ON_DEMAND and "read" in pending:
            return pending["read"], pending["write"]
        return self.read, self.write

    def decreases_today(self, now: float) -> int:
        return self.decreases if self.decrease_day == int(now // DAY) else 0

    @classmethod
    def from_doc(cls, doc: dict) -> "Throughput":
        return cls(read=doc.get("read") or 0, write=doc.get("write") or 0,
                   last_increase=doc.get("last_increase"), last_decrease=doc.get("last_decrease"),
                   decreases=doc.get("decreases") or 0, decrease_day=doc.get("decrease_day") or 0,
                   pending=doc.get("pending"), buckets=doc.get("buckets"),
                   on_demand=doc.get("on_demand"), peaks=doc.get("peaks"))

    def to_doc(self) -> dict[str, Any]:
        """The members earlier versions always wrote; `buckets`/`on_demand` only once set."""
        doc: dict[str, Any] = {"read": self.read, "write": self.write,
                               "last_increase": self.last_increase,
                               "last_decrease": self.last_decrease, "decreases": self.decreases,
                               "decrease_day": self.decrease_day, "pending": self.pending}
        if self.buckets is not None:
            doc["buckets"] = self.buckets
        if self.on_demand is not None:
            doc["on_demand"] = self.on_demand
        if self.peaks is not None:
            doc["peaks"] = self.peaks
        return doc


@dataclass
class Stream:
    """The table's StreamSpecification and its latest stream's label, kept when the stream is
    disabled (LatestStreamLabel/Arn, ack-api-quirks DDB-TABLE-050)."""
    enabled: bool
    view_type: str
    label: str

    @classmethod
    def from_doc(cls, doc: dict) -> "Stream":
        return cls(enabled=doc["enabled"], view_type=doc["view_type"], label=doc["label"])

    def to_doc(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "view_type": self.view_type, "label": self.label}


@dataclass
class IndexRecord:
    """A secondary index: its definition as AWS describes it, and (GSIs only) its own timed
    status and throughput. LSIs are always ACTIVE."""
    name: str
    key_schema: list
    projection: dict
    is_global: bool
    status: str = "ACTIVE"
    status_until: Optional[float] = None  # a pending timed transition (tables.py re-arms it)
    backfilling: Optional[bool] = None
    throughput: Optional[Throughput] = None
    # ItemCount / IndexSizeBytes, refreshed with the table's (items.table_stats); an LSI has
    # none until the first refresh
    item_count: Optional[int] = None
    size_bytes: Optional[int] = None
    # (GSIs) a requested WarmThroughput [read, write] and when raising it settles
    warm: Optional[list] = None
    warm_until: Optional[float] = None
    # (GSIs added by UpdateTable) [started, backfill starts, done]: the build's timeline, kept
    # until the minute it ends in has been published (index_build.py, OnlineIndex* metrics)
    build: Optional[list] = None

    def definition(self) -> dict:
        """IndexName, KeySchema and Projection, the members every index shape starts with."""
        return {"IndexName": self.name, "KeySchema": self.key_schema,
                "Projection": self.projection}

    @classmethod
    def from_doc(cls, doc: dict, is_global: bool) -> "IndexRecord":
        return cls(name=doc["IndexName"], key_schema=doc["KeySchema"],
                   projection=doc["Projection"], is_global=is_global,
                   status=doc.get("status", "ACTIVE"), status_until=doc.get("status_until"),
                   backfilling=doc.get("backfilling"),
                   throughput=Throughput.from_doc(doc) if is_global else None,
                   item_count=doc.get("item_count"), size_bytes=doc.get("size_bytes"),
                   warm=doc.get("warm"), warm_until=doc.get("warm_until"),
                   build=doc.get("build"))

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = self.definition()
        if self.warm is not None:  # written only once set, so earlier documents round-trip
            doc["warm"], doc["warm_until"] = self.warm, self.warm_until
        if self.build is not None:  # likewise written only while a build is being reported
            doc["build"] = self.build
        if self.is_global:
            doc.update(self.throughput.to_doc())
            doc.update({"status": self.status, "status_until": self.status_until,
                        "backfilling": self.backfilling})
        if self.item_count is not None:
            doc["item_count"], doc["size_bytes"] = self.item_count, self.size_bytes
        return doc


@dataclass
class TableRecord:
    name: str
    id: str
    arn: str
    created: float
    key_schema: list              # KeySchema as AWS describes it
    attribute_definitions: list   # AttributeDefinitions as AWS describes them
    billing_mode: str
    throughput: Throughput
    status: str = "CREATING"
    status_until: Optional[float] = None  # a pending timed transition (tables.py re-arms it)
    ppr_since: Optional[float] = None     # LastUpdateToPayPerRequestDateTime
    warm_read: int = 0                    # WarmThroughput: the highest units ever provisioned
    warm_write: int = 0
    deletion_protection: bool = False
    item_count: int = 0
    size_bytes: int = 0
    lsis: list[IndexRecord] = field(default_factory=list)
    gsis: list[IndexRecord] = field(default_factory=list)
    stream: Optional[Stream] = None
    pitr: Optional[dict] = None      # {enabled_at, days}
    restore: Optional[dict] = None   # {backup_arn, table_arn, at}: made by a restore
    # TableClass as last requested (None: never named, STANDARD by omission) and when an
    # UpdateTable last changed it; `sse`: encryption.py's settings (None: AWS-owned key)
    table_class: Optional[str] = None
    table_class_updated: Optional[float] = None
    sse: Optional[dict] = None
    warm_until: Optional[float] = None    # a raised WarmThroughput is UPDATING until then

    @property
    def on_demand(self) -> bool:
        return self.billing_mode == ON_DEMAND

    def indexes(self) -> list[IndexRecord]:
        """LSIs first, then GSIs, each in definition order."""
        return self.lsis + self.gsis

    def index(self, name: str) -> Optional[IndexRecord]:
        for record in self.indexes():
            if record.name == name:
                return record
        return None

    def throughput_of(self, index: Optional[str] = None) -> Optional[Throughput]:
        """The table's throughput (index None) or a GSI's; None for an LSI or an unknown name."""
        if index is None:
            return self.throughput
        record = self.index(index)
        return None if record is None else record.throughput

    def index_arn(self, index: str) -> str:
        return f"{self.arn}/index/{index}"

    @classmethod
    def from_doc(cls, doc: dict) -> "TableRecord":
        return cls(name=doc["name"], id=doc["id"], arn=doc["arn"], created=doc["created"],
                   key_schema=doc["KeySchema"], attribute_definitions=doc["AttributeDefinitions"],
                   billing_mode=doc["billing_mode"], throughput=Throughput.from_doc(doc),
                   status=doc["status"], status_until=doc.get("status_until"),
                   ppr_since=doc.get("ppr_since"), warm_read=doc.get("warm_read") or 0,
                   warm_write=doc.get("warm_write") or 0,
                   deletion_protection=bool(doc.get("deletion_protection")),
                   item_count=doc.get("item_count") or 0, size_bytes=doc.get("size_bytes") or 0,
                   lsis=[IndexRecord.from_doc(d, False) for d in doc.get("lsis") or []],
                   gsis=[IndexRecord.from_doc(d, True) for d in doc.get("gsis") or []],
                   stream=Stream.from_doc(doc["stream"]) if doc.get("stream") else None,
                   pitr=doc.get("pitr"), restore=doc.get("restore"),
                   table_class=doc.get("table_class"),
                   table_class_updated=doc.get("table_class_updated"), sse=doc.get("sse"),
                   warm_until=doc.get("warm_until"))

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "name": self.name, "id": self.id, "created": self.created, "arn": self.arn,
            "KeySchema": self.key_schema, "AttributeDefinitions": self.attribute_definitions,
            "billing_mode": self.billing_mode, "ppr_since": self.ppr_since,
            **self.throughput.to_doc(),
            "warm_read": self.warm_read, "warm_write": self.warm_write,
            "deletion_protection": self.deletion_protection,
            "item_count": self.item_count, "size_bytes": self.size_bytes,
            "lsis": [i.to_doc() for i in self.lsis], "gsis": [i.to_doc() for i in self.gsis],
            "stream": self.stream.to_doc() if self.stream is not None else None,
            "pitr": self.pitr,
            "status": self.status, "status_until": self.status_until,
        }
        doc.setdefault("buckets", None)  # a table record always carried the member
        if self.restore is not None:
            doc["restore"] = self.restore
        # members added later are written only once set, so earlier documents round-trip
        for member in ("table_class", "table_class_updated", "sse", "warm_until"):
            if getattr(self, member) is not None:
                doc[member] = getattr(self, member)
        return doc
