"""ExecuteTransaction: transactions that commit and that cancel (CancellationReasons in statement
order), reads, EXISTS condition checks, ClientRequestToken idempotency, capacity, and the
per-statement error texts (dynamodb-conformance tests/tier2/partiql/executeTransaction.test.ts,
fromFirstUpdate, setFunctions and tests/tier3/error-messages/partiql*.test.ts, pinned against
AWS; the mixing rule from DynamoDB Local's recordings)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.dynamodb.helpers import create
from tests.kit import error

T = "PqTx"
IX = "PqTxIdx"
PREFIX = "Validation failed in TransactStatements[{}]: "


def s(v):
    return {"S": v}


@pytest.fixture(scope="module")
def tables(server, ddb):
    create(server, ddb, T, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]))
    create(server, ddb, IX, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}]),
           GlobalSecondaryIndexes=[{"IndexName": "gsi-all",
                                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"},
                                    "ProvisionedThroughput": {"ReadCapacityUnits": 100,
                                                              "WriteCapacityUnits": 100}}])
    ddb.put_item(TableName=IX, Item={"pk": s("p"), "sk": s("s1"), "g": s("x"), "v": s("one")})
    return True


def tx(ddb, *statements, **kw):
    out = ddb.execute_transaction(TransactStatements=[
        st if isinstance(st, dict) else {"Statement": st} for st in statements], **kw)
    out.pop("ResponseMetadata")
    return out


def get(ddb, key):
    return ddb.get_item(TableName=T, Key={"pk": s(key)}, ConsistentRead=True).get("Item")


def canceled(ddb, *statements, **kw):
    with pytest.raises(ClientError) as info:
        tx(ddb, *statements, **kw)
    response = info.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException"
    return response["Error"]["Message"], response["CancellationReasons"]


def test_a_transaction_commits_every_statement(ddb, tables, unique):
    ins, upd, gone, chk = unique("i"), unique("u"), unique("d"), unique("c")
    ddb.put_item(TableName=T, Item={"pk": s(upd), "n": {"N": "1"}, "ss": {"SS": ["a"]}})
    ddb.put_item(TableName=T, Item={"pk": s(gone)})
    ddb.put_item(TableName=T, Item={"pk": s(chk), "state": s("open")})
    out = tx(ddb, f"INSERT INTO \"{T}\" VALUE {{'pk': '{ins}', 'data': 'txn-new'}}",
             f"UPDATE \"{T}\" SET n = n + 1 SET ss = set_add(ss, <<'t'>>) WHERE pk = '{upd}'",
             {"Statement": f"DELETE FROM \"{T}\" WHERE pk = ?", "Parameters": [s(gone)]},
             f"EXISTS(SELECT * FROM \"{T}\" WHERE pk = '{chk}' AND state = 'open')",
             ReturnConsumedCapacity="TOTAL")
    assert out == {"Responses": [],
                   "ConsumedCapacity": [{"TableName": T, "CapacityUnits": 8.0,
                                         "WriteCapacityUnits": 8.0}]}
    assert get(ddb, ins) == {"pk": s(ins), "data": s("txn-new")}
    assert get(ddb, upd) == {"pk": s(upd), "n": {"N": "2"}, "ss": {"SS": ["a", "t"]}}
    assert get(ddb, gone) is None


def test_a_write_transaction_answers_an_empty_responses_list(ddb, tables, unique):
    # LocalStack snapshot tests/aws/services/dynamodb/test_dynamodb.snapshot.json::
    # test_dynamodb_execute_transaction, recorded against AWS: two INSERTs -> Responses: []
    one, two = unique("r1"), unique("r2")
    out = tx(ddb, f"INSERT INTO \"{T}\" VALUE {{'pk': '{one}'}}",
             f"INSERT INTO \"{T}\" VALUE {{'pk': '{two}'}}")
    assert out == {"Responses": []}
    assert get(ddb, one) == {"pk": s(one)} and get(ddb, two) == {"pk": s(two)}


def test_a_cancelled_transaction_applies_nothing(ddb, tables, unique):
    dup, fresh, chk = unique("dup"), unique("fresh"), unique("chk")
    ddb.put_item(TableName=T, Item={"pk": s(dup), "data": s("existing")})
    ddb.put_item(TableName=T, Item={"pk": s(chk), "state": s("closed")})
    message, reasons = canceled(
        ddb, f"INSERT INTO \"{T}\" VALUE {{'pk': '{fresh}', 'data': 'should-rollback'}}",
        f"INSERT INTO \"{T}\" VALUE {{'pk': '{dup}', 'data': 'should-fail'}}",
        {"Statement": f"EXISTS(SELECT * FROM \"{T}\" WHERE pk = '{chk}' AND state = 'open')",
         "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
        f"UPDATE \"{T}\" SET c = 1 WHERE pk = '{unique('absent')}'")
    assert message == ("Transaction cancelled, please refer cancellation reasons for specific "
                       "reasons [None, ValidationError, ConditionalCheckFailed, ConditionalCheckFailed]")
    assert reasons == [
        {"Code": "None"},
        {"Code": "ValidationError", "Message": "Duplicate primary key exists in table"},
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
         "Item": {"pk": s(chk), "state": s("closed")}},
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}]
    assert get(ddb, fresh) is None
    assert get(ddb, dup)["data"] == s("existing")


def test_reads(ddb, tables, unique):
    key, other = unique("r"), unique("r2")
    ddb.put_item(TableName=T, Item={"pk": s(key), "a": s("x"), "m": {"M": {"b": s("deep")}}})
    ddb.put_item(TableName=T, Item={"pk": s(other), "a": s("x"), "m": {"M": {"b": s("deep")}}})
    out = tx(ddb, f"SELECT * FROM \"{T}\" WHERE pk = '{key}'",
             f"SELECT a, m.b FROM \"{T}\" WHERE pk = '{other}'",
             f"SELECT * FROM \"{T}\" WHERE pk = '{unique('none')}'",
             f"SELECT * FROM \"{IX}\" WHERE (sk = 's1') AND pk = 'p' AND pk = 'p'",
             ReturnConsumedCapacity="TOTAL")
    assert out["Responses"] == [{"Item": {"pk": s(key), "a": s("x"), "m": {"M": {"b": s("deep")}}}},
                                {"Item": {"a": s("x"), "b": s("deep")}}, {},
                                {"Item": {"pk": s("p"), "sk": s("s1"), "g": s("x"), "v": s("one")}}]
    assert out["ConsumedCapacity"] == [{"TableName": T, "CapacityUnits": 6.0, "ReadCapacityUnits": 6.0},
                                       {"TableName": IX, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}]


def test_client_request_token_idempotency(ddb, tables, unique):
    key = unique("idem")
    ddb.put_item(TableName=T, Item={"pk": s(key), "n": {"N": "0"}})
    token = unique("token")
    statements = [f"UPDATE \"{T}\" SET n = n + 1 WHERE pk = '{key}'"]
    first = tx(ddb, *statements, ClientRequestToken=token, ReturnConsumedCapacity="INDEXES")
    replay = tx(ddb, *statements, ClientRequestToken=token, ReturnConsumedCapacity="INDEXES")
    assert get(ddb, key)["n"] == {"N": "1"}  # applied once
    assert first["ConsumedCapacity"][0]["WriteCapacityUnits"] == 2
    assert "ReadCapacityUnits" not in first["ConsumedCapacity"][0]
    assert replay["ConsumedCapacity"][0]["ReadCapacityUnits"] == 2
    assert "WriteCapacityUnits" not in replay["ConsumedCapacity"][0]
    code, _, status = error(ddb.execute_transaction, ClientRequestToken=token, TransactStatements=[
        {"Statement": f"UPDATE \"{T}\" SET n = n + 2 WHERE pk = '{key}'"}])
    assert (code, status) == ("IdempotentParameterMismatchException", 400)


ERRORS = [
    ([f"UPDATE \"{T}\" SET data = 'v' WHERE pk = 'x' RETURNING ALL NEW *"],
     PREFIX.format(0) + "RETURNING clause is not supported in ExecuteTransaction."),
    ([f"SELECT * FROM \"{IX}\".\"gsi-all\" WHERE g = 'x'"],
     PREFIX.format(0) + "Reads on indices are not supported within transactions."),
    ([f"SELECT * FROM \"{T}\" WHERE"],
     PREFIX.format(0) + "Statement wasn't well formed, can't be processed: Unexpected term"),
    ([f"SELECT * FROM \"{T}\" WHERE pk = 'x' AND attribute_exists(ss)"],
     PREFIX.format(0) + "Select statements within ExecuteTransaction must specify the primary key "
                        "in the where clause."),
    ([f"SELECT * FROM \"{IX}\" WHERE pk = 'p'"],
     PREFIX.format(0) + "Select statements within ExecuteTransaction must specify the primary key "
                        "in the where clause."),
    ([f"SELECT * FROM \"{IX}\" WHERE pk = 'p' AND sk = 's1' AND pk = 'q'"],
     PREFIX.format(0) + "Select statements within ExecuteTransaction must specify the primary key "
                        "in the where clause."),
    ([f"EXISTS(SELECT * FROM \"{T}\" WHERE pk = 'x')",
      f"UPDATE \"{T}\" SET z = 1 WHERE pk = 'never-written'"],
     PREFIX.format(0) + "EXISTS() must contain a single item read with additional condition"),
    ([f"EXISTS(SELECT * FROM \"{IX}\".\"gsi-all\" WHERE g = 'x' AND v = 'one')"],
     PREFIX.format(0) + "Operations on indices are not supported in transactions"),
    ([f"UPDATE \"{T}\" SET z = 1 WHERE pk = 'a'", f"DELETE FROM \"{T}\" WHERE z = 1"],
     PREFIX.format(1) + "Where clause does not contain a mandatory equality on all key attributes"),
    ([f"SELECT * FROM \"{T}\" WHERE pk = 'a'", f"UPDATE \"{T}\" SET z = 1 WHERE pk = 'b'"],
     "ExecuteTransaction API does not support both read and write operations in the same request."),
    ([f"UPDATE \"{T}\" SET z = 1 WHERE pk = 'a'", f"DELETE FROM \"{T}\" WHERE pk = 'a'"],
     "Transaction request cannot include multiple operations on one item"),
]


@pytest.mark.parametrize("statements,message", ERRORS, ids=[m[:70] for _, m in ERRORS])
def test_error_messages(ddb, tables, statements, message):
    assert error(ddb.execute_transaction,
                 TransactStatements=[{"Statement": st} for st in statements]) == (
        "ValidationException", message, 400)


def test_parameter_errors_are_not_prefixed(ddb, tables):
    assert error(ddb.execute_transaction, TransactStatements=[
        {"Statement": f"UPDATE \"{T}\" SET n = ? WHERE pk = 'pq'", "Parameters": [{"N": "1e99999999999"}]}]) == (
        "ValidationException", "The parameter cannot be converted to a numeric value: 1e99999999999", 400)


def test_unknown_table(ddb, tables):
    assert error(ddb.execute_transaction, TransactStatements=[
        {"Statement": "INSERT INTO \"absent-table\" VALUE {'pk': 'x'}"}]) == (
        "ResourceNotFoundException", "Requested resource not found", 400)


def test_aws_cli_execute_transaction(server, tables, unique):
    key = unique("cli")
    server.aws("dynamodb", "execute-transaction", "--transact-statements",
               f'[{{"Statement": "INSERT INTO \\"{T}\\" VALUE {{\'pk\': \'{key}\'}}"}}]')
    out = server.aws("dynamodb", "execute-transaction", "--transact-statements",
                     f'[{{"Statement": "SELECT * FROM \\"{T}\\" WHERE pk = \'{key}\'"}}]').json
    assert out["Responses"] == [{"Item": {"pk": {"S": key}}}]
