"""Shared helpers for the DynamoDB tests: table creation on the manual clock, and raw awsJson
calls for checking `__type` namespaces (botocore strips them)."""

from __future__ import annotations

from tests.kit import json_call

DDB_NS = "com.amazonaws.dynamodb.v20120810#"
VALIDATE_NS = "com.amazon.coral.validate#"
# Durations under `--timing aws` (timing.py; the default `--timing fast` makes them 0, so
# advancing by them is harmless there too):
CREATE_SECONDS = 5  # CREATING -> ACTIVE (spec 3.4.3)
CREATE_WITH_GSIS_SECONDS = 16  # CREATING -> ACTIVE for a table created with GSIs
UPDATE_SECONDS = 2  # UPDATING -> ACTIVE
DELETE_SECONDS = 5  # DELETING -> gone

NUM_KEYS = dict(
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "N"},
                          {"AttributeName": "sk", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
               {"AttributeName": "sk", "KeyType": "RANGE"}])
STR_KEY = dict(AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
               KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])


def create(server, ddb, name, *, read=5, write=5, keys=None, active=True, **extra):
    args = dict(keys or STR_KEY)
    if "BillingMode" not in extra:
        args["ProvisionedThroughput"] = {"ReadCapacityUnits": read, "WriteCapacityUnits": write}
    out = ddb.create_table(TableName=name, **args, **extra)
    if active:
        server.advance(CREATE_SECONDS)
    return out["TableDescription"]


def raw(server, operation: str, body: dict) -> tuple[int, dict]:
    """A DynamoDB call without an SDK; returns (status, parsed body)."""
    status, _, doc = json_call(server, f"DynamoDB_20120810.{operation}", body, "dynamodb")
    return status, doc
