"""DescribeKinesisStreamingDestination: Dynoscale streams to no Kinesis destination
(Enable/DisableKinesisStreamingDestination are not implemented), so a table has none; a missing
table -> ResourceNotFoundException naming it (live probe DDB-TABLE-455, ack-api-quirks
`services/dynamodb`)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    table = svc.tables.require(caller.scope, request["TableName"])
    return {"TableName": table.name, "KinesisDataStreamDestinations": []}
