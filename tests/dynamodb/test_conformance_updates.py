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
