"""TransactWriteItems and TransactGetItems: atomicity, CancellationReasons in order with AWS's
message and shape (MODEL TransactionCanceledException doc; dynamodb-conformance tier3, captured
from AWS), ClientRequestToken idempotency over the 10-minute window and across a restart,
transactional capacity (spec 1.3.11) and throttled transactions (spec 2.1.7)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.dynamodb.helpers import DDB_NS, create, raw
from tests.kit import error

MULTI = ("ValidationException",
         "Transaction request cannot include multiple operations on one item", 400)
THROUGHPUT_MESSAGE = ("The level of configured provisioned throughput for the table was exceeded. "
                      "Consider increasing your provisioning level with the UpdateTable API.")
ON_DEMAND_MESSAGE = ("Throughput exceeds the current capacity of your table or index. DynamoDB is "
                     "automatically scaling your table or index so please try again shortly. If "
                     "exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/"
                     "amazondynamodb/latest/developerguide/bp-partition-key-design.html")


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "TxTable", read=10000, write=10000)
    return "TxTable"


def s(value):
    return {"S": value}


def put(table, item, **kw):
    return {"Put": {"TableName": table, "Item": item, **kw}}


def canceled(call, **kwargs):
    """(message, CancellationReasons) of a TransactionCanceledException."""
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    e = info.value.response
    assert e["Error"]["Code"] == "TransactionCanceledException"
    return e["Error"]["Message"], e["CancellationReasons"]


def test_put_update_delete_atomically_with_capacity(ddb, table, unique):
    k1, k2, k3 = unique("a"), unique("b"), unique("c")
    ddb.put_item(TableName=table, Item={"id": s(k2), "n": {"N": "1"}})
    ddb.put_item(TableName=table, Item={"id": s(k3)})
    out = ddb.transact_write_items(ReturnConsumedCapacity="TOTAL", TransactItems=[
        put(table, {"id": s(k1), "v": s("new")}),
        {"Update": {"TableName": table, "Key": {"id": s(k2)}, "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Delete": {"TableName": table, "Key": {"id": s(k3)}}}])
    # three small items, 2 WCU each (spec 1.3.11); transactional ops fill WriteCapacityUnits
    assert out["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 6.0,
                                        "WriteCapacityUnits": 6.0}]
    got = ddb.transact_get_items(ReturnConsumedCapacity="TOTAL", TransactItems=[
        {"Get": {"TableName": table, "Key": {"id": s(k)}}} for k in (k1, k2, k3)])
    assert got["Responses"] == [{"Item": {"id": s(k1), "v": s("new")}},
                                {"Item": {"id": s(k2), "n": {"N": "2"}}}, {}]
    assert got["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 6.0,
                                        "ReadCapacityUnits": 6.0}]


def test_cancellation_reasons_in_order_and_nothing_applied(server, ddb, table, unique):
    fresh, held = unique("fresh"), unique("held")
    ddb.put_item(TableName=table, Item={"id": s(held), "state": s("locked"), "b": {"B": b"\x01"}})
    request = {"TransactItems": [
        put(table, {"id": s(fresh)}, ConditionExpression="attribute_not_exists(id)"),
        {"ConditionCheck": {"TableName": table, "Key": {"id": s(held)},
                            "ConditionExpression": "#s = :open",
                            "ExpressionAttributeNames": {"#s": "state"},
                            "ExpressionAttributeValues": {":open": s("open")},
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}]}
    message, reasons = canceled(ddb.transact_write_items, **request)
    assert message == ("Transaction cancelled, please refer cancellation reasons for specific "
                       "reasons [None, ConditionalCheckFailed]")
    assert reasons == [{"Code": "None"},
                       {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
                        "Item": {"id": s(held), "state": s("locked"), "b": {"B": b"\x01"}}}]
    assert "Item" not in ddb.get_item(TableName=table, Key={"id": s(fresh)})
    # the wire shape: DynamoDB namespace, reasons beside the message, no Message for None
    status, body = raw(server, "TransactWriteItems", request)
    assert status == 400 and body["__type"] == DDB_NS + "TransactionCanceledException"
    assert body["CancellationReasons"][0] == {"Code": "None"}
    assert body["CancellationReasons"][1]["Item"]["b"] == {"B": "AQ=="}


def test_request_level_errors(ddb, table, unique):
    key = unique("k")
    assert error(ddb.transact_write_items, TransactItems=[
        put(table, {"id": s(key)}), {"Delete": {"TableName": table, "Key": {"id": s(key)}}}]) == MULTI
    assert error(ddb.transact_write_items, TransactItems=[put(unique("none"), {"id": s(key)})]) == (
        "ResourceNotFoundException", "Requested resource not found", 400)
    assert error(ddb.transact_write_items, TransactItems=[put(table, {"id": s("")})]) == (
        "ValidationException", "One or more parameter values are not valid. The AttributeValue for "
        "a key attribute cannot contain an empty string value. Key: id", 400)
    assert error(ddb.transact_write_items, TransactItems=[
        put(table, {"id": s(key), "p": s("x" * 409_600)})]) == (
        "ValidationException", "Item size has exceeded the maximum allowed size", 400)
    assert error(ddb.transact_get_items, TransactItems=[
        {"Get": {"TableName": table, "Key": {"id": s(key)}}}] * 2) == MULTI
    assert error(ddb.transact_get_items, TransactItems=[
        {"Get": {"TableName": table, "Key": {"id": s(key)}, "ProjectionExpression": "a, a"}}]) == (
        "ValidationException", "Invalid ProjectionExpression: Two document paths overlap with each "
        "other; must remove or rewrite one of these paths; path one: [a], path two: [a]", 400)
    assert "Item" not in ddb.get_item(TableName=table, Key={"id": s(key)})


def test_schema_and_stored_state_errors_cancel(ddb, table, unique):
    # dynamodb-conformance tier3: a wrong key type is a ValidationError reason, not a top-level error
    _, reasons = canceled(ddb.transact_write_items, TransactItems=[put(table, {"id": {"N": "5"}})])
    assert reasons == [{"Code": "ValidationError", "Message": "One or more parameter values were "
                        "invalid: Type mismatch for key id expected: S actual: N"}]
    _, reasons = canceled(ddb.transact_write_items, TransactItems=[
        {"Delete": {"TableName": table, "Key": {"id": {"N": "5"}}}}])
    assert reasons == [{"Code": "ValidationError",
                        "Message": "The provided key element does not match the schema"}]
    _, reasons = canceled(ddb.transact_get_items, TransactItems=[
        {"Get": {"TableName": table, "Key": {}}}])
    assert reasons[0]["Code"] == "ValidationError"
    # an Update that grows the item past 400 KB can only fail inside the transaction
    key = unique("grow")
    message, reasons = canceled(ddb.transact_write_items, TransactItems=[
        {"Update": {"TableName": table, "Key": {"id": s(key)}, "UpdateExpression": "SET p = :p",
                    "ExpressionAttributeValues": {":p": s("x" * 409_600)}}}])
    assert message.endswith("[ValidationError]")
    assert reasons == [{"Code": "ValidationError",
                        "Message": "Item size to update has exceeded the maximum allowed size"}]


def test_client_request_token_idempotency(server, ddb, table, unique):
    key, token = unique("idem"), unique("tok")
    request = {"ClientRequestToken": token, "TransactItems": [
        {"Update": {"TableName": table, "Key": {"id": s(key)}, "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}}]}

    def counter():
        return ddb.get_item(TableName=table, Key={"id": s(key)}, ConsistentRead=True)["Item"]["n"]

    ddb.transact_write_items(**request)
    # same token, same request: success without applying again; the replay reports read units
    out = ddb.transact_write_items(**request, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 2.0,
                                        "ReadCapacityUnits": 2.0}]
    assert counter() == {"N": "1"}
    changed = {**request, "TransactItems": [{"Update": {
        **request["TransactItems"][0]["Update"], "ExpressionAttributeValues": {":one": {"N": "2"}}}}]}
    code, _, status = error(ddb.transact_write_items, **changed)
    assert (code, status) == ("IdempotentParameterMismatchException", 400)
    server.restart()  # the token lives in the store
    ddb.transact_write_items(**request)
    assert counter() == {"N": "1"}
    server.advance(601)  # 10 minutes after first use: the token is new again
    ddb.transact_write_items(**changed)
    assert counter() == {"N": "3"}


def test_cancelled_transaction_keeps_token_free(ddb, table, unique):
    key, token = unique("c"), unique("tok")
    failing = [put(table, {"id": s(key)}, ConditionExpression="attribute_exists(id)")]
    canceled(ddb.transact_write_items, TransactItems=failing, ClientRequestToken=token)
    ddb.transact_write_items(TransactItems=[put(table, {"id": s(key)})], ClientRequestToken=token)
    assert ddb.get_item(TableName=table, Key={"id": s(key)})["Item"] == {"id": s(key)}


def test_throttled_on_demand_transactions_cancel_with_throttling_error(server, ddb, unique):
    """MODEL TransactionCanceledException doc: `ThrottlingError` "is returned when writes get
    throttled on an On-Demand table", not the provisioned reason (found by scylladb
    test_transact.py run against Dynoscale, whose shared on-demand table got throttled). The
    manual clock stands still: a new on-demand table serves 4,000 WCU in a second (on_demand.py),
    so eleven 400 KB puts (391 WCU each) leave it in debt; reads are capped at 1 RCU by its
    OnDemandThroughput maximum, so one strongly consistent read of the item (98 RCU) does."""
    name = unique("od")
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
           OnDemandThroughput={"MaxReadRequestUnits": 1})
    big = {"id": s("big"), "b": s("x" * 400_000)}
    for _ in range(11):
        ddb.put_item(TableName=name, Item=big)
    message, reasons = canceled(ddb.transact_write_items, TransactItems=[put(name, big)])
    assert message.endswith("[ThrottlingError]")
    assert reasons == [{"Code": "ThrottlingError", "Message": ON_DEMAND_MESSAGE}]
    ddb.get_item(TableName=name, Key={"id": s("big")}, ConsistentRead=True)
    _, reasons = canceled(ddb.transact_get_items, TransactItems=[
        {"Get": {"TableName": name, "Key": {"id": s("big")}}}])
    assert reasons == [{"Code": "ThrottlingError", "Message": ON_DEMAND_MESSAGE}]


def test_throttled_transactions_cancel(server, ddb, unique):
    # spec 2.1.7: insufficient capacity cancels the whole transaction; we send the documented
    # ProvisionedThroughputExceeded reason for the throttled table's actions
    slow, fast = unique("slow"), unique("fast")
    create(server, ddb, slow, read=1, write=1)
    create(server, ddb, fast, read=1000, write=1000)
    ddb.put_item(TableName=slow, Item={"id": s("big"), "b": s("x" * 400_000)})  # 391 WCU: in debt
    items = [put(fast, {"id": s("a")}), put(slow, {"id": s("b")})]
    message, reasons = canceled(ddb.transact_write_items, TransactItems=items)
    assert message.endswith("[None, ProvisionedThroughputExceeded]")
    assert reasons == [{"Code": "None"},
                       {"Code": "ProvisionedThroughputExceeded", "Message": THROUGHPUT_MESSAGE}]
    assert "Item" not in ddb.get_item(TableName=fast, Key={"id": s("a")})
    ddb.get_item(TableName=slow, Key={"id": s("big")}, ConsistentRead=True)  # 98 RCU
    ddb.get_item(TableName=slow, Key={"id": s("big")}, ConsistentRead=True)
    ddb.get_item(TableName=slow, Key={"id": s("big")}, ConsistentRead=True)
    ddb.get_item(TableName=slow, Key={"id": s("big")}, ConsistentRead=True)  # 300 - 392 < 0
    _, reasons = canceled(ddb.transact_get_items, TransactItems=[
        {"Get": {"TableName": slow, "Key": {"id": s("big")}}}])
    assert reasons == [{"Code": "ProvisionedThroughputExceeded", "Message": THROUGHPUT_MESSAGE}]
    server.advance(100)
    ddb.transact_write_items(TransactItems=items)
    assert ddb.get_item(TableName=fast, Key={"id": s("a")})["Item"] == {"id": s("a")}
