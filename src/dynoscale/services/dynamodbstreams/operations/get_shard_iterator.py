"""GetShardIterator: a position in one shard (API_streams_GetShardIterator, botocore model
`dynamodbstreams` GetShardIteratorInput): TRIM_HORIZON (the oldest untrimmed record), LATEST
(after the newest record), AT_SEQUENCE_NUMBER / AFTER_SEQUENCE_NUMBER (SequenceNumber required,
within the shard's range; a position before the trim horizon is TrimmedDataAccessException),
AT_TIMESTAMP (Timestamp required: the first record whose ApproximateCreationDateTime is at or
after it; before the trim horizon it is TRIM_HORIZON; in the future a ValidationException).
TRIM_HORIZON and LATEST take no SequenceNumber (scylladb's test_get_shard_iterator, run against
AWS). The iterator expires 15 minutes after it is returned (iterators.py).

The request's members are checked before the stream is looked up (architecture rule 6)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from dynoscale.context import Caller
from dynoscale.services.dynamodbstreams import errors, iterators, lookup
from dynoscale.services.dynamodbstreams.log import RETENTION, Shard, Stream, StreamLog, parse_sequence

BY_SEQUENCE = ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER")


def handle(svc, caller: Caller, request: dict) -> dict:
    kind = request["ShardIteratorType"]
    number = request.get("SequenceNumber")
    timestamp = _check_members(kind, number, request.get("Timestamp"), svc.clock.now())
    stream = lookup.stream(svc.log, caller, request["StreamArn"])
    shard = lookup.shard(stream, request["ShardId"])
    log = svc.log
    if kind in BY_SEQUENCE:
        after, skip = _by_sequence(log, stream, shard, kind, number), False
    elif kind == "TRIM_HORIZON":
        after, skip = shard.start, True
    elif kind == "LATEST":
        after, skip = log.latest(stream, shard), False
    else:  # AT_TIMESTAMP
        after, skip = _at_timestamp(log, stream, shard, timestamp, svc.clock.now())
    position = iterators.Position(stream.arn, shard.id, after, skip, svc.clock.now())
    return {"ShardIterator": iterators.encode(position)}


def _check_members(kind: str, number: Optional[str], timestamp, now: float) -> Optional[float]:
    """The request's SequenceNumber and Timestamp fit its iterator type; the timestamp in epoch
    seconds (botocore parses it; the wire form is epoch seconds with milliseconds)."""
    if kind in BY_SEQUENCE:
        if number is None:
            raise errors.sequence_number_required(kind)
    elif number is not None:
        raise errors.sequence_number_not_allowed(kind)
    if kind != "AT_TIMESTAMP":
        return None
    if timestamp is None:
        raise errors.timestamp_required()
    seconds = timestamp.timestamp() if isinstance(timestamp, datetime) else float(timestamp)
    if seconds > now:
        raise errors.timestamp_in_future()
    return seconds


def _by_sequence(log: StreamLog, stream: Stream, shard: Shard, kind: str, number: str) -> int:
    """The position of AT/AFTER_SEQUENCE_NUMBER: the number must lie in the shard's range (from
    its StartingSequenceNumber to its last record; on an open shard AT may also name the next
    record to come) and not before the trim horizon."""
    seq = parse_sequence(number)
    last = log.latest(stream, shard)
    at = kind == "AT_SEQUENCE_NUMBER"
    top = last + 1 if at and shard.is_open else last
    if seq is None or not shard.start <= seq <= top:
        raise errors.invalid_sequence_number(number, shard.id)
    trimmed = log.trimmed_through(stream, shard)
    if trimmed is not None and (seq <= trimmed if at else seq < trimmed):
        raise errors.trimmed()
    return seq - 1 if at else seq


def _at_timestamp(log: StreamLog, stream: Stream, shard: Shard, timestamp: float,
                  now: float) -> tuple[int, bool]:
    if timestamp < now - RETENTION:
        return shard.start, True
    return max(log.first_at_or_after(stream, shard, timestamp) - 1, shard.start), True
