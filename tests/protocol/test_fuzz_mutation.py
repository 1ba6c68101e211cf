"""Bad input never hurts us, beyond model-shaped requests (test_fuzz_no_500.py):

- mutation fuzzing: valid requests of every protocol (awsJson, rpc-v2-cbor, query form) with
  random byte flips, insertions, deletions, truncations and repeated slices;
- grammar fuzzing: token soups of the expression language (ConditionExpression, UpdateExpression,
  ProjectionExpression, KeyConditionExpression, FilterExpression) and of PartiQL statements,
  with and without the names and values they refer to;

each answered with an AWS error or a success, never a 5xx, and answered at all (the client's
socket timeout catches a hang). The server's memory stays bounded over the whole module. Every
crasher found becomes a case in REGRESSIONS.
"""

from __future__ import annotations

import json
import random
from urllib.parse import urlencode

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.kit import AUTH, post

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck),
                derandomize=True)
DATE = {"X-Amz-Date": "20261128T000000Z"}


def ddb_headers(op: str) -> dict:
    return {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"DynamoDB_20120810.{op}",
            "Authorization": AUTH.format(svc="dynamodb"), **DATE}


KEY = {"pk": {"S": "a"}, "sk": {"N": "1"}}
JSON_SEEDS = [
    ("PutItem", {"TableName": "fuzzm", "Item": {**KEY, "m": {"M": {"l": {"L": [{"N": "1"}, {"SS": ["x"]}]}}},
                                                "b": {"B": "AAEC"}},
                 "ConditionExpression": "attribute_not_exists(#n) OR size(m.l) < :v",
                 "ExpressionAttributeNames": {"#n": "pk"},
                 "ExpressionAttributeValues": {":v": {"N": "3"}}, "ReturnValues": "ALL_OLD"}),
    ("UpdateItem", {"TableName": "fuzzm", "Key": KEY,
                    "UpdateExpression": "SET #a = list_append(if_not_exists(#a, :e), :l) ADD c :one "
                                        "REMOVE m.l[0]",
                    "ExpressionAttributeNames": {"#a": "a"},
                    "ExpressionAttributeValues": {":e": {"L": []}, ":l": {"L": [{"S": "x"}]},
                                                  ":one": {"N": "1"}},
                    "ReturnValues": "UPDATED_NEW"}),
    ("Query", {"TableName": "fuzzm", "IndexName": "by-sk",
               "KeyConditionExpression": "sk = :k", "FilterExpression": "begins_with(pk, :p)",
               "ExpressionAttributeValues": {":k": {"N": "1"}, ":p": {"S": "a"}},
               "ExclusiveStartKey": KEY, "Limit": 5}),
    ("BatchWriteItem", {"RequestItems": {"fuzzm": [{"PutRequest": {"Item": KEY}},
                                                   {"DeleteRequest": {"Key": KEY}}]}}),
    ("TransactWriteItems", {"TransactItems": [
        {"ConditionCheck": {"TableName": "fuzzm", "Key": KEY, "ConditionExpression": "attribute_exists(pk)"}},
        {"Update": {"TableName": "fuzzm", "Key": {"pk": {"S": "b"}, "sk": {"N": "2"}},
                    "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"BOOL": True}}}}],
        "ClientRequestToken": "tok"}),
    ("ExecuteStatement", {"Statement": "UPDATE \"fuzzm\" SET v = v + ? WHERE pk = 'a' AND sk = 1 "
                                       "RETURNING ALL NEW *", "Parameters": [{"N": "1"}]}),
    ("CreateTable", {"TableName": "fuzzc", "BillingMode": "PROVISIONED",
                     "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
                     "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                     "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
]
CBOR_SEED = {"Namespace": "Fuzz", "MetricData": [
    {"MetricName": "m", "Value": 1.5, "Unit": "Count", "Dimensions": [{"Name": "d", "Value": "v"}]},
    {"MetricName": "s", "Unit": "Count",
     "StatisticValues": {"SampleCount": 2.0, "Sum": 3.0, "Minimum": 1.0, "Maximum": 2.0}}]}
QUERY_SEED = {"Action": "PutMetricAlarm", "Version": "2010-08-01", "AlarmName": "fz",
              "MetricName": "m", "Namespace": "Fuzz", "Statistic": "Sum", "Period": "60",
              "EvaluationPeriods": "1", "Threshold": "1", "ComparisonOperator": "GreaterThanThreshold",
              "Dimensions.member.1.Name": "d", "Dimensions.member.1.Value": "v"}


def mutate(data: bytes, seed: int, steps: int) -> bytes:
    """`steps` random edits of `data`: flip, insert, delete, truncate, repeat a slice."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(steps):
        kind = rng.randrange(5)
        at = rng.randrange(len(out) + 1)
        if kind == 0 and out:
            out[min(at, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5)))
        elif kind == 2:
            del out[at:at + rng.randrange(1, 8)]
        elif kind == 3:
            del out[at:]
        else:
            piece = out[at:at + rng.randrange(1, 16)]
            out[at:at] = piece * rng.randrange(1, 4)
    return bytes(out)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.conftest import Server
    s = Server(str(tmp_path_factory.mktemp("data")), ["--clock", "manual"]).start()
    ddb = s.client("dynamodb")
    ddb.create_table(TableName="fuzzm", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by-sk", "Projection": {"ProjectionType": "ALL"},
                                              "KeySchema": [{"AttributeName": "sk", "KeyType": "HASH"}]}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    s.advance(60)
    ddb.put_item(TableName="fuzzm", Item={**KEY, "m": {"M": {"l": {"L": [{"N": "1"}]}}}})
    yield s
    s.stop()


# Crashers the fuzzing found, with AWS's answer.
REGRESSIONS = [
    # CreateTable without AttributeDefinitions (a mutated member name): botocore's model made it
    # optional, AWS still requires it (ack-api-quirks DDB-TABLE-042)
    ("CreateTable", {"TableName": "fuzzr", "BillingMode": "PAY_PER_REQUEST",
                     "AttributeDefiitions": [{"AttributeName": "k", "AttributeType": "S"}],
                     "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]},
     "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy "
     "constraint: Member must not be null"),
    ("CreateTable", {"TableName": "fuzzr", "BillingMode": "PAY_PER_REQUEST",
                     "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}]},
     "1 validation error detected: Value null at 'keySchema' failed to satisfy "
     "constraint: Member must not be null"),
]


@pytest.mark.parametrize("op,doc,message", REGRESSIONS)
def test_regressions(server, op, doc, message):
    status, _, data = post(server, json.dumps(doc).encode(), ddb_headers(op))
    assert (status, json.loads(data)) == (400, {
        "__type": "com.amazon.coral.validate#ValidationException", "message": message})


# Query-form crashers (reliability/fuzz_atheris.py query): list indices "0" and "00" are one
# index whose values could not be ordered (a TypeError, answered 500); "²" passes str.isdigit()
# but not int(). Each is answered as a request, never a 5xx.
ALARM_FORM = ("Action=PutMetricAlarm&Version=2010-08-01&AlarmName=fuzzq&MetricName=m&Namespace=n"
              "&Period=60&EvaluationPeriods=1&Threshold=1&ComparisonOperator=GreaterThanThreshold"
              "&Statistic=Sum&")
QUERY_REGRESSIONS = [
    (ALARM_FORM + "Dimensions.member.0.Name=d&Dimensions.member.00=", 400),
    (ALARM_FORM + "Dimensions.member.\u00b2.Name=d&Dimensions.member.\u00b2.Value=v", 200),
]


@pytest.mark.parametrize("form,status", QUERY_REGRESSIONS, ids=["0-and-00", "superscript-two"])
def test_query_regressions(server, form, status):
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Authorization": AUTH.format(svc="monitoring"), **DATE}
    got, _, data = post(server, form.encode(), headers)
    assert got == status, data[:400]
    if status == 400:
        assert b"<Code>ValidationError</Code>" in data


def rss_kib(server) -> int:
    with open(f"/proc/{server.proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def assert_answered(status: int, what, data: bytes) -> None:
    assert status < 500, (what, data[:400])


@pytest.mark.parametrize("op,doc", JSON_SEEDS, ids=[op for op, _ in JSON_SEEDS])
def test_mutated_json_requests(server, op, doc):
    body = json.dumps(doc).encode()
    assert post(server, body, ddb_headers(op))[0] < 500  # the seed itself is served

    @FUZZ
    @given(st.integers(0, 2**32), st.integers(1, 6))
    def check(seed, steps):
        mutated = mutate(body, seed, steps)
        status, _, data = post(server, mutated, ddb_headers(op))
        assert_answered(status, mutated, data)

    check()


def test_mutated_cbor_requests(server):
    body = cbor2.dumps(CBOR_SEED)
    headers = {"Content-Type": "application/cbor", "Accept": "application/cbor",
               "smithy-protocol": "rpc-v2-cbor", "Authorization": AUTH.format(svc="monitoring"), **DATE}
    path = "/service/GraniteServiceVersion20100801/operation/PutMetricData"
    assert post(server, body, headers, path=path)[0] == 200

    @FUZZ
    @given(st.integers(0, 2**32), st.integers(1, 6))
    def check(seed, steps):
        mutated = mutate(body, seed, steps)
        status, _, data = post(server, mutated, headers, path=path)
        assert_answered(status, mutated, data)

    check()


cbor_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(), st.text(max_size=8),
              st.binary(max_size=8), st.datetimes(timezones=st.just(None)).map(str)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["Namespace", "MetricData", "MetricName",
                                                             "Value", "Values", "Counts", "Unit",
                                                             "Dimensions", "Name", "Timestamp",
                                                             "StatisticValues", "x"]), inner, max_size=4)),
    max_leaves=12)


@pytest.mark.parametrize("op", ["PutMetricData", "GetMetricData", "PutMetricAlarm", "DescribeAlarms"])
def test_random_cbor_documents(server, op):
    headers = {"Content-Type": "application/cbor", "Accept": "application/cbor",
               "smithy-protocol": "rpc-v2-cbor", "Authorization": AUTH.format(svc="monitoring"), **DATE}
    path = f"/service/GraniteServiceVersion20100801/operation/{op}"

    @FUZZ
    @given(cbor_values)
    def check(doc):
        body = cbor2.dumps(doc)
        status, _, data = post(server, body, headers, path=path)
        assert_answered(status, doc, data)

    check()


def test_mutated_query_requests(server):
    body = urlencode(QUERY_SEED).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Authorization": AUTH.format(svc="monitoring"), **DATE}
    assert post(server, body, headers)[0] == 200

    @FUZZ
    @given(st.integers(0, 2**32), st.integers(1, 6))
    def check(seed, steps):
        mutated = mutate(body, seed, steps)
        status, _, data = post(server, mutated, headers)
        assert_answered(status, mutated, data)

    check()


# -- grammar fuzzing -----------------------------------------------------------------------------
EXPRESSION_TOKENS = ["#n", "#m", ":v", ":w", ":l", "pk", "sk", "a", "m", "l", ".", "[0]", "[99999999999]",
                     "[", "]", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "NOT", "(", ")", ",",
                     "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with",
                     "contains", "size", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "+", "-",
                     "if_not_exists", "list_append", "\"", "'", "\x00", "é", "ǅ", "#", ":", "1", "-1"]
expressions = st.lists(st.sampled_from(EXPRESSION_TOKENS), max_size=24).map(" ".join) | \
    st.lists(st.sampled_from(EXPRESSION_TOKENS), max_size=24).map("".join)
names = st.sampled_from([{}, {"#n": "a", "#m": "m"}, {"#n": "pk"}, {"#n": ""}])
values = st.sampled_from([{}, {":v": {"N": "1"}, ":w": {"S": "x"}, ":l": {"L": [{"N": "2"}]}},
                          {":v": {"SS": ["a"]}}, {":v": {"NULL": True}}, {":v": {"M": {}}}])

EXPRESSION_MEMBERS = [
    ("PutItem", {"Item": KEY}, "ConditionExpression"),
    ("UpdateItem", {"Key": KEY}, "UpdateExpression"),
    ("UpdateItem", {"Key": KEY, "UpdateExpression": "SET a = :v"}, "ConditionExpression"),
    ("GetItem", {"Key": KEY}, "ProjectionExpression"),
    ("Query", {}, "KeyConditionExpression"),
    ("Query", {"KeyConditionExpression": "pk = :w"}, "FilterExpression"),
    ("Scan", {}, "FilterExpression"),
    ("DeleteItem", {"Key": KEY}, "ConditionExpression"),
]


@pytest.mark.parametrize("op,base,member", EXPRESSION_MEMBERS,
                         ids=[f"{op}.{member}" for op, _, member in EXPRESSION_MEMBERS])
def test_random_expressions(server, op, base, member):
    @FUZZ
    @given(expressions, names, values)
    def check(text, attribute_names, attribute_values):
        doc = {"TableName": "fuzzm", **base, member: text}
        if attribute_names:
            doc["ExpressionAttributeNames"] = attribute_names
        if attribute_values:
            doc["ExpressionAttributeValues"] = attribute_values
        status, _, data = post(server, json.dumps(doc).encode(), ddb_headers(op))
        assert_answered(status, doc, data)

    check()


PARTIQL_TOKENS = ["SELECT", "*", "INSERT", "INTO", "VALUE", "UPDATE", "DELETE", "FROM", "WHERE",
                  "SET", "REMOVE", "RETURNING", "ALL", "OLD", "NEW", "MODIFIED", "ORDER", "BY", "DESC",
                  "EXISTS", "\"fuzzm\"", "\"fuzzm\".\"by-sk\"", "fuzzm", "pk", "sk", "m", "m.l[0]", "'a'",
                  "1", "1e400", "-0", "?", "{", "}", "[", "]", "<<", ">>", ":", ",", ".", "=", "<>",
                  "<", ">=", "AND", "OR", "NOT", "IS", "MISSING", "NULL", "TRUE", "BETWEEN", "IN",
                  "(", ")", "begins_with", "contains", "size", "attribute_type", "list_append",
                  "set_add", "set_delete", "+", "-", "\"", "'", "--", "/*", "\x00", "ǅ"]
statements = st.lists(st.sampled_from(PARTIQL_TOKENS), max_size=30).map(" ".join)
parameters = st.lists(st.sampled_from([{"S": "a"}, {"N": "1"}, {"L": []}, {"M": {"x": {"N": "1"}}},
                                       {"NULL": True}, {"SS": ["a"]}, {"B": "AA=="}]), max_size=3)


@pytest.mark.parametrize("op", ["ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"])
def test_random_partiql(server, op):
    @FUZZ
    @given(st.lists(st.tuples(statements, parameters), min_size=1, max_size=3))
    def check(members):
        entries = [{"Statement": text or "SELECT", **({"Parameters": p} if p else {})}
                   for text, p in members]
        if op == "ExecuteStatement":
            doc = entries[0]
        elif op == "BatchExecuteStatement":
            doc = {"Statements": entries}
        else:
            doc = {"TransactStatements": entries}
        status, _, data = post(server, json.dumps(doc).encode(), ddb_headers(op))
        assert_answered(status, doc, data)

    check()


def test_memory_stays_bounded(server):
    """After every case above (module order), the server still answers and holds no runaway
    memory: a generous bound, as RSS depends on the allocator."""
    assert post(server, json.dumps({"TableName": "fuzzm", "Key": KEY}).encode(),
                ddb_headers("GetItem"))[0] == 200
    assert rss_kib(server) < 400 * 1024
