"""DescribeStream: the stream's status, view type, key schema and shards (in creation order, with
SequenceNumberRange and ParentShardId), `Limit` shards per page (default and maximum 100,
API_streams_DescribeStream) after ExclusiveStartShardId, LastEvaluatedShardId when more follow;
ShardFilter CHILD_SHARDS lists the children of one shard. A Limit above 100 is refused, as
ListStreams refuses one (inferred: the API Reference states both upper limits in the same words,
and AWS enforces the ListStreams and GetRecords ones). An ExclusiveStartShardId that names no
shard lists the shards after it in shard-id order (AWS answers no shards for an id above all of
them rather than an error: scylladb's test_describe_stream_with_nonexistent_last_shard)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodbstreams import errors, lookup
from dynoscale.services.dynamodbstreams.log import Shard, wire_sequence

MAX_LIMIT = 100


def handle(svc, caller: Caller, request: dict) -> dict:
    limit = request.get("Limit") or MAX_LIMIT
    if limit > MAX_LIMIT:
        raise errors.limit_too_large(limit, MAX_LIMIT)
    stream = lookup.stream(svc.log, caller, request["StreamArn"])
    shards = stream.shards
    shard_filter = request.get("ShardFilter")
    if shard_filter and shard_filter.get("Type") == "CHILD_SHARDS":
        shards = [s for s in shards if s.parent == shard_filter.get("ShardId")]
    start = request.get("ExclusiveStartShardId")
    if start is not None:
        ids = [s.id for s in shards]
        shards = shards[ids.index(start) + 1:] if start in ids else [s for s in shards if s.id > start]
    page = shards[:limit]
    # CreationRequestDateTime in milliseconds, the precision of the stream's label.
    description = {
        "StreamArn": stream.arn, "StreamLabel": stream.label,
        "StreamStatus": stream.status(svc.clock.now()), "StreamViewType": stream.view_type,
        "CreationRequestDateTime": round(stream.created, 3), "TableName": stream.table_name,
        "KeySchema": stream.key_schema, "Shards": [_shard(s) for s in page],
    }
    if len(shards) > limit:
        description["LastEvaluatedShardId"] = page[-1].id
    return {"StreamDescription": description}


def _shard(shard: Shard) -> dict:
    numbers = {"StartingSequenceNumber": wire_sequence(shard.start)}
    if shard.end is not None:
        numbers["EndingSequenceNumber"] = wire_sequence(shard.end)
    out = {"ShardId": shard.id, "SequenceNumberRange": numbers}
    if shard.parent is not None:
        out["ParentShardId"] = shard.parent
    return out
