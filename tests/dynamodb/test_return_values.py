"""ReturnValues for UpdateItem (all five), PutItem and DeleteItem (NONE | ALL_OLD only).

Sources: UpdateItem API reference (ReturnValues); dynalite test/updateItem.js "should update
nested attributes" (UPDATED_* keep only the updated paths, lists keep their element order) and
validations/putItem.js, deleteItem.js ("ReturnValues can only be ALL_OLD or NONE"), recorded
against AWS.
"""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create, raw
from tests.kit import error


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "RetVals", read=1000, write=1000)
    return "RetVals"


OLD = {"a": {"N": "1"}, "b": {"S": "keep"}, "l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}]},
       "m": {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}}
UPDATE = dict(UpdateExpression="SET a = a + :one, l[1] = :ten, m.x = :ten REMOVE b, gone",
              ExpressionAttributeValues={":one": {"N": "1"}, ":ten": {"N": "10"}})
NEW = {"a": {"N": "2"}, "l": {"L": [{"N": "0"}, {"N": "10"}, {"N": "2"}]},
       "m": {"M": {"x": {"N": "10"}, "y": {"N": "2"}}}}
EXPECTED = {
    "NONE": None,
    "ALL_OLD": OLD,
    "UPDATED_OLD": {"a": {"N": "1"}, "b": {"S": "keep"}, "l": {"L": [{"N": "1"}]},
                    "m": {"M": {"x": {"N": "1"}}}},
    "ALL_NEW": NEW,
    "UPDATED_NEW": {"a": {"N": "2"}, "l": {"L": [{"N": "10"}]}, "m": {"M": {"x": {"N": "10"}}}},
}


@pytest.mark.parametrize("mode", list(EXPECTED))
def test_update_item_return_values(ddb, table, unique, mode):
    key = {"id": {"S": unique("rv")}}
    ddb.put_item(TableName=table, Item={**key, **OLD})
    out = ddb.update_item(TableName=table, Key=key, ReturnValues=mode, **UPDATE)
    expected = EXPECTED[mode]
    if expected is None:
        assert "Attributes" not in out
    else:
        with_key = mode.startswith("ALL_")
        assert out["Attributes"] == ({**key, **expected} if with_key else expected)


@pytest.mark.parametrize("mode", ["ALL_OLD", "UPDATED_OLD"])
def test_old_values_of_a_created_item_are_absent(ddb, table, unique, mode):
    out = ddb.update_item(TableName=table, Key={"id": {"S": unique("rv")}}, ReturnValues=mode,
                          UpdateExpression="SET a = :a", ExpressionAttributeValues={":a": {"N": "1"}})
    assert "Attributes" not in out


def test_updated_new_of_a_pure_remove_is_absent(ddb, table, unique):
    key = {"id": {"S": unique("rv")}}
    ddb.put_item(TableName=table, Item={**key, "a": {"N": "1"}})
    out = ddb.update_item(TableName=table, Key=key, UpdateExpression="REMOVE a",
                          ReturnValues="UPDATED_NEW")
    assert "Attributes" not in out


@pytest.mark.parametrize("mode", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"])
def test_put_and_delete_accept_only_all_old_or_none(ddb, table, mode):
    message = ("ValidationException", "ReturnValues can only be ALL_OLD or NONE", 400)
    assert error(ddb.put_item, TableName=table, Item={"id": {"S": "x"}}, ReturnValues=mode) == message
    assert error(ddb.delete_item, TableName=table, Key={"id": {"S": "x"}}, ReturnValues=mode) == message


def test_invalid_enum_is_rejected_by_the_model(server, table):
    status, body = raw(server, "UpdateItem", {"TableName": table, "Key": {"id": {"S": "x"}},
                                              "ReturnValues": "SOME"})
    assert status == 400 and body["__type"].endswith("ValidationException")
    assert "Member must satisfy enum value set" in body["message"]
