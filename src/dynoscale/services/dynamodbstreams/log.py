"""The stream log: streams, their shards and their records, in the store.

AWS facts (DynamoDB Developer Guide, "Change data capture for DynamoDB Streams",
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html, and the Streams API
Reference): records are kept 24 hours, then trimmed; a stream's records are organised in shards
that close and are followed by child shards (ParentShardId); a disabled stream (or the stream of a
deleted table) stays readable for 24 hours; sequence numbers increase within a stream and are 21
to 40 digits (model shape SequenceNumber: min 21, max 40; the API Reference's sample records show
`300000000000000499659`). Shard ids look like `shardId-00000001414576573621-f55eea83` (the API
Reference's DescribeStream sample).

A shard's StartingSequenceNumber is its own: no record carries it, the first record has the next
one (records' sequence numbers are greater than their shard's starting number and at most its
ending number, as clients expect: localstack PR #3159). So AT_SEQUENCE_NUMBER and
AFTER_SEQUENCE_NUMBER with the StartingSequenceNumber of a shard both start at its first record
(scylladb's test_get_shard_iterator and test_streams_starting_sequence_number, run against AWS),
and a closed shard always has an EndingSequenceNumber, even when it holds no record (scylladb's
test_streams_disabled_stream: every shard of a disabled stream has one).

Dynoscale's stream has one open shard at a time; it rolls over every ROLL_SECONDS of simulated time
(AWS rolls shards roughly every four hours), so lineage-walking consumers are exercised while the
number of shards stays small (at most one per roll period within the retention window, plus one).
Rolling, trimming and expiry run in `maintain()`, a scheduler job outside any write's transaction,
so a write that rolls back can never take a shard change with it.

Storage: one document per stream (kind `dynamodbstreams.stream`, id = stream ARN) with its shards;
records in the items collection under `stream:<stream id>`, partition = shard id, sort = the
8-byte big-endian sequence, so reading from a position is a range scan, never a scan from the
start. A record is stored as `[created_at, record]` (record in wire form, without the time).
Creation times grow with sequence numbers, so the trim horizon and a timestamp's position are
found by bisecting the shard's sequence range with one-row probes (`_bisect`), not by scanning.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import Any, Optional

import orjson

from dynoscale.clock import Clock
from dynoscale.storage.interface import Store

KIND = "dynamodbstreams.stream"
RETENTION = 24 * 3600.0
ROLL_SECONDS = 4 * 3600.0
SEQUENCE_BASE = 10 ** 20     # wire sequence numbers: 21 digits
_SEQ = struct.Struct(">Q")


def wire_sequence(n: int) -> str:
    return str(SEQUENCE_BASE + n)


def parse_sequence(text: str) -> Optional[int]:
    """The internal sequence of a wire sequence number; None when it is not one of ours."""
    if not text.isdigit() or len(text) < 21 or len(text) > 40:
        return None
    n = int(text) - SEQUENCE_BASE
    return n if 0 <= n < 2 ** 63 else None


@dataclass
class Shard:
    id: str
    parent: Optional[str]
    created: float
    start: int                 # the shard's StartingSequenceNumber; its records follow it
    end: Optional[int] = None  # last sequence, once closed (start: closed empty)

    @property
    def is_open(self) -> bool:
        return self.end is None

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.id, "parent": self.parent, "created": self.created, "start": self.start,
                "end": self.end}

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> "Shard":
        return cls(d["id"], d["parent"], d["created"], d["start"], d["end"])


@dataclass
class Stream:
    arn: str
    label: str
    table_name: str
    key_schema: list
    view_type: str
    created: float
    ready_at: float                       # ENABLING until then
    storage: str                          # items collection of its records
    shards: list[Shard]
    disabled_at: Optional[float] = None   # DISABLING from then until disabled_ready_at
    disabled_ready_at: Optional[float] = None

    def status(self, now: float) -> str:
        if self.disabled_at is not None:
            return "DISABLING" if now < (self.disabled_ready_at or 0.0) else "DISABLED"
        return "ENABLING" if now < self.ready_at else "ENABLED"

    def shard(self, shard_id: str) -> Optional[Shard]:
        return next((s for s in self.shards if s.id == shard_id), None)

    @property
    def open_shard(self) -> Optional[Shard]:
        last = self.shards[-1] if self.shards else None
        return last if last is not None and last.is_open else None

    def to_doc(self) -> dict[str, Any]:
        return {"arn": self.arn, "label": self.label, "table_name": self.table_name,
                "key_schema": self.key_schema, "view_type": self.view_type,
                "created": self.created, "ready_at": self.ready_at, "storage": self.storage,
                "shards": [s.to_doc() for s in self.shards], "disabled_at": self.disabled_at,
                "disabled_ready_at": self.disabled_ready_at}

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> "Stream":
        return cls(d["arn"], d["label"], d["table_name"], d["key_schema"], d["view_type"],
                   d["created"], d["ready_at"], d["storage"],
                   [Shard.from_doc(s) for s in d["shards"]], d.get("disabled_at"),
                   d.get("disabled_ready_at"))


class StreamLog:
    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.clock = clock
        # stream ARN -> (scope, stream, next sequence): the open streams' appends read no document.
        self._open: dict[str, tuple[str, Stream, int]] = {}

    # -- streams ---------------------------------------------------------------------------------
    def get(self, scope: str, arn: str) -> Optional[Stream]:
        """The stream; None when unknown or gone (disabled more than the retention ago)."""
        doc = self.store.get_doc(KIND, scope, arn)
        if doc is None:
            return None
        stream = Stream.from_doc(doc)
        return None if self._gone(stream) else stream

    def list(self, scope: str) -> list[Stream]:
        streams = [Stream.from_doc(d) for _, _, d in self.store.list_docs(KIND, scope)]
        return [s for s in streams if not self._gone(s)]

    def open(self, scope: str, arn: str, label: str, table_name: str, key_schema: list,
             view_type: str, ready_in: float) -> Stream:
        now = self.clock.now()
        first = Shard(_shard_id(now), None, now, 1)
        stream = Stream(arn, label, table_name, key_schema, view_type, now, now + ready_in,
                        os.urandom(8).hex(), [first])
        self._save(scope, stream)
        return stream

    def close(self, scope: str, arn: str, ready_in: float) -> None:
        stream = self.get(scope, arn)
        if stream is None or stream.disabled_at is not None:
            return
        now = self.clock.now()
        nxt = self._next(scope, stream)
        shard = stream.open_shard
        if shard is not None:
            shard.end = nxt - 1
        stream.disabled_at, stream.disabled_ready_at = now, now + ready_in
        self._open.pop(arn, None)
        self._save(scope, stream)

    def _gone(self, stream: Stream) -> bool:
        return (stream.disabled_at is not None
                and self.clock.now() >= stream.disabled_at + RETENTION)

    def _save(self, scope: str, stream: Stream) -> None:
        self.store.put_doc(KIND, scope, stream.arn, stream.to_doc())
        cached = self._open.get(stream.arn)
        if cached is not None:
            shard = stream.open_shard
            nxt = max(cached[2], shard.start + 1) if shard is not None else cached[2]
            self._open[stream.arn] = (scope, stream, nxt)

    def _roll_if_due(self, scope: str, stream: Stream) -> bool:
        """Close the open shard once it is ROLL_SECONDS old and open its child."""
        shard = stream.open_shard
        now = self.clock.now()
        if shard is None or now < shard.created + ROLL_SECONDS:
            return False
        nxt = self._next(scope, stream)
        shard.end = nxt - 1
        # The child opens when the parent closed (on the roll period), not at this call.
        opened = shard.created + ROLL_SECONDS * ((now - shard.created) // ROLL_SECONDS)
        stream.shards.append(Shard(_shard_id(opened), shard.id, opened, nxt))
        self._trim_shards(stream)
        return True

    def _trim_shards(self, stream: Stream) -> None:
        """Forget closed shards that closed more than the retention ago (all their records
        are trimmed)."""
        cutoff = self.clock.now() - RETENTION
        keep = []
        for i, shard in enumerate(stream.shards):
            child = stream.shards[i + 1] if i + 1 < len(stream.shards) else None
            if not shard.is_open and child is not None and child.created < cutoff:
                for _, sk, _ in self.store.scan_items(stream.storage, shard.id.encode()):
                    self.store.delete_item(stream.storage, shard.id.encode(), sk)
                continue
            keep.append(shard)
        stream.shards = keep

    def _next(self, scope: str, stream: Stream) -> int:
        """The next sequence of the stream: after the open shard's last record."""
        cached = self._open.get(stream.arn)
        if cached is not None:
            return cached[2]
        shard = stream.shards[-1]
        last = next(self.store.scan_items(stream.storage, shard.id.encode(), reverse=True, limit=1),
                    None)
        nxt = _SEQ.unpack(last[1])[0] + 1 if last is not None else shard.start + 1
        if shard.end is not None:
            nxt = max(nxt, shard.end + 1)
        return nxt

    # -- records ---------------------------------------------------------------------------------
    def append(self, scope: str, arn: str, record: dict[str, Any]) -> None:
        cached = self._open.get(arn)
        if cached is None:
            stream = self.get(scope, arn)
            if stream is None or stream.disabled_at is not None:
                return
            cached = (scope, stream, self._next(scope, stream))
        _, stream, seq = cached
        shard = stream.open_shard
        if shard is None:
            return
        now = self.clock.now()
        record["dynamodb"]["SequenceNumber"] = wire_sequence(seq)
        self.store.put_item(stream.storage, shard.id.encode(), _SEQ.pack(seq),
                            orjson.dumps([now, record]))
        self._open[arn] = (scope, stream, seq + 1)

    def read(self, stream: Stream, shard: Shard, after: int, limit: int, max_bytes: int,
             skip_trimmed: bool) -> tuple[list[dict], int, bool]:
        """Up to `limit` records of `shard` with a sequence above `after` whose sizes stay within
        `max_bytes` (at least one), and the sequence of the last one read (or `after`). Trimmed
        records are passed over when `skip_trimmed`, else reported (the bool). Reads only from
        the position on."""
        cutoff = self.clock.now() - RETENTION
        if skip_trimmed:
            after = max(after, self.trimmed_through(stream, shard) or after)
        records: list[dict] = []
        size = 0
        last = after
        pk = shard.id.encode()
        for _, sk, raw in self.store.scan_items(stream.storage, pk, after=(pk, _SEQ.pack(after)),
                                                limit=limit):
            created, record = orjson.loads(raw)
            if created < cutoff:
                return [], after, True
            size += len(raw)
            if records and size > max_bytes:
                break
            records.append(record)
            last = _SEQ.unpack(sk)[0]
        return records, last, False

    def trimmed_through(self, stream: Stream, shard: Shard) -> Optional[int]:
        """The sequence of the shard's newest trimmed record; None when none is trimmed."""
        cutoff = self.clock.now() - RETENTION
        first = self._bisect(stream, shard, lambda created: created >= cutoff)
        return first - 1 if first > shard.start + 1 else None

    def first_at_or_after(self, stream: Stream, shard: Shard, timestamp: float) -> int:
        """The sequence of the shard's first record whose ApproximateCreationDateTime (the
        creation time rounded down to the second) is at or after `timestamp` (past the last
        record when there is none)."""
        return self._bisect(stream, shard, lambda created: int(created) >= timestamp)

    def _bisect(self, stream: Stream, shard: Shard, reached) -> int:
        """The smallest sequence s in (start, latest + 1] such that the first record at or
        after s satisfies `reached(created)` (monotonic, as creation times grow with sequence
        numbers), or latest + 1. One indexed one-row probe per step."""
        pk = shard.id.encode()

        def first_from(seq: int):
            return next(self.store.scan_items(stream.storage, pk, lo=_SEQ.pack(seq), limit=1), None)
        lo, hi = shard.start + 1, self.latest(stream, shard) + 1
        row = first_from(lo)  # the common case, nothing trimmed: one probe
        if row is None or reached(orjson.loads(row[2])[0]):
            return lo
        lo = _SEQ.unpack(row[1])[0] + 1
        while lo < hi:
            mid = (lo + hi) // 2
            row = first_from(mid)
            if row is None or reached(orjson.loads(row[2])[0]):
                hi = mid
            else:
                lo = _SEQ.unpack(row[1])[0] + 1
        return lo

    def latest(self, stream: Stream, shard: Shard) -> int:
        """The sequence of the shard's last record (its start when it has none)."""
        if shard.end is not None:
            return shard.end
        last = next(self.store.scan_items(stream.storage, shard.id.encode(), reverse=True, limit=1),
                    None)
        return _SEQ.unpack(last[1])[0] if last is not None else shard.start

    def drop(self, scope: str, stream: Stream) -> None:
        self.store.drop_items(stream.storage)
        self.store.delete_doc(KIND, scope, stream.arn)

    def maintain(self) -> None:
        """Each minute: roll over shards that are due, forget shards past the retention, drop
        streams gone past it."""
        for scope, arn, doc in self.store.list_docs(KIND):
            stream = Stream.from_doc(doc)
            if self._gone(stream):
                self._open.pop(arn, None)
                self.drop(scope, stream)
                continue
            before = len(stream.shards)
            rolled = self._roll_if_due(scope, stream)
            self._trim_shards(stream)
            if rolled or len(stream.shards) != before:
                self._save(scope, stream)


def _shard_id(created: float) -> str:
    return f"shardId-{int(created * 1000):020d}-{os.urandom(4).hex()}"
