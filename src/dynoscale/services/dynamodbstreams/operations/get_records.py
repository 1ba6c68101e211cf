"""GetRecords: the records after an iterator's position (API_streams_GetRecords): at most `Limit`
(default and maximum 1,000) and about 1 MB; NextShardIterator continues from the last record
returned and is absent once a closed shard is drained (scylladb's test_streams_closed_read: a
drained closed shard answers without it, not with a null or an empty string). Errors: a
ShardIterator we did not issue is a ValidationException; ExpiredIteratorException after
15 minutes; TrimmedDataAccessException when the records at the position were trimmed since the
iterator was issued (API_streams_GetRecords, TrimmedDataAccessException)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodbstreams import errors, iterators, lookup

MAX_LIMIT = 1000
MAX_BYTES = 1024 * 1024


def handle(svc, caller: Caller, request: dict) -> dict:
    limit = request.get("Limit") or MAX_LIMIT
    if limit > MAX_LIMIT:
        raise errors.limit_too_large(limit, MAX_LIMIT)
    position = iterators.decode(request["ShardIterator"])
    if position is None:
        raise errors.invalid_iterator()
    now = svc.clock.now()
    if now > position.issued + iterators.LIFETIME:
        raise errors.expired_iterator()
    stream = lookup.stream(svc.log, caller, position.stream_arn)
    shard = lookup.shard(stream, position.shard_id)
    records, last, trimmed = svc.log.read(stream, shard, position.after, limit, MAX_BYTES,
                                          position.skip_trimmed)
    if trimmed:
        raise errors.trimmed()
    out: dict = {"Records": records}
    if shard.end is None or last < shard.end:
        out["NextShardIterator"] = iterators.encode(
            iterators.Position(stream.arn, shard.id, last, position.skip_trimmed and not records,
                               now))
    return out
