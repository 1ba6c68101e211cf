"""Bad input never hurts us: random, model-shaped but mistyped or nonsensical requests to every
implemented operation of every service get an AWS error (4xx) or a success, never a 5xx, also
when they cross from a front process to the owner (--workers).

Requests are built from each operation's botocore input shape with random member subsets and
random values of random JSON types (hypothesis), sent as raw awsJson (or query form) over HTTP.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynoscale import app
from dynoscale.protocol import models
from tests.kit import AUTH, post


scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(["", "table/fuzz", "dynamodb", "ALL", "S", "N", "1", "fuzz", "pk", "sk",
                                     "#n", ":v", "pk = :v", "SET #n = :v", "gsi"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["S", "N", "B", "M", "L", "SS", "x"]), inner, max_size=3)),
    max_leaves=8)


def shaped(shape, depth=0):
    """A value that follows the shape loosely: right keys, random (often wrong) leaves."""
    t = shape.type_name
    if depth > 3:
        return json_values
    if t == "structure":
        members = list(shape.members.items())
        return st.fixed_dictionaries({}, optional={n: st.one_of(shaped(m, depth + 1), json_values)
                                                    for n, m in members})
    if t == "list":
        return st.lists(shaped(shape.member, depth + 1), max_size=3)
    if t == "map":
        return st.dictionaries(st.text(max_size=5), shaped(shape.value, depth + 1), max_size=3)
    if t == "string" and shape.enum:
        return st.one_of(st.sampled_from(shape.enum), st.text(max_size=5))
    return json_values


def operations(package):
    import importlib
    return sorted(importlib.import_module(f"dynoscale.services.{package}.operations").OPERATIONS)


# Every declared service (app.SERVICES), in awsJson where it speaks it, else in the query protocol.
DECLARATIONS = dict(zip(app.SERVICES, app.declarations()))
CASES = [(package, op) for package in app.SERVICES for op in operations(package)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Served through `--workers 2` (one front, one owner), so every operation's parameters,
    outputs and errors also cross the front/owner link (server/workers.py); the single-process
    path is what every other test module drives."""
    from tests.conftest import Server
    s = Server(str(tmp_path_factory.mktemp("data")), ["--clock", "manual", "--workers", "2"]).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def fuzz_table(server):
    """A real table (with a GSI) so that random requests also reach the code behind the checks."""
    ddb = server.client("dynamodb")
    ddb.create_table(TableName="fuzz", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     GlobalSecondaryIndexes=[{"IndexName": "gsi", "Projection": {"ProjectionType": "ALL"},
                                              "KeySchema": [{"AttributeName": "sk", "KeyType": "HASH"}]}])
    server.advance(10)
    ddb.put_item(TableName="fuzz", Item={"pk": {"S": "S"}, "sk": {"N": "1"}, "x": {"M": {"S": {"L": []}}}})
    return "fuzz"


@pytest.mark.parametrize("package,op", CASES)
def test_random_requests_never_get_a_server_error(server, fuzz_table, package, op):
    service = DECLARATIONS[package]
    shape = models.operation(service.name, op).input_shape

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(shaped(shape) if shape is not None else st.just({}))
    def check(doc):
        signing = service.signing_names[0]
        if service.json_target:
            version = models.service_model(service.name).metadata.get("jsonVersion", "1.0")
            status, _, data = post(server, json.dumps(doc).encode(), {
                "Content-Type": f"application/x-amz-json-{version}",
                "X-Amz-Target": f"{service.json_target}.{op}",
                "Authorization": AUTH.format(svc=signing), "X-Amz-Date": "20261128T000000Z"})
        else:
            form = {"Action": op, "Version": service.query_version}
            for k, v in (doc or {}).items():
                if isinstance(v, (str, int, float, bool)) and not isinstance(v, bool):
                    form[k] = str(v)
            status, _, data = post(server, urlencode(form).encode(), {
                "Content-Type": "application/x-www-form-urlencoded", "Authorization": AUTH.format(svc=signing)})
        assert status < 500, (op, doc, data[:500])

    check()
