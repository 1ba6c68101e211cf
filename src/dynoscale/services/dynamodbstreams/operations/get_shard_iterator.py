"""GetShardIterator: a position in one shard (API_streams_GetShardIterator): TRIM_HORIZON (the
oldest untrimmed record), LATEST (after the newest record), AT_SEQUENCE_NUMBER /
AFTER_SEQUENCE_NUMBER (SequenceNumber required, within the shard's range; below the oldest
untrimmed record is TrimmedDataAccessException). The iterator expires 15 minutes after it is
returned (iterators.py)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodbstreams import errors, iterators, lookup
from dynoscale.services.dynamodbstreams.log import parse_sequence


def handle(svc, caller: Caller, request: dict) -> dict:
    kind = request["ShardIteratorType"]
    number = request.get("SequenceNumber")
    stream = lookup.stream(svc.log, caller, request["StreamArn"])
    shard = lookup.shard(stream, request["ShardId"])
    log = svc.log
    if kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        if number is None:
            raise errors.sequence_number_required(kind)
        seq = parse_sequence(number)
        last = log.latest(stream, shard)
        if seq is None or seq < shard.start or seq > max(last, shard.start - 1) + (
                1 if kind == "AT_SEQUENCE_NUMBER" and shard.end is None else 0):
            raise errors.invalid_sequence_number(number, shard.id)
        if seq <= log.horizon(stream, shard):
            raise errors.trimmed()
        after = seq - 1 if kind == "AT_SEQUENCE_NUMBER" else seq
        skip = False
    elif kind == "TRIM_HORIZON":
        after, skip = shard.start - 1, True
    elif kind == "LATEST":
        after, skip = log.latest(stream, shard), False
    else:  # AT_TIMESTAMP: in the model, not accepted by DynamoDB Streams
        raise errors.iterator_type_unsupported(kind)
    position = iterators.Position(stream.arn, shard.id, after, skip, svc.clock.now())
    return {"ShardIterator": iterators.encode(position)}
