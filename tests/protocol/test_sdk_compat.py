"""Wire details that SDKs other than botocore depend on (found driving Dynoscale with the AWS SDK
for JavaScript v3; checked against the Smithy protocol tests and live AWS bodies quoted publicly).

- Typed SDKs (Go, Java, Rust, .NET) decode each member by its model type: an `integer`/`long` must
  be a JSON/CBOR integer (`5`, never `5.0`), a CBOR `double` a CBOR float, a timestamp a JSON number
  or a CBOR tag 1, a boolean a boolean. botocore and the JS SDK are lenient, so this is checked on
  the raw bodies of a broad pass over every service (event `before-parse`).
- Error bodies carry the message under the error shape's own member name: DynamoDB's
  TransactionCanceledException says `Message` (live bodies in aws/aws-sdk-net#1292,
  pynamodb/PynamoDB#1144, erlcloud/erlcloud#607), ConditionalCheckFailedException `message`;
  Application Auto Scaling's shapes all say `Message`; Coral's SerializationException `Message`.
- smithy-rpc-v2-cbor (smithy-protocol-tests rpcv2Cbor/empty-input-output.smithy): an operation
  without output answers 200 with an empty body and no Content-Type (`no_output`); a request may
  come with no body and no Content-Type (`no_input`) or as an indefinite-length empty map `bf ff`
  (`empty_input`, body `v/8=`).
- Request compression (model trait `requestcompression` on PutMetricData): SDKs gzip the body in
  every CloudWatch protocol (awsJson1_0, query, CBOR).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from urllib.parse import urlencode

import cbor2
import pytest

from tests.cloudwatch.helpers import cloudwatch_client
from tests.kit import AUTH, json_call, post

CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/{op}"


def cbor_call(server, op: str, body: bytes, content_type: bool = True):
    headers = {"smithy-protocol": "rpc-v2-cbor", "Accept": "application/cbor",
               "Authorization": AUTH.format(svc="monitoring")}
    if content_type:
        headers["Content-Type"] = "application/cbor"
    return post(server, body, headers, path=CBOR_PATH.format(op=op))


# -- typed decoding ---------------------------------------------------------------------------

def type_errors(shape, value, path: str, cbor: bool, out: list) -> None:
    """Where `value` (a decoded body) breaks what a typed SDK's decoder for `shape` accepts."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            out.append(f"{path}: {type(value).__name__} for a structure")
            return
        for name, member in value.items():
            if name in shape.members:
                type_errors(shape.members[name], member, f"{path}.{name}", cbor, out)
    elif kind == "list":
        if not isinstance(value, list):
            out.append(f"{path}: {type(value).__name__} for a list")
            return
        for i, item in enumerate(value):
            type_errors(shape.member, item, f"{path}[{i}]", cbor, out)
    elif kind == "map":
        if not isinstance(value, dict):
            out.append(f"{path}: {type(value).__name__} for a map")
            return
        for key, item in value.items():
            type_errors(shape.value, item, f"{path}.{key}", cbor, out)
    elif kind in ("integer", "long"):
        if type(value) is not int:
            out.append(f"{path}: {value!r} for an {kind}")
    elif kind in ("double", "float"):
        if type(value) not in ((float,) if cbor else (int, float)):
            out.append(f"{path}: {value!r} for a {kind}")
    elif kind == "boolean":
        if type(value) is not bool:
            out.append(f"{path}: {value!r} for a boolean")
    elif kind == "timestamp":
        if not isinstance(value, dt.datetime if cbor else (int, float)) or isinstance(value, bool):
            out.append(f"{path}: {value!r} for a timestamp")
    elif kind == "string":
        if type(value) is not str:
            out.append(f"{path}: {value!r} for a string")
    elif kind == "blob":
        if type(value) is not (bytes if cbor else str):
            out.append(f"{path}: {value!r} for a blob")


class TypedWire:
    """Checks every successful JSON / CBOR response body the registered clients receive."""

    def __init__(self):
        self.problems: list[str] = []
        self.checked: set[str] = set()

    def watch(self, client):
        client.meta.events.register("before-parse", self._check)
        return client

    def _check(self, operation_model, response_dict, **_):
        body = response_dict.get("body") or b""
        shape = operation_model.output_shape
        if response_dict.get("status_code", 200) >= 300 or shape is None or not body:
            return
        protocol = operation_model.service_model.resolved_protocol
        if protocol == "query":
            return
        cbor = protocol == "smithy-rpc-v2-cbor"
        doc = cbor2.loads(body) if cbor else json.loads(body)
        self.checked.add(f"{protocol}:{operation_model.name}")
        type_errors(shape, doc, operation_model.name, cbor, self.problems)



def test_every_response_member_has_its_model_type(server, unique):
    wire = TypedWire()
    ddb = wire.watch(server.client("dynamodb"))
    aas = wire.watch(server.client("application-autoscaling"))
    cws = [wire.watch(cloudwatch_client(server, p)) for p in ("smithy-rpc-v2-cbor", "json")]
    table = unique("Typed")
    ddb.create_table(
        TableName=table, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": "g",
                                                                    "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"},
                                 "ProvisionedThroughput": {"ReadCapacityUnits": 5,
                                                           "WriteCapacityUnits": 5}}],
        Tags=[{"Key": "k", "Value": "v"}])
    server.advance(10)
    arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    ddb.put_item(TableName=table, Item={**key, "g": {"S": "x"}, "n": {"N": "1.5"},
                                        "b": {"B": b"\x00\x01"}, "l": {"L": [{"BOOL": True}]}},
                 ReturnConsumedCapacity="INDEXES", ReturnItemCollectionMetrics="SIZE")
    ddb.get_item(TableName=table, Key=key, ReturnConsumedCapacity="TOTAL")
    ddb.update_item(TableName=table, Key=key, UpdateExpression="ADD c :one",
                    ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="ALL_NEW",
                    ReturnConsumedCapacity="INDEXES")
    ddb.query(TableName=table, KeyConditionExpression="pk = :p",
              ExpressionAttributeValues={":p": {"S": "a"}}, Limit=1, ReturnConsumedCapacity="INDEXES")
    ddb.scan(TableName=table, IndexName="gsi", ReturnConsumedCapacity="TOTAL", Segment=0,
             TotalSegments=2)
    ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": {"pk": {"S": "b"},
                                                                        "sk": {"N": "2"}}}}]},
                         ReturnConsumedCapacity="TOTAL", ReturnItemCollectionMetrics="SIZE")
    ddb.batch_get_item(RequestItems={table: {"Keys": [key]}}, ReturnConsumedCapacity="TOTAL")
    ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {
        "pk": {"S": "c"}, "sk": {"N": "3"}}}}], ReturnConsumedCapacity="INDEXES")
    ddb.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": key}}],
                           ReturnConsumedCapacity="TOTAL")
    ddb.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True,
                                                                       "AttributeName": "ttl"})
    ddb.describe_time_to_live(TableName=table)
    ddb.list_tags_of_resource(ResourceArn=arn)
    ddb.describe_limits()
    ddb.describe_endpoints()
    ddb.describe_continuous_backups(TableName=table)
    ddb.list_tables(Limit=100)

    target = f"table/{table}"
    dim = "dynamodb:table:WriteCapacityUnits"
    aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=target,
                                 ScalableDimension=dim, MinCapacity=5, MaxCapacity=10)
    aas.put_scaling_policy(
        PolicyName="p", ServiceNamespace="dynamodb", ResourceId=target, ScalableDimension=dim,
        PolicyType="TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType":
                                              "DynamoDBWriteCapacityUtilization"},
            "ScaleOutCooldown": 60, "ScaleInCooldown": 60, "TargetValue": 50.0})
    at = dt.datetime.fromtimestamp(server.now() + 60, dt.timezone.utc)
    aas.put_scheduled_action(ServiceNamespace="dynamodb", ResourceId=target, ScalableDimension=dim,
                             ScheduledActionName="raise",
                             Schedule=f"at({at.strftime('%Y-%m-%dT%H:%M:%S')})",
                             ScalableTargetAction={"MinCapacity": 6, "MaxCapacity": 10})
    server.advance(180)
    aas.describe_scalable_targets(ServiceNamespace="dynamodb", ResourceIds=[target])
    aas.describe_scaling_policies(ServiceNamespace="dynamodb", ResourceId=target)
    aas.describe_scheduled_actions(ServiceNamespace="dynamodb", ResourceId=target)
    assert aas.describe_scaling_activities(ServiceNamespace="dynamodb",
                                           ResourceId=target)["ScalingActivities"]
    ddb.describe_table(TableName=table)

    now = server.now()
    start, end = now - now % 60 - 600, now - now % 60 + 120
    for cw in cws:
        ns = unique("Typed/Metrics")
        cw.put_metric_data(Namespace=ns, MetricData=[
            {"MetricName": "M", "Value": 3.0, "Timestamp": now, "Unit": "Count",
             "Dimensions": [{"Name": "D", "Value": "d"}]}])
        cw.put_metric_alarm(AlarmName=unique("typed"), Namespace=ns, MetricName="M",
                            Statistic="Sum", Period=60, EvaluationPeriods=2, Threshold=5,
                            ComparisonOperator="GreaterThanThreshold",
                            Dimensions=[{"Name": "D", "Value": "d"}])
        cw.describe_alarms(AlarmNamePrefix=f"TargetTracking-{target}")
        cw.describe_alarms_for_metric(Namespace=ns, MetricName="M",
                                      Dimensions=[{"Name": "D", "Value": "d"}])
        cw.describe_alarm_history(HistoryItemType="StateUpdate", MaxRecords=5)
        cw.get_metric_statistics(Namespace=ns, MetricName="M", StartTime=start, EndTime=end,
                                 Period=60, Statistics=["Sum", "SampleCount", "Average"],
                                 Dimensions=[{"Name": "D", "Value": "d"}])
        cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[
            {"Id": "m", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "M",
                                                  "Dimensions": [{"Name": "D", "Value": "d"}]},
                                       "Period": 60, "Stat": "Sum"}},
            {"Id": "e", "Expression": "m * 2"}])
        cw.list_metrics(Namespace=ns)

    assert {"json:PutItem", "json:DescribeScalingActivities", "json:GetMetricData",
            "smithy-rpc-v2-cbor:DescribeAlarms"} <= wire.checked
    assert wire.problems == []


# -- error message member -----------------------------------------------------------------------

def test_transaction_cancelled_message_is_capitalised(server, unique):
    ddb = server.client("dynamodb")
    table = unique("Msg")
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    server.advance(10)
    ddb.put_item(TableName=table, Item={"pk": {"S": "x"}})
    put = {"Put": {"TableName": table, "Item": {"pk": {"S": "x"}},
                   "ConditionExpression": "attribute_not_exists(pk)"}}
    status, _, body = json_call(server, "DynamoDB_20120810.TransactWriteItems",
                                {"TransactItems": [put]}, "dynamodb")
    assert status == 400
    assert body == {"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                    "Message": "Transaction cancelled, please refer cancellation reasons for "
                               "specific reasons [ConditionalCheckFailed]",
                    "CancellationReasons": [{"Code": "ConditionalCheckFailed",
                                             "Message": "The conditional request failed"}]}
    status, _, body = json_call(server, "DynamoDB_20120810.PutItem", put["Put"], "dynamodb")
    assert (status, body) == (400, {
        "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "message": "The conditional request failed"})


def test_application_auto_scaling_errors_say_message_capitalised(server):
    status, headers, body = json_call(server, "AnyScaleFrontendService.DeleteScalingPolicy", {
        "PolicyName": "nope", "ServiceNamespace": "dynamodb", "ResourceId": "table/nope",
        "ScalableDimension": "dynamodb:table:WriteCapacityUnits"}, "application-autoscaling", "1.1")
    assert status == 400 and headers["content-type"] == "application/x-amz-json-1.1"
    assert set(body) == {"__type", "Message"}
    assert body["__type"].rsplit("#", 1)[-1] == "ObjectNotFoundException"


def test_cloudwatch_errors_say_message_in_json_and_cbor(server):
    bad = {"Namespace": "N", "MetricName": "M", "StartTime": 0, "EndTime": 60, "Period": 7,
           "Statistics": ["Sum"]}
    status, headers, body = json_call(server, "GraniteServiceVersion20100801.GetMetricStatistics",
                                      bad, "monitoring")
    assert (status, body["__type"], headers["x-amzn-query-error"]) == (
        400, "com.amazonaws.cloudwatch#InvalidParameterValueException",
        "InvalidParameterValue;Sender")
    assert set(body) == {"__type", "message"}
    status, headers, data = cbor_call(server, "GetMetricStatistics", cbor2.dumps(bad))
    doc = cbor2.loads(data)
    assert (status, doc["__type"], set(doc)) == (
        400, "com.amazonaws.cloudwatch#InvalidParameterValueException", {"__type", "message"})


# -- rpc-v2-cbor empty bodies -------------------------------------------------------------------

def test_cbor_operation_without_output_answers_an_empty_body(server, unique):
    body = cbor2.dumps({"Namespace": unique("Cbor/Empty"),
                        "MetricData": [{"MetricName": "M", "Value": 1.0}]})
    status, headers, data = cbor_call(server, "PutMetricData", body)
    assert (status, data) == (200, b"")
    assert headers["smithy-protocol"] == "rpc-v2-cbor"
    assert "content-type" not in headers and headers["content-length"] == "0"


@pytest.mark.parametrize("body,content_type", [(b"", False), (b"", True), (b"\xbf\xff", True)],
                         ids=["no_input", "empty_body", "indefinite_empty_map"])
def test_cbor_request_without_members(server, body, content_type):
    status, headers, data = cbor_call(server, "DescribeAlarms", body, content_type)
    assert status == 200 and headers["content-type"] == "application/cbor"
    assert set(cbor2.loads(data)) <= {"MetricAlarms", "CompositeAlarms", "NextToken"}


# -- request compression ------------------------------------------------------------------------

@pytest.mark.parametrize("protocol", ["json", "query", "cbor"])
def test_gzipped_put_metric_data_in_each_protocol(server, unique, protocol):
    ns = unique(f"Gzip/{protocol}")
    data = [{"MetricName": "M", "Value": float(i), "Dimensions": [{"Name": "D", "Value": "d"}]}
            for i in range(300)]
    headers = {"Content-Encoding": "gzip", "Authorization": AUTH.format(svc="monitoring")}
    path = "/"
    if protocol == "json":
        raw = json.dumps({"Namespace": ns, "MetricData": data}).encode()
        headers.update({"Content-Type": "application/x-amz-json-1.0", "x-amzn-query-mode": "true",
                        "X-Amz-Target": "GraniteServiceVersion20100801.PutMetricData"})
    elif protocol == "query":
        form = {"Action": "PutMetricData", "Version": "2010-08-01", "Namespace": ns}
        for i, d in enumerate(data, 1):
            form.update({f"MetricData.member.{i}.MetricName": "M",
                         f"MetricData.member.{i}.Value": str(d["Value"]),
                         f"MetricData.member.{i}.Dimensions.member.1.Name": "D",
                         f"MetricData.member.{i}.Dimensions.member.1.Value": "d"})
        raw = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    else:
        raw = cbor2.dumps({"Namespace": ns, "MetricData": data})
        headers.update({"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"})
        path = CBOR_PATH.format(op="PutMetricData")
    assert len(raw) > 10240  # botocore's and the JS SDK's default compression threshold
    status, _, body = post(server, gzip.compress(raw), headers, path)
    assert status == 200, body
    metrics = server.client("cloudwatch").list_metrics(Namespace=ns)["Metrics"]
    assert [m["MetricName"] for m in metrics] == ["M"]
