"""The HTTP endpoint as AWS runs it, over raw HTTP (http.client) and boto3: CORS, request and
response compression, the headers every answer carries, the health check, size limits, and the
order in which unsigned, badly signed and unreadable requests are refused.

Expected answers are DynamoDB's as recorded against AWS: dynalite (test/connection.js, with the
CRC32 of each exact body) and scylladb's Alternator tests run against DynamoDB (test_cors.py,
test_compressed_request.py, test_compressed_response.py, test_health.py, test_http_headers.py).
"""

from __future__ import annotations

import email.utils
import gzip
import http.client
import json
import zlib

import botocore.config
import pytest

from tests.kit import AUTH

TARGET = "DynamoDB_20120810."
EXPOSE = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
CORS_HEADERS = ("access-control-allow-origin", "access-control-expose-headers",
                "access-control-max-age", "access-control-allow-methods",
                "access-control-allow-headers")
SIGNED = {"Authorization": AUTH.format(svc="dynamodb"), "X-Amz-Date": "20261128T000000Z"}


def raw(server, method: str = "POST", path: str = "/", body: bytes = b"",
        headers: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request exactly as given (no header added but Host and Content-Length)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def ddb(server, op: str, doc, extra: dict | None = None, signed: bool = True,
        body: bytes | None = None, ctype: str = "application/x-amz-json-1.0"):
    headers = {"Content-Type": ctype, "X-Amz-Target": TARGET + op}
    if signed:
        headers.update(SIGNED)
    headers.update(extra or {})
    data = body if body is not None else json.dumps(doc).encode()
    return raw(server, body=data, headers=headers)


def crc(body: bytes) -> str:
    return str(zlib.crc32(body) & 0xFFFFFFFF)


@pytest.fixture(scope="module")
def table(server):
    name = "Endpoint"
    server.client("dynamodb").create_table(
        TableName=name, AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    server.advance(60)
    return name


def put_doc(table: str, key: str, **attrs: str) -> dict:
    item = {"k": {"S": key}, **{a: {"S": v} for a, v in attrs.items()}}
    return {"TableName": table, "Item": item}


def stored(server, table: str, key: str):
    return server.client("dynamodb").get_item(TableName=table, Key={"k": {"S": key}},
                                              ConsistentRead=True).get("Item")


# ------------------------------------------------------------------------------------------ CORS
@pytest.mark.parametrize("method", ["OPTIONS", "GET", "POST"])
def test_no_cors_headers_without_origin(server, method):
    _, headers, _ = raw(server, method, headers={"Access-Control-Request-Method": "POST"})
    assert not [h for h in CORS_HEADERS if h in headers]


def test_preflight_echoes_what_it_asks_for(server):
    status, headers, body = raw(server, "OPTIONS", headers={
        "Origin": "http://127.0.0.1:9999", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,x-amz-target"})
    assert (status, body) == (200, b"")
    assert headers["content-length"] == "0"
    assert "content-type" not in headers
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-expose-headers"] == EXPOSE
    assert headers["access-control-allow-methods"] == "POST"
    assert headers["access-control-allow-headers"] == "authorization,content-type,x-amz-target"
    assert headers["access-control-max-age"] == "172800"
    rid = headers["x-amzn-requestid"]
    assert len(rid) == 52 and rid.isalnum() and rid.upper() == rid


def test_preflight_with_origin_only(server):
    # dynalite "should set CORS if OPTIONS and Origin": 200, no Allow-Methods / -Headers.
    status, headers, body = raw(server, "OPTIONS", path="/any/path", headers={"Origin": "x"})
    assert (status, body) == (200, b"")
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-max-age"] == "172800"
    assert "access-control-allow-methods" not in headers
    assert "access-control-allow-headers" not in headers


def test_cross_origin_answers_carry_allow_origin_and_expose_only(server, table):
    extra = {"Origin": "http://example.com/", "Access-Control-Request-Method": "dog",
             "Access-Control-Request-Headers": "cat, meerkat"}
    answers = [ddb(server, "ListTables", {}, extra),                          # 200
               ddb(server, "DescribeTable", {"TableName": "nope"}, extra),    # 400
               ddb(server, "ListTables", {}, extra, signed=False),            # missing token
               raw(server, "GET", headers={"Origin": "x"}),                   # health check
               raw(server, "PUT", headers={"Origin": "x"})]                   # 404
    assert [a[0] for a in answers] == [200, 400, 400, 200, 404]
    for _, headers, _ in answers:
        assert headers["access-control-allow-origin"] == "*"
        assert headers["access-control-expose-headers"] == EXPOSE
        # Only the preflight has Max-Age and the echoes (Alternator test_cors_allow_requested).
        assert "access-control-max-age" not in headers
        assert "access-control-allow-methods" not in headers
        assert "access-control-allow-headers" not in headers


def test_cors_for_every_service_and_admin(server):
    form = b"Action=GetCallerIdentity&Version=2011-06-15"
    status, headers, _ = raw(server, body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": "x",
        "Authorization": AUTH.format(svc="sts"), "X-Amz-Date": "20261128T000000Z"})
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    status, headers, _ = raw(server, "GET", "/_dynoscale/clock", headers={"Origin": "x"})
    assert status == 200 and headers["access-control-allow-origin"] == "*"


# ------------------------------------------------------------------------ request compression
def test_gzip_and_deflate_bodies(server, table):
    doc = put_doc(table, "gz", v="1")
    status, _, _ = ddb(server, "PutItem", None, {"Content-Encoding": "gzip"},
                       body=gzip.compress(json.dumps(doc).encode()))
    assert status == 200 and stored(server, table, "gz") == doc["Item"]
    doc = put_doc(table, "df", v="2")
    status, _, _ = ddb(server, "PutItem", None, {"Content-Encoding": "deflate"},
                       body=zlib.compress(json.dumps(doc).encode()))
    assert status == 200 and stored(server, table, "df") == doc["Item"]
    doc = put_doc(table, "id", v="3")
    status, _, _ = ddb(server, "PutItem", doc, {"Content-Encoding": "identity"})
    assert status == 200 and stored(server, table, "id") == doc["Item"]


def test_gzip_members_concatenated_and_trailing_junk(server, table):
    # Alternator test_gzip_request_two_gzips (accepted by DynamoDB) and
    # test_gzip_request_with_extra_junk (also accepted by DynamoDB, which ignores the junk).
    data = json.dumps(put_doc(table, "two", v="x")).encode()
    status, _, _ = ddb(server, "PutItem", None, {"Content-Encoding": "gzip"},
                       body=gzip.compress(data[:10]) + gzip.compress(data[10:]))
    assert status == 200 and stored(server, table, "two")["v"] == {"S": "x"}
    data = json.dumps(put_doc(table, "junk", v="y")).encode()
    status, _, _ = ddb(server, "PutItem", None, {"Content-Encoding": "gzip"},
                       body=gzip.compress(data) + b"junk")
    assert status == 200 and stored(server, table, "junk")["v"] == {"S": "y"}


def test_deflate_is_one_zlib_stream(server, table):
    # DynamoDB refuses two concatenated deflate streams (Alternator's
    # test_deflate_request_two_deflates fails on AWS). Inferred: what follows the first stream is
    # ignored, as after a gzip member, so the body read is cut short and is not JSON.
    data = json.dumps(put_doc(table, "two-deflates")).encode()
    status, _, answer = ddb(server, "PutItem", None, {"Content-Encoding": "deflate"},
                            body=zlib.compress(data[:10]) + zlib.compress(data[10:]))
    assert (status, json.loads(answer)) == (400, SERIALIZATION)
    assert stored(server, table, "two-deflates") is None


def plain(table: str, key: str) -> bytes:
    return json.dumps(put_doc(table, key)).encode()


@pytest.mark.parametrize("case,coding,body", [
    ("not-gzip", "gzip", lambda t: plain(t, "bad1")),
    ("truncated", "gzip", lambda t: gzip.compress(plain(t, "bad2"))[:-1]),
    ("empty-gzip", "gzip", lambda t: b""),
    ("not-deflate", "deflate", lambda t: plain(t, "bad3")),
    ("empty-deflate", "deflate", lambda t: b""),
    ("unknown", "garbage", lambda t: plain(t, "bad4")),
    ("gzip-in-deflate", "deflate", lambda t: gzip.compress(plain(t, "bad5"))),
])
def test_undecodable_bodies_are_500_and_change_nothing(server, table, case, coding, body):
    data = body(table)
    status, headers, answer = ddb(server, "PutItem", None, {"Content-Encoding": coding}, body=data)
    assert status == 500
    doc = json.loads(answer)
    assert doc["__type"].endswith("#InternalFailure")
    assert headers["x-amz-crc32"] == crc(answer)
    for key in ("bad1", "bad2", "bad3", "bad4", "bad5"):
        assert stored(server, table, key) is None


def test_undecodable_body_is_refused_before_the_signature(server):
    status, _, answer = ddb(server, "ListTables", None, {"Content-Encoding": "gzip"},
                            signed=False, body=b"{}")
    assert status == 500 and json.loads(answer)["__type"].endswith("#InternalFailure")


def test_decoded_body_over_the_request_limit(server, table):
    # A well-compressible PutItem padded with spaces (Alternator test_gzip_request_oversized):
    # 16 MB decoded is accepted, one byte more is refused.
    limit = 16 * 1024 * 1024
    head = json.dumps(put_doc(table, "big"))[:-1].encode()
    fits = head + b" " * (limit - len(head) - 1) + b"}"
    assert len(fits) == limit
    status, _, _ = ddb(server, "PutItem", None, {"Content-Encoding": "gzip"},
                       body=gzip.compress(fits, 1))
    assert status == 200 and stored(server, table, "big") is not None
    head = json.dumps(put_doc(table, "bigger"))[:-1].encode()
    over = head + b" " * (limit - len(head)) + b"}"
    assert len(over) == limit + 1
    status, _, answer = ddb(server, "PutItem", None, {"Content-Encoding": "gzip"},
                            body=gzip.compress(over, 1))
    assert status == 500 and json.loads(answer)["__type"].endswith("#InternalFailure")
    assert stored(server, table, "bigger") is None


def test_compressed_bodies_for_cloudwatch_protocols(server, unique):
    # Every service: the query form, awsJson and rpc-v2-cbor bodies, deflated or broken.
    name = unique("Deflated")
    form = (f"Action=PutMetricData&Version=2010-08-01&Namespace=Endpoint&"
            f"MetricData.member.1.MetricName={name}&MetricData.member.1.Value=1").encode()
    signed = {"Authorization": AUTH.format(svc="monitoring"), "X-Amz-Date": "20261128T000000Z"}
    status, _, _ = raw(server, body=zlib.compress(form), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "deflate",
        **signed})
    assert status == 200
    listed = server.client("cloudwatch").list_metrics(Namespace="Endpoint", MetricName=name)
    assert [m["MetricName"] for m in listed["Metrics"]] == [name]
    status, headers, answer = raw(server, body=b"not gzip", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip",
        **signed})
    assert status == 500 and b"<Code>InternalFailure</Code>" in answer
    status, _, answer = raw(server, path="/service/GraniteServiceVersion20100801/operation/"
                            "ListMetrics", body=b"not gzip", headers={
                                "Content-Type": "application/cbor", "smithy-protocol":
                                "rpc-v2-cbor", "Content-Encoding": "gzip", **signed})
    assert status == 500


def test_boto3_request_compression(server, table, unique):
    # botocore compresses PutMetricData (its `requestcompression` trait) from
    # request_min_compression_size_bytes on; DynamoDB's model has no such trait, so the client's
    # model is given one, as Alternator's test_compressed_request.py does against DynamoDB.
    cw = server.client("cloudwatch", request_min_compression_size_bytes=1)
    sent = []
    cw.meta.events.register("before-send", lambda request, **_: sent.append(
        request.headers.get("Content-Encoding")))
    name = unique("Compressed")
    cw.put_metric_data(Namespace="Endpoint", MetricData=[{"MetricName": name, "Value": 2.0}])
    assert sent == [b"gzip"] or sent == ["gzip"]
    assert server.client("cloudwatch").list_metrics(Namespace="Endpoint", MetricName=name)["Metrics"]
    client = server.client("dynamodb", request_min_compression_size_bytes=1)
    for op in client.meta.service_model._service_description["operations"].values():
        op["requestcompression"] = {"encodings": ["gzip"]}
    sent.clear()
    client.meta.events.register("before-send", lambda request, **_: sent.append(
        request.headers.get("Content-Encoding")))
    client.put_item(TableName=table, Item={"k": {"S": "boto3-gzip"}, "v": {"S": "z" * 20000}})
    got = client.get_item(TableName=table, Key={"k": {"S": "boto3-gzip"}}, ConsistentRead=True)
    assert got["Item"]["v"] == {"S": "z" * 20000}
    assert all(s in (b"gzip", "gzip") for s in sent) and len(sent) == 2


# ----------------------------------------------------------------------- response compression
@pytest.fixture(scope="module")
def big_item(server, table):
    server.client("dynamodb").put_item(TableName=table, Item={
        "k": {"S": "large"}, "a": {"S": "x" * 2048}, "b": {"S": "x" * 2048}, "c": {"S": "x" * 2048}})
    return {"TableName": table, "Key": {"k": {"S": "large"}}, "ConsistentRead": True}


@pytest.mark.parametrize("coding,decompress", [("gzip", gzip.decompress),
                                               ("deflate", zlib.decompress)])
def test_large_answers_are_compressed_with_crc_of_the_sent_bytes(server, big_item, coding,
                                                                  decompress):
    status, headers, body = ddb(server, "GetItem", big_item, {"Accept-Encoding": coding})
    assert status == 200
    assert headers["content-encoding"] == coding
    assert headers["content-length"] == str(len(body))
    assert headers["x-amz-crc32"] == crc(body)  # the compressed bytes, as AWS checksums them
    assert json.loads(decompress(body))["Item"]["a"] == {"S": "x" * 2048}
    assert len(body) * 30 < len(decompress(body))


def test_small_answers_and_errors_are_not_compressed(server, big_item):
    small = {**big_item, "ProjectionExpression": "a"}  # about 2 KB: under DynamoDB's 4 KB
    status, headers, body = ddb(server, "GetItem", small, {"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in headers
    assert json.loads(body)["Item"]["a"] == {"S": "x" * 2048}
    status, headers, body = ddb(server, "GetItem", {**big_item, "TableName": "Missing"},
                                {"Accept-Encoding": "gzip"})
    assert status == 400 and "content-encoding" not in headers
    status, headers, body = ddb(server, "GetItem", big_item)  # no Accept-Encoding
    assert "content-encoding" not in headers and headers["x-amz-crc32"] == crc(body)


# Alternator's test_accept_encoding_header, run against DynamoDB: the coding each header gets.
ACCEPT = [
    ("identity", None), ("", None), ("br", None), ("zstd", None), ("compress", None),
    ("x-gzip", None), ("gzip, deflate", "gzip"), ("br, identity, deflate, gzip", "deflate"),
    ("GZIP, identity", "gzip"), ("dog, gzip ,, cat", "gzip"),
    ("gzip;q=0.8, deflate;q=0.5", "gzip"), ("br, gzip;q=0, deflate; q = 0.5 , identity;q=0", "deflate"),
    ("*", "gzip"), ("*, deflate;q=0.5", "gzip"), ("*, deflate", "deflate"), ("*, identity", "gzip"),
    ("*, gzip;q=0.5", "deflate"), ("gzip ;q=0", None), ("identity;q=0", None), ("*;q=0", None),
    ("*;q=0.5,identity", "gzip"), ("gzip;q=0.5,identity;q=0.8", "gzip"),
    ("br;q=0.8,identity;q=0.5,*;q=0", None), ('"gzip"', None), ("gzip br", None),
    ("gzip:q=1", None), ("deflate;q=0.5, gzip;q=31", "gzip"), ("gzip;q=31,deflate;q=51", "gzip"),
    ("deflate;q=0.5, gzip;q=0.2", "deflate"), ("deflate;q=0.5, gzip;q=1;q=0.2", "gzip"),
    ("deflate;q=0.5,gzip;q=0.", "deflate"), ("deflate;q=0.5,gzip;q=0.x", "gzip"),
    ("deflate;q=0.5,gzip;q=0. x", "gzip"), ("deflate;q=-0.5,gzip;q=0.2", "gzip"),
    ("gzip;q= 0;q=1", None), ("gzip;q =0;q=1", "gzip"), ("gzip; q=0;q=1", None),
    ("gzip;nq=0;q=1", None), ("gzip;q=0, gzip;q=1, gzip;q=0", "gzip"),
    ("br,identity;q=0.5,gzip;q=0.0001", "gzip"),
]


def test_accept_encoding_negotiation_as_dynamodb_reads_it(server, big_item):
    got = [(accept, ddb(server, "GetItem", big_item, {"Accept-Encoding": accept})[1]
            .get("content-encoding")) for accept, _ in ACCEPT]
    assert got == ACCEPT


def test_boto3_checks_the_crc_of_compressed_answers(server, big_item):
    # botocore verifies x-amz-crc32 over the bytes as received (decode_content=False) and
    # retries on a mismatch; with two attempts allowed, a wrong CRC would show as a retry.
    client = server.client("dynamodb", retries={"total_max_attempts": 2, "mode": "standard"})
    seen = []

    def accept_gzip(params, **_):
        params["headers"]["Accept-Encoding"] = "gzip"

    def decompress(response_dict, **_):
        seen.append(response_dict["headers"].get("content-encoding"))
        if response_dict["headers"].get("content-encoding") == "gzip":
            response_dict["body"] = gzip.decompress(response_dict["body"])

    client.meta.events.register("before-call.dynamodb.GetItem", accept_gzip)
    client.meta.events.register("before-parse.dynamodb.GetItem", decompress)
    got = client.get_item(**big_item)
    assert got["Item"]["b"] == {"S": "x" * 2048}
    assert seen == ["gzip"] and got["ResponseMetadata"]["RetryAttempts"] == 0


# ------------------------------------------------------------------------------------ headers
def test_date_and_server_headers(server, table):
    status, headers, _ = ddb(server, "ListTables", {})
    assert status == 200 and headers["server"] == "Server"
    assert email.utils.parsedate_to_datetime(headers["date"]).tzname() == "UTC"
    status, headers, _ = ddb(server, "DescribeTable", {"TableName": "nope"})
    assert status == 400 and headers["server"] == "Server" and "date" in headers
    form = b"Action=GetCallerIdentity&Version=2011-06-15"
    status, headers, _ = raw(server, body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": AUTH.format(svc="sts"), "X-Amz-Date": "20261128T000000Z"})
    assert status == 200 and "date" in headers and "server" not in headers


def test_operation_without_output_answers_an_empty_body(server, table):
    arn = server.client("dynamodb").describe_table(TableName=table)["Table"]["TableArn"]
    for op, doc in (("TagResource", {"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}),
                    ("UntagResource", {"ResourceArn": arn, "TagKeys": ["k"]})):
        status, headers, body = ddb(server, op, doc)
        assert (status, body) == (200, b"")
        assert headers["content-length"] == "0" and headers["x-amz-crc32"] == "0"
        assert headers["content-type"] == "application/x-amz-json-1.0"


def test_health_check(server):
    status, headers, body = raw(server, "GET")
    assert (status, body) == (200, b"healthy: dynamodb.us-east-1.amazonaws.com ")
    assert headers["x-amz-crc32"] == crc(body) and headers["content-length"] == "42"
    assert len(headers["x-amzn-requestid"]) == 52 and "content-type" not in headers
    status, headers, body = raw(server, "HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", "42")
    for path in ("/abc", "/-", "/index.htm", "/health"):  # Alternator test_health.py
        assert raw(server, "GET", path)[0] == 404


def test_body_over_16_mb_is_413_chunked(server):
    limit = 16 * 1024 * 1024
    status, _, body = raw(server, body=b"a" * limit)  # not JSON, not too large: 404
    assert (status, body) == (404, b"<UnknownOperationException/>\n")
    status, headers, body = raw(server, body=b"a" * (limit + 1))
    assert (status, body) == (413, b"")
    assert headers["transfer-encoding"] == "chunked" and "content-type" not in headers


def test_request_line_and_headers_over_16_kb_are_400(server):
    status, _, body = raw(server, "POST", "/" + "x" * 17000, headers=SIGNED)
    assert status == 400 and b"InvalidSignature" not in body
    status, _, _ = ddb(server, "ListTables", {}, {"X-Big": "y" * 17000})
    assert status == 400
    status, _, _ = ddb(server, "ListTables", {}, {"X-Big": "y" * 15000})
    assert status == 200


# ------------------------------------------------------------- refusal order: body and signature
def body_and_crc(status, headers, body):
    return status, json.loads(body), int(headers["x-amz-crc32"])


SERIALIZATION = {"__type": "com.amazon.coral.service#SerializationException"}
UNKNOWN_OP = {"__type": "com.amazon.coral.service#UnknownOperationException"}
MISSING = {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
           "message": "Request is missing Authentication Token"}


def test_body_that_is_not_json_comes_before_target_and_signature(server):
    for headers in ({"Content-Type": "application/x-amz-json-1.0"},
                    {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "whatever"},
                    {"Content-Type": "application/x-amz-json-1.0",
                     "X-Amz-Target": TARGET + "ListTables"}):
        answer = body_and_crc(*raw(server, body=b"hi", headers=headers))
        assert answer == (400, SERIALIZATION, 3948637019)


def test_unknown_target_comes_before_the_signature(server):
    answer = body_and_crc(*raw(server, body=b"{}", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": TARGET + "ListTable"}))
    assert answer == (400, UNKNOWN_OP, 1368724161)


@pytest.mark.parametrize("auth", [None, "AWS4", "X"])
def test_missing_authentication_token(server, auth):
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": TARGET + "ListTables"}
    if auth:
        headers["Authorization"] = auth
    answer = body_and_crc(*raw(server, body=b"{}", headers=headers))
    assert answer == (400, MISSING, 2088342776)


def test_empty_body_is_refused_after_the_signature(server):
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": TARGET + "ListTables"}
    assert body_and_crc(*raw(server, headers=headers)) == (400, MISSING, 2088342776)
    answer = body_and_crc(*raw(server, headers={**headers, **SIGNED}))
    assert answer == (400, SERIALIZATION, 3948637019)


INCOMPLETE = "com.amazon.coral.service#IncompleteSignatureException"
INVALID = "com.amazon.coral.service#InvalidSignatureException"


@pytest.mark.parametrize("path,auth,date,kind,message,crc32", [
    ("/", "AWS4-", None, INCOMPLETE,
     "Authorization header requires 'Credential' parameter. Authorization header requires "
     "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
     "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
     "Authorization=AWS4-", 1828866742),
    ("/", "AWS4- Signature=b Credential=a", "a", INCOMPLETE,
     "Authorization header requires 'SignedHeaders' parameter. "
     "Authorization=AWS4- Signature=b Credential=a", 15336762),
    ("/", "AWS4- Signature=b,Credential=a", "a", INCOMPLETE,
     "Authorization header requires 'SignedHeaders' parameter. "
     "Authorization=AWS4- Signature=b,Credential=a", 1159703774),
    ("/", "AWS4- Signature=b, Credential=a", "a", INCOMPLETE,
     "Authorization header requires 'SignedHeaders' parameter. "
     "Authorization=AWS4- Signature=b, Credential=a", 164353342),
    ("/?X-Amz-Algorithm", "X", None, INVALID,
     "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
     2139606068),
    ("/?X-Amz-Algorithm", None, None, INCOMPLETE,
     "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters "
     "must include 'X-Amz-Credential'. AWS query-string parameters must include "
     "'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS "
     "query-string parameters must include 'X-Amz-Date'. Re-examine the query-string "
     "parameters.", 2900502663),
    ("/?X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d", None, None,
     INCOMPLETE, "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
     "Re-examine the query-string parameters.", 3712057481),
])
def test_malformed_signatures_as_dynalite_recorded_them(server, path, auth, date, kind, message,
                                                        crc32):
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": TARGET + "ListTables"}
    if auth:
        headers["Authorization"] = auth
    if date:
        headers["Date"] = date
    status, got, got_crc = body_and_crc(*raw(server, path=path, body=b"{}", headers=headers))
    assert (status, got, got_crc) == (400, {"__type": kind, "message": message}, crc32)


def test_presigned_query_without_algorithm_is_missing_token(server):
    answer = body_and_crc(*raw(
        server, path="/?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=c&X-Amz-Date=d",
        body=b"{}", headers={"Content-Type": "application/x-amz-json-1.0",
                             "X-Amz-Target": TARGET + "ListTables"}))
    assert answer == (400, MISSING, 2088342776)


@pytest.mark.parametrize("auth,date,kind,message", [
    ("AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/dynamodb/aws4_request, "
     "SignedHeaders=host;x-amz-date, Signature=0", "201", INCOMPLETE,
     "Date must be in ISO-8601 'basic format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601"),
    ("AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/dynamodb/aws4_request, "
     "SignedHeaders=x-amz-date, Signature=0", "20261128T000000Z", INVALID,
     "'Host' must be a 'SignedHeader' in the AWS Authorization."),
    ("AWS4-HMAC-SHA25 Credential=AKID/20261128/us-east-1/dynamodb/aws4_request, "
     "SignedHeaders=host, Signature=0", "20261128T000000Z", INCOMPLETE,
     "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). "),
    ("AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=0", "20261128T000000Z",
     INCOMPLETE, "Credential must have exactly 5 slash-delimited elements, e.g. "
     "keyid/date/region/service/term, got 'a/b/c/d'"),
    ("AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/dynamodb/e, SignedHeaders=host, "
     "Signature=0", "20261128T000000Z", INVALID,
     "Credential should be scoped with a valid terminator: 'aws4_request', not 'e'."),
    ("AWS4-HMAC-SHA256 Credential=AKID/20130609/us-east-1/dynamodb/aws4_request, "
     "SignedHeaders=host, Signature=0", "20130610T095204Z", INVALID,
     "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
     "'20130609' != '20130610', from '20130610T095204Z'."),
])
def test_signature_form_checks(server, auth, date, kind, message):
    status, headers, body = ddb(server, "ListTables", {}, signed=False,
                                extra={"Authorization": auth, "X-Amz-Date": date})
    assert (status, json.loads(body)) == (400, {"__type": kind, "message": message})


def test_query_protocol_signature_errors(server):
    status, _, body = raw(server, body=b"Action=GetCallerIdentity&Version=2011-06-15", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Authorization": "AWS4-"})
    assert status == 400 and b"<Code>IncompleteSignature</Code>" in body


def test_a_real_signature_passes_every_check(server):
    # boto3 signs for real: nothing above refuses it, for a JSON and a query service.
    assert "TableNames" in server.client("dynamodb").list_tables()
    assert server.client("sts").get_caller_identity()["Account"]
    cfg = botocore.config.Config(signature_version="v4")
    assert server.client("iam", signature_version=cfg.signature_version).list_roles()
