"""Resolving a request's StreamArn and ShardId to the stored stream and shard, with AWS's errors.

A stream ARN is `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>` (the
LatestStreamArn DescribeTable returns; API_streams_DescribeStream samples), the label an ISO-8601
UTC time with milliseconds."""

from __future__ import annotations

import re

from dynoscale.context import Caller
from dynoscale.services.dynamodbstreams import errors
from dynoscale.services.dynamodbstreams.log import Shard, Stream, StreamLog

STREAM_ARN = re.compile(r"arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table/([a-zA-Z0-9_.-]{3,255})"
                        r"/stream/(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})")


def check_arn(arn: str) -> None:
    if not STREAM_ARN.fullmatch(arn):
        raise errors.invalid_stream_arn()


def stream(log: StreamLog, caller: Caller, arn: str) -> Stream:
    check_arn(arn)
    found = log.get(caller.scope, arn)
    if found is None:
        raise errors.stream_not_found(arn)
    return found


def shard(found: Stream, shard_id: str) -> Shard:
    match = found.shard(shard_id)
    if match is None:
        raise errors.shard_not_found()
    return match


