"""Change capture for DynamoDB Streams: the stream record of each committed item change.

Record shape (AWS DynamoDB Streams API Reference, API_streams_Record / API_streams_StreamRecord,
and the GetRecords sample response): eventID (32 hex digits), eventName INSERT | MODIFY | REMOVE,
eventVersion `1.1`, eventSource `aws:dynamodb`, awsRegion, and `dynamodb` with
ApproximateCreationDateTime (epoch seconds, whole seconds as in the sample), Keys, NewImage /
OldImage as the view type asks (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES), SizeBytes
(the sample's KEYS_ONLY record of two string keys totalling 41 bytes says 41: the item-size rule
applied to what the record carries) and StreamViewType. Items deleted by TTL carry
`userIdentity: {Type: Service, PrincipalId: dynamodb.amazonaws.com}` (Developer Guide, "Time to
Live: streams"). A write that changes nothing (an identical put, a delete of a missing item)
produces no record.

The record is appended inside the write's store transaction (items.py), so it exists exactly when
the change does, in commit order.
"""

from __future__ import annotations

import os
from typing import Optional

from dynoscale.clock import Clock
from dynoscale.services.dynamodb import values
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.services.dynamodbstreams.api import StreamsApi

TTL_IDENTITY = {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
NEW_IMAGES = ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")
OLD_IMAGES = ("OLD_IMAGE", "NEW_AND_OLD_IMAGES")


class ChangeCapture:
    def __init__(self, clock: Clock, streams: StreamsApi):
        self.clock = clock
        self.streams = streams

    @staticmethod
    def wanted(table: TableRecord) -> bool:
        stream = table.stream
        return stream is not None and stream.enabled

    def record(self, table: TableRecord, old: Optional[dict], new: Optional[dict], *,
               expired: bool = False) -> None:
        """Append the change old -> new of one item of `table` (whose stream is enabled)."""
        if old == new:
            return
        stream = table.stream
        view = stream.view_type
        _, _, _, region, account, _ = table.arn.split(":", 5)
        source = new if new is not None else old
        keys = {k["AttributeName"]: source[k["AttributeName"]] for k in table.key_schema}
        # Whole epoch seconds, an integer on the wire as in AWS's records (botocore model:
        # "rounded down to the closest second"; Ankcorn/dynamodb-streams-test's captures).
        body: dict = {"ApproximateCreationDateTime": int(self.clock.now()),
                      "Keys": values.item_to_json(keys)}
        size = values.item_size(keys)
        if new is not None and view in NEW_IMAGES:
            body["NewImage"] = values.item_to_json(new)
            size += values.item_size(new)
        if old is not None and view in OLD_IMAGES:
            body["OldImage"] = values.item_to_json(old)
            size += values.item_size(old)
        body["SequenceNumber"] = None  # assigned by the stream; here for AWS's member order
        body["SizeBytes"] = size
        body["StreamViewType"] = view
        record = {"eventID": os.urandom(16).hex(),
                  "eventName": "INSERT" if old is None else "REMOVE" if new is None else "MODIFY",
                  "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": region,
                  "dynamodb": body}
        if expired:
            record["userIdentity"] = dict(TTL_IDENTITY)
        self.streams.append(f"{account}/{region}", f"{table.arn}/stream/{stream.label}", record)
