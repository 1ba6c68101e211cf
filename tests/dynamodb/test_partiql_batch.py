"""BatchExecuteStatement: batches of reads and of writes with mixed success, per-statement
Error {Code, Message} slots, TableName only for statements that reached their table, RETURNING,
per-statement ConsistentRead and capacity (dynamodb-conformance tests/tier2/partiql/
batchExecuteStatement.test.ts and executeStatementIndex.test.ts, pinned against AWS)."""

from __future__ import annotations

import json

import pytest

from tests.dynamodb.helpers import create, raw
from tests.kit import error

T = "PqBatch"
C = "PqBatchComp"
KEY_NEEDED = ("Select statements within BatchExecuteStatement must specify the primary key in the "
              "where clause.")


def s(v):
    return {"S": v}


@pytest.fixture(scope="module")
def tables(server, ddb):
    create(server, ddb, T, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]),
           GlobalSecondaryIndexes=[{"IndexName": "by-g",
                                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"},
                                    "ProvisionedThroughput": {"ReadCapacityUnits": 100,
                                                              "WriteCapacityUnits": 100}}])
    create(server, ddb, C, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}]))
    for i in range(3):
        ddb.put_item(TableName=T, Item={"pk": s(f"r{i}"), "val": s(f"v{i}"), "g": s("x")})
    return True


def batch(ddb, *statements, **kw):
    out = ddb.batch_execute_statement(Statements=[
        st if isinstance(st, dict) else {"Statement": st} for st in statements], **kw)
    out.pop("ResponseMetadata")
    return out


def test_reads_with_mixed_success(ddb, tables):
    out = batch(ddb, f"SELECT * FROM \"{T}\" WHERE pk = 'r0'",
                f"SELECT val FROM \"{T}\" WHERE pk = 'r1' AND val = 'v1'",
                f"SELECT * FROM \"{T}\" WHERE pk = 'r2' AND val = 'other'",
                f"SELECT * FROM \"{T}\" WHERE pk = 'absent'",
                "SELECT * FROM \"absent-table\" WHERE pk = 'x'",
                f"SELECT * FROM \"{T}\" WHERE val = 'v0'",
                f"SELECT * FROM \"{T}\".\"by-g\" WHERE g = 'x'",
                f"SLECT * FROM \"{T}\" WHERE pk = 'r0'",
                {"Statement": f"SELECT * FROM \"{T}\" WHERE pk = ? AND val = ?",
                 "Parameters": [s("r0"), {"N": "1e99999999999"}]})
    assert out["Responses"] == [
        {"TableName": T, "Item": {"pk": s("r0"), "val": s("v0"), "g": s("x")}},
        {"TableName": T, "Item": {"val": s("v1")}},
        {"TableName": T},
        {"TableName": T},
        {"Error": {"Code": "ResourceNotFound", "Message": "Requested resource not found"}},
        {"Error": {"Code": "ValidationError", "Message": KEY_NEEDED}},
        {"Error": {"Code": "ValidationError", "Message": KEY_NEEDED}},
        {"Error": {"Code": "ValidationError", "Message":
                   "Statement wasn't well formed, can't be processed: Expected data manipulation"}},
        {"Error": {"Code": "ValidationError",
                   "Message": "The parameter cannot be converted to a numeric value: 1e99999999999"}},
    ]


def test_composite_keys_must_be_whole(ddb, tables):
    ddb.put_item(TableName=C, Item={"pk": s("a"), "sk": s("1")})
    out = batch(ddb, f"SELECT * FROM \"{C}\" WHERE pk = 'a'",
                f"SELECT * FROM \"{C}\" WHERE pk = 'a' AND sk = '1'")
    assert out["Responses"] == [{"Error": {"Code": "ValidationError", "Message": KEY_NEEDED}},
                                {"TableName": C, "Item": {"pk": s("a"), "sk": s("1")}}]


def test_consistent_read_is_charged_per_statement(ddb, tables):
    def total(*flags):
        out = batch(ddb, *[{"Statement": f"SELECT * FROM \"{T}\" WHERE pk = ?",
                            "Parameters": [s(f"r{i}")], **({} if f is None else {"ConsistentRead": f})}
                           for i, f in enumerate(flags)], ReturnConsumedCapacity="TOTAL")
        return out["ConsumedCapacity"]
    assert total(None) == [{"TableName": T, "CapacityUnits": 0.5}]
    assert total(True) == [{"TableName": T, "CapacityUnits": 1.0}]
    assert total(False) == total(None)
    assert total(True, None) == [{"TableName": T, "CapacityUnits": 1.5}]
    assert "ConsumedCapacity" not in batch(ddb, f"SELECT * FROM \"{T}\" WHERE pk = 'r0'")


def test_writes_with_mixed_success(ddb, tables, unique):
    upd, dup, gone, cond = unique("u"), unique("d"), unique("g"), unique("c")
    ddb.put_item(TableName=T, Item={"pk": s(upd), "data": s("before")})
    ddb.put_item(TableName=T, Item={"pk": s(dup)})
    ddb.put_item(TableName=T, Item={"pk": s(gone), "data": s("batchgone")})
    ddb.put_item(TableName=T, Item={"pk": s(cond), "val": s("here")})
    new = unique("n")
    out = batch(ddb,
                f"INSERT INTO \"{T}\" VALUE {{'pk': '{new}', 'data': 'new'}}",
                f"UPDATE \"{T}\" SET data = 'after' WHERE pk = '{upd}' RETURNING ALL NEW *",
                {"Statement": f"INSERT INTO \"{T}\" VALUE {{'pk': ?}}", "Parameters": [s(dup)]},
                f"DELETE FROM \"{T}\" WHERE pk = '{gone}' RETURNING ALL OLD *",
                {"Statement": f"UPDATE \"{T}\" SET touched = 'yes' WHERE pk = ? AND val = ?",
                 "Parameters": [s(cond), s("wrong")], "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
                f"UPDATE \"{T}\" REMOVE data WHERE pk = '{upd}' RETURNING MODIFIED NEW *",
                f"DELETE FROM \"{T}\" WHERE pk = 'x' RETURNING MODIFIED OLD *",
                f"UPDATE \"{T}\" SET a = 1 WHERE val = 'x'",
                "INSERT INTO \"absent-table\" VALUE {'pk': 'x'}",
                f"FROM \"{T}\" WHERE pk = '{cond}' SET c = 1",
                ReturnConsumedCapacity="TOTAL")
    assert out["Responses"] == [
        {"TableName": T},
        {"TableName": T, "Item": {"pk": s(upd), "data": s("after")}},
        {"TableName": T, "Error": {"Code": "DuplicateItem",
                                   "Message": "Duplicate primary key exists in table"}},
        {"TableName": T, "Item": {"pk": s(gone), "data": s("batchgone")}},
        {"TableName": T, "Error": {"Code": "ConditionalCheckFailed",
                                   "Message": "The conditional request failed"}},
        {"TableName": T},  # an empty MODIFIED projection: no Item
        {"Error": {"Code": "ValidationError", "Message":
                   "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * "
                   "is allowed in DELETE statements."}},
        {"Error": {"Code": "ValidationError", "Message":
                   "Where clause does not contain a mandatory equality on all key attributes"}},
        {"Error": {"Code": "ResourceNotFound", "Message": "Requested resource not found"}},
        {"TableName": T},
    ]
    assert ddb.get_item(TableName=T, Key={"pk": s(new)}, ConsistentRead=True)["Item"]["data"] == s("new")
    assert ddb.get_item(TableName=T, Key={"pk": s(gone)}).get("Item") is None
    assert ddb.get_item(TableName=T, Key={"pk": s(cond)}, ConsistentRead=True)["Item"] == {
        "pk": s(cond), "val": s("here"), "c": {"N": "1"}}
    # five writes that succeeded and two that failed their condition (the duplicate INSERT, the
    # UPDATE ... AND val = 'wrong'), each charged 1 WCU: a failed condition consumes write
    # capacity (docs/behaviour/dynamodb-capacity.md 1.3.10); none of these items has an index key
    assert out["ConsumedCapacity"] == [{"TableName": T, "CapacityUnits": 7.0}]


def test_write_capacity_by_index(ddb, tables, unique):
    key = unique("w")
    out = batch(ddb, f"INSERT INTO \"{T}\" VALUE {{'pk': '{key}', 'g': 'y'}}",
                f"INSERT INTO \"{C}\" VALUE {{'pk': '{key}', 'sk': '1'}}",
                ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == [
        {"TableName": T, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 1.0},
         "GlobalSecondaryIndexes": {"by-g": {"CapacityUnits": 1.0}}},
        {"TableName": C, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}]


def test_reads_and_writes_do_not_mix(ddb, tables):
    assert error(ddb.batch_execute_statement, Statements=[
        {"Statement": f"SELECT * FROM \"{T}\" WHERE pk = 'r0'"},
        {"Statement": f"DELETE FROM \"{T}\" WHERE pk = 'zz'"}]) == (
        "ValidationException", "Read and write requests together in the same batch is not supported.", 400)
    # a statement that does not parse takes no side
    out = batch(ddb, "SELEC", f"DELETE FROM \"{T}\" WHERE pk = 'zz'")
    assert out["Responses"][1] == {"TableName": T}
    assert batch(ddb, f"EXISTS(SELECT * FROM \"{T}\" WHERE pk = 'r0' AND val = 'v0')")["Responses"] == [
        {"Error": {"Code": "ValidationError",
                   "Message": "EXISTS can only be used in ExecuteTransaction write requests."}}]


def test_request_limits(server, ddb, tables):
    status, doc = raw(server, "BatchExecuteStatement", {"Statements": []})
    assert (status, doc["__type"].split("#")[1]) == (400, "ValidationException")
    code, message, _ = error(ddb.batch_execute_statement, Statements=[
        {"Statement": f"SELECT * FROM \"{T}\" WHERE pk = 'r{i}'"} for i in range(26)])
    assert code == "ValidationException" and "Member must have length less than or equal to 25" in message


def test_aws_cli_batch_execute_statement(server, tables, unique):
    key = unique("cli")
    path = server.data_dir + f"/{key}.json" if server.data_dir else f"/tmp/{key}.json"
    with open(path, "w") as f:
        json.dump([{"Statement": f"INSERT INTO \"{T}\" VALUE {{'pk': ?, 'v': 1}}",
                    "Parameters": [{"S": key}]},
                   {"Statement": f"INSERT INTO \"{T}\" VALUE {{'pk': 'r0'}}"}], f)
    out = server.aws("dynamodb", "batch-execute-statement", "--statements", f"file://{path}").json
    assert out["Responses"] == [{"TableName": T},
                                {"TableName": T, "Error": {"Code": "DuplicateItem",
                                                           "Message": "Duplicate primary key exists in table"}}]


def test_on_demand_read_throttled_is_a_throttling_error(server, ddb, unique):
    """A read of an on-demand table out of capacity: its slot's code is ThrottlingError, an
    on-demand throttle's (MODEL BatchStatementErrorCodeEnum; TransactionCanceledException doc:
    ThrottlingError for an On-Demand table), not the provisioned code. Reads are capped at
    1 RCU by the table's OnDemandThroughput maximum; the manual clock stands still, so the first
    strongly consistent read of the 400 KB item (98 RCU) leaves the table in debt."""
    name = unique("PqOd")
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
           OnDemandThroughput={"MaxReadRequestUnits": 1},
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]))
    ddb.put_item(TableName=name, Item={"pk": s("big"), "b": s("x" * 400_000)})
    select = {"Statement": f'SELECT pk FROM "{name}" WHERE pk = ?', "Parameters": [s("big")],
              "ConsistentRead": True}
    responses = ddb.batch_execute_statement(Statements=[select, select])["Responses"]
    assert responses[0] == {"TableName": name, "Item": {"pk": s("big")}}
    assert responses[1] == {"TableName": name, "Error": {
        "Code": "ThrottlingError",
        "Message": "Throughput exceeds the current capacity of your table or index. DynamoDB is "
                   "automatically scaling your table or index so please try again shortly. If "
                   "exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/"
                   "amazondynamodb/latest/developerguide/bp-partition-key-design.html"}}
