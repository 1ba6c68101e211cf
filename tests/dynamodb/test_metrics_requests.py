"""Request-level AWS/DynamoDB metrics (spec 4.0.2 per-metric table): ReturnedItemCount (Query/Scan,
post-filter Count, TableName + Operation), ConditionalCheckFailedRequests (TableName; the failed
write still consumes, spec 1.3.10), UserErrors (no dimensions; not for throttles or failed
conditions), ThrottledRequests for batches only when every item was throttled; readable through
GetMetricStatistics and ListMetrics."""

from __future__ import annotations

import datetime as dt

from tests.dynamodb.helpers import create
from tests.kit import error

BIG = "x" * 100_000


def next_minute(server) -> float:
    now = server.now()
    start = (now // 60 + 1) * 60
    server.advance(start + 1 - now)
    return start


def points(cw, metric, dims, minute):
    out = cw.get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName=metric,
        Dimensions=[{"Name": n, "Value": v} for n, v in dims],
        StartTime=dt.datetime.fromtimestamp(minute, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(minute + 60, dt.timezone.utc), Period=60,
        Statistics=["Sum", "SampleCount", "Minimum", "Maximum"])
    return [(p["Sum"], p["SampleCount"], p["Minimum"], p["Maximum"], p["Unit"])
            for p in out["Datapoints"]]


def test_returned_item_count_is_post_filter(server, ddb, cw, unique):
    name = unique("Ret")
    create(server, ddb, name, read=100, write=100)
    for i in range(5):
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "n": {"N": str(i)}})
    minute = next_minute(server)
    out = ddb.scan(TableName=name, FilterExpression="n >= :v",
                   ExpressionAttributeValues={":v": {"N": "2"}})
    assert (out["Count"], out["ScannedCount"]) == (3, 5)
    ddb.query(TableName=name, KeyConditionExpression="id = :v",
              ExpressionAttributeValues={":v": {"S": "1"}})
    server.advance(60)
    assert points(cw, "ReturnedItemCount", [("TableName", name), ("Operation", "Scan")],
                  minute) == [(3, 1, 3, 3, "Count")]
    assert points(cw, "ReturnedItemCount", [("TableName", name), ("Operation", "Query")],
                  minute) == [(1, 1, 1, 1, "Count")]


def test_conditional_check_failures_and_user_errors(server, ddb, cw, unique):
    name = unique("Ccf")
    create(server, ddb, name, read=100, write=100)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "pad": {"S": "x" * 1500}})
    minute = next_minute(server)
    for _ in range(2):
        assert error(ddb.put_item, TableName=name, Item={"id": {"S": "a"}},
                     ConditionExpression="attribute_not_exists(id)")[0] == \
            "ConditionalCheckFailedException"
    assert error(ddb.delete_item, TableName=name, Key={"id": {"S": "zz"}},
                 ConditionExpression="attribute_exists(id)")[0] == "ConditionalCheckFailedException"
    before = points(cw, "UserErrors", [], minute)
    assert error(ddb.get_item, TableName=name, Key={"nope": {"S": "a"}})[0] == "ValidationException"
    server.advance(60)
    assert points(cw, "ConditionalCheckFailedRequests", [("TableName", name)], minute) == [
        (3, 3, 1, 1, "Count")]
    # the failed writes were still charged: the existing 1,504-byte item -> 2 WCU each, the
    # missing item -> 1 WCU (spec 1.3.10)
    assert points(cw, "ConsumedWriteCapacityUnits", [("TableName", name)], minute) == [
        (5, 3, 1, 2, "Count")]
    user = points(cw, "UserErrors", [], minute)
    assert before == [] and user and user[0][0] >= 1   # account-wide: other tests may add
    listed = cw.list_metrics(Namespace="AWS/DynamoDB", MetricName="ConditionalCheckFailedRequests",
                             Dimensions=[{"Name": "TableName", "Value": name}])["Metrics"]
    assert listed == [{"Namespace": "AWS/DynamoDB", "MetricName": "ConditionalCheckFailedRequests",
                       "Dimensions": [{"Name": "TableName", "Value": name}]}]


def test_batch_throttled_request_only_when_every_item_throttled(server, ddb, cw, unique):
    name = unique("BatchThr")
    create(server, ddb, name, read=100, write=1)
    minute = next_minute(server)
    for i in range(4):  # 300 -> -92
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "b": {"S": BIG}})
    code, message, _ = error(ddb.batch_write_item, RequestItems={name: [
        {"PutRequest": {"Item": {"id": {"S": "x"}}}}, {"PutRequest": {"Item": {"id": {"S": "y"}}}}]})
    assert code == "ProvisionedThroughputExceededException"
    server.advance(60)
    assert points(cw, "WriteThrottleEvents", [("TableName", name)], minute)[0][:2] == (2, 2)
    assert points(cw, "ThrottledRequests", [("TableName", name), ("Operation", "BatchWriteItem")],
                  minute)[0][:2] == (1, 1)


def test_partiql_requests_report_under_their_verb_and_operation_type(server, ddb, cw, unique):
    """Developer guide "DynamoDB Metrics and dimensions", Dimensions: ExecuteStatement adds
    `Verb` (PartiQLSelect/Insert/Update/Delete), BatchExecuteStatement and ExecuteTransaction
    add `OperationType` (Read/Write); a failed WHERE condition of an UPDATE counts in
    ConditionalCheckFailedRequests; a SELECT's items in ReturnedItemCount."""
    name = unique("Pql")
    create(server, ddb, name, read=100, write=100)
    minute = next_minute(server)
    ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'id': 'a', 'n': 1}}")
    ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'id': 'b', 'n': 2}}")
    assert len(ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\"")["Items"]) == 2
    assert error(ddb.execute_statement,
                 Statement=f"UPDATE \"{name}\" SET n = 5 WHERE id = 'a' AND n = 9")[0] == \
        "ConditionalCheckFailedException"
    ddb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{name}\" WHERE id = 'a'"},
        {"Statement": f"SELECT * FROM \"{name}\" WHERE id = 'b'"}])
    ddb.execute_transaction(TransactStatements=[
        {"Statement": f"DELETE FROM \"{name}\" WHERE id = 'a'"},
        {"Statement": f"UPDATE \"{name}\" SET n = 3 WHERE id = 'b'"}])
    server.advance(60)
    table = ("TableName", name)

    def latency_count(*dims):
        got = points(cw, "SuccessfulRequestLatency", [table, *dims], minute)
        assert len(got) == 1 and got[0][4] == "Milliseconds", got
        return got[0][1]

    assert latency_count(("Operation", "ExecuteStatement"), ("Verb", "PartiQLInsert")) == 2
    assert latency_count(("Operation", "ExecuteStatement"), ("Verb", "PartiQLSelect")) == 1
    assert latency_count(("Operation", "BatchExecuteStatement"),
                         ("OperationType", "Read")) == 1
    assert latency_count(("Operation", "ExecuteTransaction"), ("OperationType", "Write")) == 1
    assert points(cw, "SuccessfulRequestLatency",
                  [table, ("Operation", "ExecuteStatement"), ("Verb", "PartiQLUpdate")],
                  minute) == []  # the failed UPDATE is not a successful request
    assert points(cw, "ReturnedItemCount",
                  [table, ("Operation", "ExecuteStatement"), ("Verb", "PartiQLSelect")],
                  minute) == [(2, 1, 2, 2, "Count")]
    assert points(cw, "ConditionalCheckFailedRequests", [table], minute) == \
        [(1, 1, 1, 1, "Count")]
