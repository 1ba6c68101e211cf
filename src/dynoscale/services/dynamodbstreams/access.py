"""The IAM permissions each DynamoDB Streams call needs under `--auth enforce` (Service
Authorization Reference, Amazon DynamoDB: the actions are `dynamodb:DescribeStream`,
`dynamodb:GetShardIterator`, `dynamodb:GetRecords` on the stream ARN and `dynamodb:ListStreams`
on `*`)."""

from __future__ import annotations

from typing import Any

from dynoscale.services.registry import Access


def requests(caller, operation: str, request: dict[str, Any]) -> list[Access]:
    action = f"dynamodb:{operation}"
    if operation == "GetRecords":
        # A shard iterator starts with its stream's ARN, `<stream arn>|1|...` (iterators.py: the
        # form AWS returns).
        iterator = request.get("ShardIterator") or ""
        arn = iterator.split("|", 1)[0] if iterator.startswith("arn:") else "*"
        return [Access(action, arn)]
    return [Access(action, request.get("StreamArn") or "*")]
