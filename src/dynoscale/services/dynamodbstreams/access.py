"""The IAM permissions each DynamoDB Streams call needs under `--auth enforce` (Service
Authorization Reference, Amazon DynamoDB: the actions are `dynamodb:DescribeStream`,
`dynamodb:GetShardIterator`, `dynamodb:GetRecords` on the stream ARN and `dynamodb:ListStreams`
on `*`). A stream's resource-based policy (policies.py) comes with each permission on it.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Optional

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


class Requests:
    """`requests`, each permission on a stream carrying the stream's policy (`policy_for`: stream
    ARN -> JSON text or None)."""

    def __init__(self, policy_for: Callable[[str], Optional[str]]):
        self.policy_for = policy_for

    def __call__(self, caller, operation: str, request: dict[str, Any]) -> list[Access]:
        out = []
        for need in requests(caller, operation, request):
            policy = self.policy_for(need.resource) if need.resource != "*" else None
            out.append(dataclasses.replace(need, resource_policy=policy) if policy else need)
        return out
