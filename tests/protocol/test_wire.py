"""Wire-level behaviour shared by every service, with raw HTTP requests (no SDK shaping):
malformed bodies, unknown targets and operations, missing signatures, request ids, DynamoDB's
x-amz-crc32. Expected answers are DynamoDB's as recorded against AWS by dynalite (index.js,
validations/index.js) and botocore's parsers for the query and CBOR protocols.
"""

from __future__ import annotations

import json
import zlib
from urllib.parse import urlencode

import cbor2
import pytest

from tests.kit import AUTH, post


def ddb_call(server, target: str, body: bytes, signed: bool = True):
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target,
               "X-Amz-Date": "20261128T000000Z"}
    if signed:
        headers["Authorization"] = AUTH.format(svc="dynamodb")
    return post(server, body, headers)


def test_malformed_json_is_serialization_exception(server):
    status, headers, body = ddb_call(server, "DynamoDB_20120810.ListTables", b"{not json")
    assert status == 400
    assert json.loads(body) == {"__type": "com.amazon.coral.service#SerializationException"}


def test_empty_body_is_serialization_exception(server):
    status, _, body = ddb_call(server, "DynamoDB_20120810.ListTables", b"")
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#SerializationException"


def test_wrong_member_type_is_serialization_exception(server):
    status, _, body = ddb_call(server, "DynamoDB_20120810.ListTables", b'{"Limit": "ten"}')
    assert status == 400
    # dynalite test/helpers.js assertSerialization (recorded against DynamoDB): `Message`, capital M.
    assert json.loads(body) == {"__type": "com.amazon.coral.service#SerializationException",
                                "Message": "class java.lang.String can not be converted to an Integer"}


def test_unknown_operation(server):
    status, _, body = ddb_call(server, "DynamoDB_20120810.FlyToTheMoon", b"{}")
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_unknown_target_prefix(server):
    status, _, body = ddb_call(server, "NotAService.ListTables", b"{}")
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_missing_target_with_json_body(server):
    status, _, body = post(server, b"{}", {"Content-Type": "application/x-amz-json-1.0",
                                            "Authorization": AUTH.format(svc="dynamodb")})
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#UnknownOperationException"


@pytest.mark.parametrize("method,path", [("GET", "/index.html"), ("PUT", "/"), ("DELETE", "/"),
                                         ("OPTIONS", "/")])
def test_request_without_clues_is_404(server, method, path):
    # `GET /` is the health check (tests/protocol/test_endpoint.py); OPTIONS without Origin is no
    # CORS preflight (dynalite test/connection.js: "should return 404 if OPTIONS with no auth").
    status, _, body = post(server, b"", {}, path=path, method=method)
    assert status == 404
    assert body == b"<UnknownOperationException/>\n"


def test_missing_authentication_token(server):
    status, _, body = ddb_call(server, "DynamoDB_20120810.ListTables", b"{}", signed=False)
    assert status == 400
    assert json.loads(body) == {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                                "message": "Request is missing Authentication Token"}


def test_model_validation_message_lists_every_violation(server):
    body = json.dumps({"Limit": 0, "ExclusiveStartTableName": "a" * 256}).encode()
    status, _, data = ddb_call(server, "DynamoDB_20120810.ListTables", body)
    doc = json.loads(data)
    assert status == 400
    assert doc["__type"] == "com.amazon.coral.validate#ValidationException"
    assert doc["message"].startswith("2 validation errors detected: ")
    violations = set(doc["message"][len("2 validation errors detected: "):].split("; "))
    assert violations == {
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
        f"Value '{'a' * 256}' at 'exclusiveStartTableName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255",
    }


def test_required_member_missing(server):
    status, _, data = ddb_call(server, "DynamoDB_20120810.DescribeTable", b"{}")
    assert status == 400
    assert json.loads(data)["message"] == ("1 validation error detected: Value null at 'tableName' "
                                           "failed to satisfy constraint: Member must not be null")


def test_dynamodb_responses_carry_crc32_and_request_id(server):
    status, headers, body = ddb_call(server, "DynamoDB_20120810.FlyToTheMoon", b"{}")
    assert headers["x-amz-crc32"] == str(zlib.crc32(body) & 0xFFFFFFFF)
    rid = headers["x-amzn-requestid"]
    assert len(rid) == 52 and rid.isalnum() and rid.isupper()


def test_query_protocol_unknown_action(server):
    body = urlencode({"Action": "FlyToTheMoon", "Version": "2010-05-08"}).encode()
    status, headers, data = post(server, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                "Authorization": AUTH.format(svc="iam")})
    assert status == 400
    assert b"<Code>InvalidAction</Code>" in data
    assert b"<Message>Could not find operation FlyToTheMoon for version 2010-05-08</Message>" in data
    assert headers["x-amzn-requestid"].encode() in data


def test_query_validation_error_uses_validation_error_code(server):
    body = urlencode({"Action": "GetRole", "Version": "2010-05-08", "RoleName": "bad name!"}).encode()
    status, _, data = post(server, body, {"Content-Type": "application/x-www-form-urlencoded",
                                          "Authorization": AUTH.format(svc="iam")})
    assert status == 400
    assert b"<Code>ValidationError</Code>" in data
    assert (b"Value 'bad name!' at 'roleName' failed to satisfy constraint: "
            b"Member must satisfy regular expression pattern: [\\w+=,.@-]+") in data


def test_cbor_malformed_body(server):
    status, headers, data = post(server, b"\xff\xfe\x00", {
        "Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor",
        "Authorization": AUTH.format(svc="monitoring")},
        path="/service/GraniteServiceVersion20100801/operation/DescribeAlarms")
    assert status == 400
    assert cbor2.loads(data)["__type"].endswith("#SerializationException")
    assert headers["smithy-protocol"] == "rpc-v2-cbor"


def test_cbor_unknown_operation(server):
    status, _, data = post(server, cbor2.dumps({}), {
        "Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor",
        "Authorization": AUTH.format(svc="monitoring")},
        path="/service/GraniteServiceVersion20100801/operation/FlyToTheMoon")
    assert status == 400
    assert cbor2.loads(data)["__type"].endswith("#UnknownOperationException")


@pytest.mark.parametrize("body", [b"[]", b"1", b"\"x\"", b"null"])
def test_non_object_json_is_serialization_exception(server, body):
    status, _, data = ddb_call(server, "DynamoDB_20120810.ListTables", body)
    assert status == 400
    assert json.loads(data)["__type"] == "com.amazon.coral.service#SerializationException"


def test_admin_clock_reports_mode_and_time(server):
    state = server.admin("clock")
    assert state["mode"] == "manual" and state["time_scale"] == 1.0
    before = state["now"]
    after = server.advance(90)["now"]
    assert after == pytest.approx(before + 90)


def test_admin_clock_rejects_huge_or_negative_steps(server):
    import urllib.error
    for bad in (-1, 31 * 86400 + 1, "soon"):
        with pytest.raises(urllib.error.HTTPError) as e:
            server.advance(bad)
        assert e.value.code == 400
