"""UpdateItem's expressions, numbers and return values where Dynoscale once differed from AWS.

Each case names the scylladb Alternator test (test/alternator/, written and run against AWS) that
records the behaviour; the checks here are our own, over boto3 and HTTP.
"""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error

OVERFLOW = ("ValidationException", "Number overflow. Attempting to store a number with magnitude "
            "larger than supported range", 400)


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "ConfUpd", read=1000, write=1000)
    return "ConfUpd"


def get(ddb, table, key):
    return ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


# -- numbers: arithmetic whose exact result needs more than 38 digits ----------------------------
# test_number.py::test_update_expression_plus_imprecise: AWS refuses 1e50 - 1 and 1e50 + 1 with
# its overflow message, although the magnitude is in range (an input of 39 digits gets the
# "38 significant digits" message instead).
@pytest.mark.parametrize("expression", ["SET n = :big - :one", "SET n = :big + :one"])
def test_arithmetic_result_beyond_38_digits_is_an_overflow(ddb, table, unique, expression):
    key = {"id": {"S": unique("num")}}
    assert error(ddb.update_item, TableName=table, Key=key, UpdateExpression=expression,
                 ExpressionAttributeValues={":big": {"N": "1e50"}, ":one": {"N": "1"}}) == OVERFLOW
    assert get(ddb, table, key) is None


def test_arithmetic_result_of_38_digits_is_stored_exactly(ddb, table, unique):
    key = {"id": {"S": unique("num")}}
    ddb.update_item(TableName=table, Key=key, UpdateExpression="SET n = :big - :one",
                    ExpressionAttributeValues={":big": {"N": "1e37"}, ":one": {"N": "1"}})
    assert get(ddb, table, key)["n"] == {"N": "9" * 37}


def test_input_beyond_38_digits_keeps_its_own_message(ddb, table, unique):
    key = {"id": {"S": unique("num")}}
    assert error(ddb.update_item, TableName=table, Key=key, UpdateExpression="SET n = :v",
                 ExpressionAttributeValues={":v": {"N": "1" * 39}}) == (
        "ValidationException", "ExpressionAttributeValues contains invalid value: Attempting to "
        "store more than 38 significant digits in a Number for key :v", 400)


# -- updates that only delete, on an item that does not exist ----------------------------------
# test_update_expression.py::test_nested_attribute_remove_from_missing_item: REMOVE of a nested
# path is accepted when the item is missing (the same path on an existing item is "invalid for
# update"), and creates no item, so a second such REMOVE is accepted too; scylladb issue #5862
# (test_item.py::test_update_item_non_existant): the same for AttributeUpdates DELETE.
@pytest.mark.parametrize("update", [
    dict(UpdateExpression="REMOVE x.y"),
    dict(UpdateExpression="REMOVE x[0], z"),
    dict(UpdateExpression="DELETE s :s", ExpressionAttributeValues={":s": {"SS": ["a"]}}),
    dict(AttributeUpdates={"x": {"Action": "DELETE"}}),
], ids=["remove-nested", "remove-index", "delete-set", "legacy-delete"])
def test_deleting_from_a_missing_item_creates_nothing(ddb, table, unique, update):
    key = {"id": {"S": unique("gone")}}
    for _ in range(2):
        out = ddb.update_item(TableName=table, Key=key, ReturnValues="ALL_NEW", **update)
        assert "Attributes" not in out
        assert get(ddb, table, key) is None


def test_remove_of_a_missing_parent_on_an_existing_item_is_still_invalid(ddb, table, unique):
    key = {"id": {"S": unique("gone")}}
    ddb.put_item(TableName=table, Item=key)
    assert error(ddb.update_item, TableName=table, Key=key, UpdateExpression="REMOVE x.y") == (
        "ValidationException",
        "The document path provided in the update expression is invalid for update", 400)


def test_update_without_actions_on_a_missing_item_still_creates_it(ddb, table, unique):
    key = {"id": {"S": unique("gone")}}
    ddb.update_item(TableName=table, Key=key, AttributeUpdates={})
    assert get(ddb, table, key) == key
    other = {"id": {"S": unique("gone")}}
    ddb.update_item(TableName=table, Key=other, UpdateExpression="REMOVE x SET y = :y",
                    ExpressionAttributeValues={":y": {"S": "v"}})
    assert get(ddb, table, other) == {**other, "y": {"S": "v"}}


# -- list_append nested in list_append ----------------------------------------------------------
# test_update_expression.py::test_update_expression_function_nesting: AWS refuses a list_append
# call as an argument of list_append, and accepts if_not_exists there (and inside if_not_exists).
MISUSED = ("ValidationException", "Invalid UpdateExpression: The function is not allowed to be "
           "used this way in an expression; function: list_append", 400)


@pytest.mark.parametrize("expression", [
    "SET l = list_append(list_append(:a, :b), :c)",
    "SET l = list_append(:a, list_append(:b, :c))",
    "SET l = list_append(list_append(list_append(:a, :b), :c), :a)",
])
def test_list_append_inside_list_append_is_refused(ddb, table, unique, expression):
    key = {"id": {"S": unique("la")}}
    one = {"L": [{"S": "x"}]}
    assert error(ddb.update_item, TableName=table, Key=key, UpdateExpression=expression,
                 ExpressionAttributeValues={":a": one, ":b": one, ":c": one}) == MISUSED
    assert get(ddb, table, key) is None


def test_if_not_exists_may_nest_in_list_append_and_in_itself(ddb, table, unique):
    key = {"id": {"S": unique("la")}}
    ddb.update_item(TableName=table, Key=key,
                    UpdateExpression="SET l = list_append(if_not_exists(l, :start), :more), "
                                     "n = if_not_exists(m, if_not_exists(o, :one))",
                    ExpressionAttributeValues={":start": {"L": [{"S": "a"}]},
                                               ":more": {"L": [{"S": "b"}]}, ":one": {"N": "1"}})
    assert get(ddb, table, key) == {**key, "l": {"L": [{"S": "a"}, {"S": "b"}]}, "n": {"N": "1"}}


def test_transact_update_that_only_deletes_creates_no_item(ddb, table, unique):
    # TransactWriteItems' Update follows UpdateItem here (inferred: AWS's recordings above are
    # of UpdateItem)
    key = {"id": {"S": unique("gone")}}
    ddb.transact_write_items(TransactItems=[
        {"Update": {"TableName": table, "Key": key, "UpdateExpression": "REMOVE x.y, z"}}])
    assert get(ddb, table, key) is None
