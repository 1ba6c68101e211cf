"""Secondary-index capacity (spec 1.3.5, 1.3.12, 2.1.5, 2.2.2, 4.0.2): index write costs per
DG-GSI/DG-LSI "Write capacity units", ReturnConsumedCapacity=INDEXES/TOTAL on writes, batches and
transactions; GSI back-pressure with the GSI message and ThrottlingReasons; GSI read and write
units in CloudWatch under TableName + GlobalSecondaryIndexName; GSI buckets surviving a restart."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.dynamodb.helpers import DDB_NS, create, raw
from tests.kit import error

GSI_THROTTLED = ("ProvisionedThroughputExceededException",
                 "The level of configured provisioned throughput for one or more global secondary "
                 "indexes of the table was exceeded. Consider increasing your provisioning level "
                 "for the under-provisioned global secondary indexes with the UpdateTable API.", 400)
BIG = "x" * 100_000
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/"

KEYS = dict(
    AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"}
                          for a in ("id", "sk", "lk", "gk", "g2k")],
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"},
               {"AttributeName": "sk", "KeyType": "RANGE"}])


def indexes(gsi_write=1000, gsi_read=1000):
    pt = {"ReadCapacityUnits": gsi_read, "WriteCapacityUnits": gsi_write}
    return dict(
        LocalSecondaryIndexes=[{"IndexName": "lsi1",
                                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                                              {"AttributeName": "lk", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        GlobalSecondaryIndexes=[
            {"IndexName": "gs1", "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": pt},
            {"IndexName": "gs2", "KeySchema": [{"AttributeName": "g2k", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}, "ProvisionedThroughput": pt}])


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "IdxCap", read=1000, write=1000, keys=KEYS, **indexes())
    return "IdxCap"


def item(sk, **attrs):
    out = {"id": {"S": "p"}, "sk": {"S": sk}}
    out.update({k: {"S": v} for k, v in attrs.items()})
    return out


def put(ddb, table, it, mode="INDEXES"):
    return ddb.put_item(TableName=table, Item=it, ReturnConsumedCapacity=mode)["ConsumedCapacity"]


def test_put_without_index_attributes_reports_only_the_table(ddb, table):
    # spec 1.4.4: INDEXES with no index involvement adds only `Table`
    assert put(ddb, table, item("a")) == {"TableName": table, "CapacityUnits": 1.0,
                                          "Table": {"CapacityUnits": 1.0}}


def test_index_write_rules(ddb, table):
    # new item defining the GSI key -> 1 write on that GSI (DG-GSI "Write capacity units")
    assert put(ddb, table, item("b", gk="one")) == {
        "TableName": table, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 1.0},
        "GlobalSecondaryIndexes": {"gs1": {"CapacityUnits": 1.0}}}
    # key value changed A -> B: 2 writes (delete + put)
    out = ddb.update_item(TableName=table, Key=item("b"), UpdateExpression="SET gk = :v",
                          ExpressionAttributeValues={":v": {"S": "two"}},
                          ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert out["GlobalSecondaryIndexes"] == {"gs1": {"CapacityUnits": 2.0}}
    assert out["CapacityUnits"] == 3
    # only a projected non-key attribute changed (g1 projects ALL): 1 write
    out = ddb.update_item(TableName=table, Key=item("b"), UpdateExpression="SET misc = :v",
                          ExpressionAttributeValues={":v": {"S": "x"}},
                          ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert out["GlobalSecondaryIndexes"] == {"gs1": {"CapacityUnits": 1.0}}
    # indexed attribute removed: 1 write (delete); TOTAL includes it
    out = ddb.update_item(TableName=table, Key=item("b"), UpdateExpression="REMOVE gk",
                          ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert out == {"TableName": table, "CapacityUnits": 2.0}
    # absent from the index before and after: nothing
    out = ddb.update_item(TableName=table, Key=item("b"), UpdateExpression="SET misc = :v",
                          ExpressionAttributeValues={":v": {"S": "y"}},
                          ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert out == {"TableName": table, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}


def test_index_entries_are_sized_on_their_projection(ddb, table):
    # 3,019-byte item: table 3 WCU; g1 (ALL) 3; g2 (KEYS_ONLY) 1; LSI (KEYS_ONLY, drawn from
    # the table's capacity) 1 (DG-GSI, DG-LSI)
    out = put(ddb, table, item("c", gk="a", g2k="b", lk="l", pad="x" * 3000))
    assert out == {"TableName": table, "CapacityUnits": 8.0, "Table": {"CapacityUnits": 3.0},
                   "LocalSecondaryIndexes": {"lsi1": {"CapacityUnits": 1.0}},
                   "GlobalSecondaryIndexes": {"gs1": {"CapacityUnits": 3.0},
                                              "gs2": {"CapacityUnits": 1.0}}}
    # deleting removes every entry: table 3 + lsi 1 + g1 3 + g2 1
    out = ddb.delete_item(TableName=table, Key=item("c"),
                          ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert out["CapacityUnits"] == 8 and out["Table"] == {"CapacityUnits": 3.0}
    assert out["LocalSecondaryIndexes"] == {"lsi1": {"CapacityUnits": 1.0}}


def test_batch_write_and_transaction_report_index_units(ddb, table):
    out = ddb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": item("d", gk="a")}},
        {"PutRequest": {"Item": item("e", lk="b")}}]}, ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == [{
        "TableName": table, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 2.0},
        "LocalSecondaryIndexes": {"lsi1": {"CapacityUnits": 1.0}},
        "GlobalSecondaryIndexes": {"gs1": {"CapacityUnits": 1.0}}}]
    # transactions double index writes too (prepare + commit, spec 1.3.11)
    out = ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table,
                                                           "Item": item("f", gk="z")}}],
                                   ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == [{
        "TableName": table, "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0,
        "Table": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0},
        "GlobalSecondaryIndexes": {"gs1": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}}}]


def minute_stats(cw, metric, dims, start, end, period=60):
    out = cw.get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName=metric,
        Dimensions=[{"Name": n, "Value": v} for n, v in dims],
        StartTime=dt.datetime.fromtimestamp(start, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(end, dt.timezone.utc), Period=period,
        Statistics=["Sum", "SampleCount"])
    return sorted(((p["Sum"], p["SampleCount"]) for p in out["Datapoints"]))


def next_minute(server) -> float:
    now = server.now()
    start = (now // 60 + 1) * 60
    server.advance(start + 1 - now)
    return start


def test_gsi_back_pressure_throttles_base_table_writes(server, ddb, cw, unique):
    name = unique("Back")
    create(server, ddb, name, read=1000, write=1000, keys=KEYS, **indexes(gsi_write=1))
    minute = next_minute(server)
    for i in range(4):  # g1 (ALL) bucket 300 -> 202 -> 104 -> 6 -> -92
        ddb.put_item(TableName=name, Item=item(str(i), gk="k", pad=BIG))
    assert error(ddb.put_item, TableName=name, Item=item("t", gk="k")) == GSI_THROTTLED
    status, body = raw(server, "PutItem", {"TableName": name, "Item": item("t", gk="k")})
    assert status == 400 and body["__type"] == DDB_NS + "ProvisionedThroughputExceededException"
    assert body["ThrottlingReasons"] == [{"reason": "IndexWriteProvisionedThroughputExceeded",
                                          "resource": f"{ARN}{name}/index/gs1"}]
    # a write that does not touch the throttled GSI goes through (the table has capacity)
    ddb.put_item(TableName=name, Item=item("u", g2k="k"))
    # the throttled writes stored nothing
    assert "Item" not in ddb.get_item(TableName=name, Key=item("t"))
    # BatchWriteItem: the item touching g1 is left unprocessed, the other one is written
    out = ddb.batch_write_item(RequestItems={name: [
        {"PutRequest": {"Item": item("v", gk="k")}}, {"PutRequest": {"Item": item("w")}}]})
    assert out["UnprocessedItems"] == {name: [{"PutRequest": {"Item": item("v", gk="k")}}]}
    server.advance(60)
    gsi = [("TableName", name), ("GlobalSecondaryIndexName", "gs1")]
    # per event: 2 single-item throttles + 1 batch item on g1, none on the table itself
    assert minute_stats(cw, "WriteThrottleEvents", gsi, minute, minute + 60) == [(3, 3)]
    assert minute_stats(cw, "WriteThrottleEvents", [("TableName", name)], minute,
                        minute + 60) == []
    assert minute_stats(cw, "ThrottledRequests", [("TableName", name), ("Operation", "PutItem")],
                        minute, minute + 60) == [(2, 2)]
    # GSI consumption has its own series; TableName alone excludes it (spec 1.3.12)
    assert minute_stats(cw, "ConsumedWriteCapacityUnits", gsi, minute, minute + 60) == [(392, 4)]
    table_sum = minute_stats(cw, "ConsumedWriteCapacityUnits", [("TableName", name)], minute,
                             minute + 60)
    # 4 big puts, the g2 put and the batch (one sample per request); throttled ones add nothing
    assert table_sum == [(4 * 98 + 1 + 1, 6)]


def test_table_throttle_carries_table_reason(server, ddb, unique):
    name = unique("Reason")
    create(server, ddb, name, read=1, write=1)
    for i in range(4):
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "b": {"S": BIG}})
    status, body = raw(server, "PutItem", {"TableName": name, "Item": {"id": {"S": "t"}}})
    assert status == 400
    assert body["message"] == ("The level of configured provisioned throughput for the table was "
                               "exceeded. Consider increasing your provisioning level with the "
                               "UpdateTable API.")
    assert body["ThrottlingReasons"] == [{"reason": "TableWriteProvisionedThroughputExceeded",
                                          "resource": ARN + name}]


def test_gsi_reads_are_metered_under_the_index(server, ddb, cw, unique):
    name = unique("GsiRead")
    create(server, ddb, name, read=1000, write=1000, keys=KEYS, **indexes())
    ddb.put_item(TableName=name, Item=item("a", gk="q", pad="x" * 5000))
    minute = next_minute(server)
    out = ddb.query(TableName=name, IndexName="gs1", KeyConditionExpression="gk = :v",
                    ExpressionAttributeValues={":v": {"S": "q"}}, ReturnConsumedCapacity="INDEXES")
    # 5,0xx-byte entry -> 8 KB -> 2 x 0.5 (spec 1.3.5)
    assert out["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 1.0,
                                       "Table": {"CapacityUnits": 0.0},
                                       "GlobalSecondaryIndexes": {"gs1": {"CapacityUnits": 1.0}}}
    server.advance(60)
    gsi = [("TableName", name), ("GlobalSecondaryIndexName", "gs1")]
    assert minute_stats(cw, "ConsumedReadCapacityUnits", gsi, minute, minute + 60) == [(1, 1)]
    # the table's own series served nothing: an idle minute's zero sample (dynamodb/metrics.py)
    assert minute_stats(cw, "ConsumedReadCapacityUnits", [("TableName", name)], minute,
                        minute + 60) == [(0, 1)]
    # the GSI's provisioned values are a five-minute series of their own (spec 4.0.2)
    server.advance(300)
    names = cw.list_metrics(Namespace="AWS/DynamoDB", MetricName="ProvisionedReadCapacityUnits",
                            Dimensions=[{"Name": "TableName", "Value": name},
                                        {"Name": "GlobalSecondaryIndexName", "Value": "gs2"}])
    assert len(names["Metrics"]) == 1


def test_gsi_read_bucket_survives_restart(make_server, unique):
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    name = unique("GsiBucket")
    create(server, ddb, name, read=1000, write=1000, keys=KEYS, **indexes(gsi_read=1))
    for i in range(10):
        ddb.put_item(TableName=name, Item=item(str(i), gk="q", pad=BIG))

    def query():
        return ddb.query(TableName=name, IndexName="gs1", KeyConditionExpression="gk = :v",
                         ExpressionAttributeValues={":v": {"S": "q"}})
    for _ in range(3):  # ~1 MB page each: 300 -> ~178 -> ~56 -> ~-66
        query()
    assert error(query)[0] == "ProvisionedThroughputExceededException"
    server.advance(61)  # a minute boundary snapshots the buckets; the GSI is still in debt
    server.restart()
    ddb = server.client("dynamodb")
    assert error(query) == GSI_THROTTLED
