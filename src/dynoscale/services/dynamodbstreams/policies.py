"""The resource-based policies of streams, as DynamoDB's PutResourcePolicy / DeleteResourcePolicy
leave them (through the StreamsApi port), for `--auth enforce` on the DynamoDB Streams calls
(access.py). DynamoDB keeps the revisions and answers the policy calls; this is the copy the
stream's own readers are judged by ("Using resource-based policies for DynamoDB": a stream has a
policy of its own). One document per stream (kind `dynamodbstreams.policy`, id = stream ARN)."""

from __future__ import annotations

from typing import Optional

from dynoscale.storage.interface import Store

KIND = "dynamodbstreams.policy"


class StreamPolicies:
    def __init__(self, store: Store):
        self.store = store

    def set(self, scope: str, stream_arn: str, document: Optional[str]) -> None:
        if document is None:
            self.store.delete_doc(KIND, scope, stream_arn)
        else:
            self.store.put_doc(KIND, scope, stream_arn, {"policy": document})

    def for_arn(self, stream_arn: str) -> Optional[str]:
        """The policy (JSON text) of the stream `stream_arn` names, None if it has none."""
        parts = stream_arn.split(":", 5)
        if len(parts) < 6 or "/stream/" not in parts[5]:
            return None
        doc = self.store.get_doc(KIND, f"{parts[4]}/{parts[3]}", stream_arn)
        return doc["policy"] if doc else None
