"""Request body size limits under `--auth verify`, and their order against the signature.

- The endpoint's 16 MB limit is said before anything about the signature: dynalite's "should
  return 413 if request too large" sends an unsigned body (test/connection.js, recorded against
  DynamoDB), and scylladb's test/alternator/test_manual_requests.py::
  test_too_large_request_content_length (run against DynamoDB) a signed one: both 413.
- CloudWatch's PutMetricData takes at most 1 MB (CloudWatch API Reference, PutMetricData):
  413 RequestEntityTooLarge "Request size N exceeded 1048576 bytes" (the text quoted in
  micrometer-metrics/micrometer#2302 and aws/aws-sdk-go#4441), counted on the body as sent.
"""

from __future__ import annotations

import gzip
import random
import string
import urllib.parse

import pytest

from tests.auth.helpers import KEY, ROOT_FLAGS, SECRET, client
from tests.conftest import Server
from tests.kit import error, post

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--auth", "verify", *ROOT_FLAGS]).start()
    yield s
    s.stop()


def _signed(server, body: bytes, headers: dict, service: str) -> dict:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="POST", url=server.url + "/", data=body, headers=headers)
    SigV4Auth(Credentials(KEY, SECRET), service, "us-east-1").add_auth(req)
    return dict(req.headers)


@pytest.mark.parametrize("signing", ["none", "wrong secret", "valid"])
def test_dynamodb_body_over_16_mb_is_413_whatever_the_signature(server, signing):
    body = b'{"TableName": "t", ' + b" " * (16 * MB) + b'"Item": {"p": {"S": "x"}}}'
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": "DynamoDB_20120810.PutItem"}
    if signing != "none":
        headers = _signed(server, body, headers, "dynamodb")
        if signing == "wrong secret":
            headers["Authorization"] = headers["Authorization"][:-8] + "00000000"
    status, _, answer = post(server, body, headers)
    assert (status, answer) == (413, b"")


def _noise(n: int, seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(string.ascii_letters) for _ in range(n))


def _metric_data(count: int, seed: int) -> list:
    """Metrics with two 1000-letter random dimension values each (gzip cannot shrink random
    letters below ~70%)."""
    return [{"MetricName": f"m{i}", "Value": 1.0,
             "Dimensions": [{"Name": f"d{j}", "Value": _noise(1000, seed * 100000 + 2 * i + j)}
                            for j in range(2)]}
            for i in range(count)]


def _metrics(cw, namespace: str) -> list:
    pages = cw.get_paginator("list_metrics").paginate(Namespace=namespace)
    return [m for page in pages for m in page["Metrics"]]


def test_put_metric_data_over_1_mb_is_request_entity_too_large(server):
    cw = client(server, "cloudwatch")
    data = _metric_data(1000, 1)  # ~2 MB of noise: ~1.4 MB gzipped
    code, message, status = error(cw.put_metric_data, Namespace="Limits/Big", MetricData=data)
    assert (code, status) == ("RequestEntityTooLarge", 413)
    size = int(message.split()[2])
    assert size > MB and message == f"Request size {size} exceeded 1048576 bytes"
    assert _metrics(cw, "Limits/Big") == []


def test_put_metric_data_is_counted_compressed(server):
    """~1.3 MB of repetitive metric data: gzipped by botocore to far under 1 MB, accepted."""
    cw = client(server, "cloudwatch")
    data = [{"MetricName": f"m{i}", "Value": 1.0,
             "Dimensions": [{"Name": "d", "Value": "x" * 1024}]} for i in range(1000)]
    cw.put_metric_data(Namespace="Limits/Repetitive", MetricData=data)
    assert len(_metrics(cw, "Limits/Repetitive")) == 1000


def _query_body(extra_chars: int) -> bytes:
    form = {"Action": "PutMetricData", "Version": "2010-08-01", "Namespace": "Limits/Raw",
            "MetricData.member.1.MetricName": "m", "MetricData.member.1.Value": "1",
            "MetricData.member.1.Dimensions.member.1.Name": "d",
            "MetricData.member.1.Dimensions.member.1.Value": "v" * extra_chars}
    return urllib.parse.urlencode(form).encode()


def test_oversized_put_metric_data_is_refused_before_the_signature(server):
    body = _query_body(MB)
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    status, _, answer = post(server, body, headers)  # unsigned
    assert status == 413
    assert b"<Code>RequestEntityTooLarge</Code>" in answer
    assert f"<Message>Request size {len(body)} exceeded 1048576 bytes</Message>".encode() in answer
    # exactly 1 MB is within the limit: then the (missing) signature is what is wrong
    small = _query_body(0)
    body = _query_body(MB - len(small))
    assert len(body) == MB
    status, _, answer = post(server, body, headers)
    assert status == 403 and b"MissingAuthenticationToken" in answer


def test_compressed_oversized_body_counts_as_sent(server):
    """A gzipped query body: its compressed size is what counts."""
    raw = _query_body(2 * MB)  # repetitive: compresses to a few KB
    body = gzip.compress(raw)
    headers = _signed(server, body, {"Content-Type": "application/x-www-form-urlencoded",
                                     "Content-Encoding": "gzip"}, "monitoring")
    status, _, answer = post(server, body, headers)
    assert status != 413, answer
