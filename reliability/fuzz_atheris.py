"""Coverage-guided fuzzing of what reads untrusted bytes: DynamoDB's expression parser and the
request codecs behind the pipeline (awsJson, rpc-v2-cbor, query forms). Not in CI: a fuzzing
run is open-ended. The test suite's own fuzzing (tests/protocol/test_fuzz_*.py) goes over HTTP;
this drives the same code in process, so that libFuzzer can steer by coverage.

    pip install atheris        # Google's libFuzzer for Python; wheels for CPython 3.8-3.11+
    python reliability/fuzz_atheris.py expr  [libFuzzer flags] [CORPUS_DIR ...]
    python reliability/fuzz_atheris.py json  -max_total_time=300 corpus-json/
    python reliability/fuzz_atheris.py cbor | query

Targets:
  expr   the text of a ConditionExpression, UpdateExpression, ProjectionExpression or
         KeyConditionExpression (first byte: which), parsed (services/dynamodb/expr/parser.py)
  json   an awsJson body for one of DynamoDB's operations (first byte: which), through the whole
         request path of an in-memory server (routing, Codec.check_body, Codec.parse, model
         validation, the operation itself) as `Dispatcher` runs it for an HTTP request
  cbor   an rpc-v2-cbor body for one of CloudWatch's operations, likewise
  query  a query-protocol form body for CloudWatch, IAM or STS, likewise

A crash is what the server must never do: an exception other than an AwsError (for `expr`), or
an answer with a 5xx status (the pipeline turns an unexpected exception into a 500
InternalFailure, so that is how a crash shows). libFuzzer then stops and writes the input to
`crash-<sha1>`; replay it with `python reliability/fuzz_atheris.py TARGET crash-<sha1>`, and add
it to the REGRESSIONS of tests/protocol/test_fuzz_mutation.py once fixed.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

try:
    import atheris
except ImportError:
    sys.exit("reliability/fuzz_atheris.py needs atheris: pip install atheris")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

with atheris.instrument_imports(include=["dynoscale"]):
    from dynoscale import app as dynoscale_app
    from dynoscale.config import Config
    from dynoscale.errors import AwsError
    from dynoscale.server.dispatch import Dispatcher
    from dynoscale.services.dynamodb.expr import parser

AUTH = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/{svc}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=0000")
DATE = "20261128T000000Z"

PARSERS = (parser.parse_condition, parser.parse_update, parser.parse_projection,
           parser.parse_key_condition)
DYNAMODB_OPS = ("PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
                "BatchWriteItem", "TransactWriteItems", "TransactGetItems", "CreateTable",
                "UpdateTable", "ExecuteStatement", "BatchExecuteStatement", "DescribeTable",
                "UpdateTimeToLive", "TagResource")
CLOUDWATCH_OPS = ("PutMetricData", "GetMetricData", "GetMetricStatistics", "PutMetricAlarm",
                  "DescribeAlarms", "ListMetrics", "SetAlarmState", "PutCompositeAlarm")
QUERY = (("monitoring", "2010-08-01", CLOUDWATCH_OPS),
         ("iam", "2010-05-08", ("CreateRole", "PutRolePolicy", "CreatePolicy", "GetRole",
                                "AttachRolePolicy", "CreateServiceLinkedRole", "TagRole")),
         ("sts", "2011-06-15", ("AssumeRole", "GetCallerIdentity")))

_dispatcher = None


def dispatcher() -> Dispatcher:
    """An in-memory, manual-clock server's request path, built once (its state carries over
    between inputs, as a long-running server's does)."""
    global _dispatcher
    if _dispatcher is None:
        application = dynoscale_app.build(Config(in_memory=True, clock="manual"))
        application.start()
        _dispatcher = Dispatcher(application)
        # The table most inputs name, so that fuzzed requests reach past "table not found".
        _dispatcher("POST", "/", dynamodb_headers("CreateTable"), (
            b'{"TableName":"fuzz","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":'
            b'[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk",'
            b'"AttributeType":"N"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},'
            b'{"AttributeName":"sk","KeyType":"RANGE"}]}'))
    return _dispatcher


def dynamodb_headers(op: str) -> dict[str, str]:
    return {"host": "localhost", "content-type": "application/x-amz-json-1.0",
            "x-amz-target": f"DynamoDB_20120810.{op}", "x-amz-date": DATE,
            "authorization": AUTH.format(svc="dynamodb")}


def check(resp, what: str) -> None:
    if resp.status >= 500:
        raise RuntimeError(f"{what} answered {resp.status}: {resp.body[:500]!r}")


def fuzz_expr(data: bytes) -> None:
    if not data:
        return
    try:
        PARSERS[data[0] % len(PARSERS)](data[1:].decode("utf-8", "replace"))
    except AwsError:
        pass


def fuzz_json(data: bytes) -> None:
    if not data:
        return
    op = DYNAMODB_OPS[data[0] % len(DYNAMODB_OPS)]
    check(dispatcher()("POST", "/", dynamodb_headers(op), data[1:]), op)


def fuzz_cbor(data: bytes) -> None:
    if not data:
        return
    op = CLOUDWATCH_OPS[data[0] % len(CLOUDWATCH_OPS)]
    headers = {"host": "localhost", "smithy-protocol": "rpc-v2-cbor",
               "content-type": "application/cbor", "accept": "application/cbor",
               "x-amz-date": DATE, "authorization": AUTH.format(svc="monitoring")}
    check(dispatcher()("POST", f"/service/GraniteServiceVersion20100801/operation/{op}", headers,
                       data[1:]), op)


def fuzz_query(data: bytes) -> None:
    if len(data) < 2:
        return
    signing, version, ops = QUERY[data[0] % len(QUERY)]
    op = ops[data[1] % len(ops)]
    headers = {"host": "localhost", "content-type": "application/x-www-form-urlencoded",
               "x-amz-date": DATE, "authorization": AUTH.format(svc=signing)}
    body = f"Action={op}&Version={version}&".encode() + data[2:]
    check(dispatcher()("POST", "/", headers, body), op)


TARGETS = {"expr": fuzz_expr, "json": fuzz_json, "cbor": fuzz_cbor, "query": fuzz_query}


def seeds(target: str) -> list[bytes]:
    """Valid inputs to start from (libFuzzer mutates them): from an empty corpus it would take
    long to find even one well-formed request."""
    if target == "expr":
        return [bytes([0]) + b"attribute_exists(#a) AND (b.c[2] < :v OR size(d) BETWEEN :x AND :y)",
                bytes([0]) + b"NOT contains(s, :v) OR a IN (:a, :b, :c) AND begins_with(p, :p)",
                bytes([1]) + b"SET a = if_not_exists(a, :z) + :one, l = list_append(l, :l) "
                             b"REMOVE b.c[1] ADD n :n DELETE ss :s",
                bytes([2]) + b"a, b.c[3].d, #n, e[0]",
                bytes([3]) + b"pk = :p AND sk BETWEEN :lo AND :hi",
                bytes([3]) + b"#p = :p AND begins_with(sk, :s)"]
    if target == "json":
        item = b'{"pk":{"S":"a"},"sk":{"N":"1"},"m":{"M":{"l":{"L":[{"SS":["x"]},{"B":"AAEC"}]}}}}'
        key = b'{"pk":{"S":"a"},"sk":{"N":"1"}}'
        bodies = {
            "PutItem": b'{"TableName":"fuzz","Item":' + item + b',"ConditionExpression":'
                       b'"attribute_not_exists(pk) OR #m.l[0] = :v","ExpressionAttributeNames":'
                       b'{"#m":"m"},"ExpressionAttributeValues":{":v":{"N":"1"}}}',
            "UpdateItem": b'{"TableName":"fuzz","Key":' + key + b',"UpdateExpression":'
                          b'"SET n = if_not_exists(n, :z) + :o REMOVE m.l[0]",'
                          b'"ExpressionAttributeValues":{":z":{"N":"0"},":o":{"N":"1"}},'
                          b'"ReturnValues":"ALL_NEW"}',
            "Query": b'{"TableName":"fuzz","KeyConditionExpression":"pk = :p AND sk > :s",'
                     b'"ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"0"}},'
                     b'"FilterExpression":"size(m) > :s","Limit":5,"ScanIndexForward":false}',
            "BatchWriteItem": b'{"RequestItems":{"fuzz":[{"PutRequest":{"Item":' + item
                              + b'}},{"DeleteRequest":{"Key":' + key + b'}}]}}',
            "TransactWriteItems": b'{"TransactItems":[{"Put":{"TableName":"fuzz","Item":' + item
                                  + b'}},{"ConditionCheck":{"TableName":"fuzz","Key":' + key
                                  + b',"ConditionExpression":"attribute_exists(pk)"}}]}',
            "ExecuteStatement": b'{"Statement":"SELECT * FROM fuzz WHERE pk = ? AND sk > 0",'
                                b'"Parameters":[{"S":"a"}]}',
            "CreateTable": b'{"TableName":"fuzz2","AttributeDefinitions":[{"AttributeName":"k",'
                           b'"AttributeType":"S"}],"KeySchema":[{"AttributeName":"k","KeyType":'
                           b'"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,'
                           b'"WriteCapacityUnits":5}}',
        }
        return [bytes([DYNAMODB_OPS.index(op)]) + body for op, body in bodies.items()]
    if target == "cbor":
        import cbor2
        return [bytes([CLOUDWATCH_OPS.index("PutMetricData")]) + cbor2.dumps(
                    {"Namespace": "Fuzz", "MetricData": [{"MetricName": "m", "Value": 1.5,
                     "Dimensions": [{"Name": "d", "Value": "v"}], "Unit": "Count"}]}),
                bytes([CLOUDWATCH_OPS.index("GetMetricData")]) + cbor2.dumps(
                    {"StartTime": 0, "EndTime": 3600, "MetricDataQueries": [
                        {"Id": "a", "Expression": "SUM(METRICS())", "Period": 60}]})]
    return [bytes([0, CLOUDWATCH_OPS.index("PutMetricAlarm")]) + b"AlarmName=a&MetricName=m&"
            b"Namespace=n&Statistic=Sum&Period=60&EvaluationPeriods=1&Threshold=1&"
            b"ComparisonOperator=GreaterThanThreshold&Dimensions.member.1.Name=d&"
            b"Dimensions.member.1.Value=v",
            bytes([1, 0]) + b"RoleName=r&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17"
            b"%22%2C%22Statement%22%3A%5B%5D%7D&Tags.member.1.Key=k&Tags.member.1.Value=v"]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(TARGETS)} [libFuzzer flags] [CORPUS_DIR ...]")
    name, args = sys.argv[1], sys.argv[2:]
    if not any(not a.startswith("-") for a in args):
        # No corpus (nor input to replay) given: start from the seeds, in a temporary corpus.
        import tempfile
        corpus = Path(tempfile.mkdtemp(prefix=f"dynoscale-fuzz-{name}-"))
        for i, seed in enumerate(seeds(name)):
            (corpus / f"seed-{i}").write_bytes(seed)
        print(f"corpus: {corpus}", flush=True)
        args.append(str(corpus))
    # The pipeline logs an unexpected exception before answering 500: keep that, quiet the rest.
    logging.basicConfig(level=logging.ERROR)
    atheris.Setup([sys.argv[0], *args], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
