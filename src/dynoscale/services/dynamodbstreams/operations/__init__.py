"""DynamoDB Streams operations: AWS operation name -> handler module."""

from __future__ import annotations

from dynoscale.services.dynamodbstreams.operations import (describe_stream, get_records,
                                                           get_shard_iterator, list_streams)

OPERATIONS = {
    "DescribeStream": describe_stream.handle,
    "GetRecords": get_records.handle,
    "GetShardIterator": get_shard_iterator.handle,
    "ListStreams": list_streams.handle,
}
