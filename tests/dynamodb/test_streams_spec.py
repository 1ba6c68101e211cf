"""StreamSpecification stored and described (CreateTable, UpdateTable); AWS's behaviour as
observed in ack-api-quirks DDB-TABLE-050: label per enable, ARN under the table, StreamSpecification
absent after disabling while LatestStream* linger, and the re-send errors."""

from __future__ import annotations

import re

from tests.dynamodb.helpers import create
from tests.kit import error


LABEL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}")


def test_stream_enabled_at_create(server, ddb, unique):
    name = unique("st")
    desc = create(server, ddb, name, StreamSpecification={"StreamEnabled": True,
                                                          "StreamViewType": "NEW_IMAGE"})
    assert desc["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert LABEL.fullmatch(desc["LatestStreamLabel"])
    assert desc["LatestStreamArn"] == f"{desc['TableArn']}/stream/{desc['LatestStreamLabel']}"


def test_stream_enable_disable_cycle(server, ddb, unique):
    name = unique("st")
    desc = create(server, ddb, name)
    assert "StreamSpecification" not in desc and "LatestStreamArn" not in desc
    assert error(ddb.update_table, TableName=name,
                 StreamSpecification={"StreamEnabled": True}) == (
        "ValidationException", "One or more parameter values were invalid: If stream is being "
        "enabled then UpdateViewType is required", 400)
    out = ddb.update_table(TableName=name, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})["TableDescription"]
    assert out["TableStatus"] == "UPDATING"
    first_arn = out["LatestStreamArn"]
    server.advance(5)
    assert error(ddb.update_table, TableName=name, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}) == (
        "ValidationException", f"Table already has an enabled stream: TableName: {name}", 400)
    assert error(ddb.update_table, TableName=name, StreamSpecification={
        "StreamEnabled": False, "StreamViewType": "NEW_IMAGE"}) == (
        "ValidationException", "One or more parameter values were invalid: If stream is being "
        "disabled, then UpdateViewType must not be specified", 400)
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    server.advance(5)
    desc = ddb.describe_table(TableName=name)["Table"]
    assert "StreamSpecification" not in desc and desc["LatestStreamArn"] == first_arn
    assert error(ddb.update_table, TableName=name,
                 StreamSpecification={"StreamEnabled": False}) == (
        "ValidationException", f"Table has no stream to disable: TableName: {name}", 400)
    server.advance(1)
    out = ddb.update_table(TableName=name, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})["TableDescription"]
    assert out["LatestStreamArn"] != first_arn
