"""The port DynamoDB uses to reach DynamoDB Streams (in-process): open and close a table's
stream, append the change records of committed writes. DynamoDB calls `append` inside the write's
store transaction, so a record exists exactly when the write does."""

from __future__ import annotations

from typing import Any, Optional


class StreamsApi:
    """Implemented by the DynamoDB Streams service (services/dynamodbstreams/service.py)."""

    def open_stream(self, scope: str, stream_arn: str, label: str, table_name: str,
                    key_schema: list[dict[str, str]], view_type: str, ready_in: float) -> None:
        """A table's new stream (CreateTable or UpdateTable enabling it): ENABLING for
        `ready_in` seconds, then ENABLED."""
        raise NotImplementedError

    def close_stream(self, scope: str, stream_arn: str) -> None:
        """Stop a stream (disabled, or its table deleted): DISABLING, then DISABLED, readable
        for 24 hours."""
        raise NotImplementedError

    def append(self, scope: str, stream_arn: str, record: dict[str, Any]) -> None:
        """Append one change: `record` is a Record whose `dynamodb.SequenceNumber` (None) the
        stream assigns. Call inside the write's store transaction."""
        raise NotImplementedError

    def set_policy(self, scope: str, stream_arn: str, document: Optional[str]) -> None:
        """The stream's resource-based policy (JSON text) as DynamoDB's PutResourcePolicy left
        it; None: it has none (DeleteResourcePolicy, or its table deleted)."""
        raise NotImplementedError
