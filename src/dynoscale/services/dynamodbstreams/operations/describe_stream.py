"""DescribeStream: the stream's status, view type, key schema and shards (in creation order, with
SequenceNumberRange and ParentShardId), `Limit` shards per page (default and maximum 100,
API_streams_DescribeStream) after ExclusiveStartShardId, LastEvaluatedShardId when more follow;
ShardFilter CHILD_SHARDS lists the children of one shard."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodbstreams import lookup
from dynoscale.services.dynamodbstreams.log import Shard, wire_sequence

MAX_LIMIT = 100


def handle(svc, caller: Caller, request: dict) -> dict:
    stream = lookup.stream(svc.log, caller, request["StreamArn"])
    shards = stream.shards
    shard_filter = request.get("ShardFilter")
    if shard_filter and shard_filter.get("Type") == "CHILD_SHARDS":
        shards = [s for s in shards if s.parent == shard_filter.get("ShardId")]
    start = request.get("ExclusiveStartShardId")
    if start is not None:
        ids = [s.id for s in shards]
        shards = shards[ids.index(start) + 1:] if start in ids else [s for s in shards if s.id > start]
    limit = min(request.get("Limit") or MAX_LIMIT, MAX_LIMIT)
    page = shards[:limit]
    description = {
        "StreamArn": stream.arn, "StreamLabel": stream.label,
        "StreamStatus": stream.status(svc.clock.now()), "StreamViewType": stream.view_type,
        "CreationRequestDateTime": stream.created, "TableName": stream.table_name,
        "KeySchema": stream.key_schema, "Shards": [_shard(s) for s in page],
    }
    if len(shards) > limit:
        description["LastEvaluatedShardId"] = page[-1].id
    return {"StreamDescription": description}


def _shard(shard: Shard) -> dict:
    numbers = {"StartingSequenceNumber": wire_sequence(shard.start)}
    if shard.end is not None and shard.end >= shard.start:
        numbers["EndingSequenceNumber"] = wire_sequence(shard.end)
    out = {"ShardId": shard.id, "SequenceNumberRange": numbers}
    if shard.parent is not None:
        out["ParentShardId"] = shard.parent
    return out
