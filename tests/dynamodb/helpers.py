"""Shared helpers for the DynamoDB tests: table creation on the manual clock, error unpacking,
and raw awsJson calls for checking `__type` namespaces (botocore strips them)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

DDB_NS = "com.amazonaws.dynamodb.v20120810#"
VALIDATE_NS = "com.amazon.coral.validate#"
CREATE_SECONDS = 5  # CREATING -> ACTIVE (spec 3.4.3)
UPDATE_SECONDS = 2  # UPDATING -> ACTIVE

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


def error(call, *args, **kwargs) -> tuple[str, str, int]:
    """(code, message, HTTP status) of the ClientError `call(...)` raises."""
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    e = info.value.response
    return e["Error"]["Code"], e["Error"]["Message"], e["ResponseMetadata"]["HTTPStatusCode"]


def raw(server, operation: str, body: dict) -> tuple[int, dict]:
    """POST an awsJson1_0 DynamoDB call without an SDK; returns (status, parsed body)."""
    req = urllib.request.Request(
        server.url + "/", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": f"DynamoDB_20120810.{operation}",
                 "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/"
                                  "us-east-1/dynamodb/aws4_request, SignedHeaders=host, "
                                  "Signature=0"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
