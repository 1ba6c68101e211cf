"""Query and Scan of partially projected indexes, as AWS answers them (boto3 over HTTP).

Sources: scylladb test/alternator/test_lsi.py::test_lsi_keys_only_filter_on_non_projected_attribute
(run against AWS: a Query of a KEYS_ONLY LSI may not filter on an attribute the index does not
project, whatever Select says, while the table's own sort key stays usable); localstack issue #478
(AWS refuses a GSI Query whose ProjectionExpression names an attribute the GSI does not project);
dynamodb-conformance's PartiQL recordings for the exact texts and for the GSI filter case.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.dynamodb.helpers import create

S = lambda n: {"AttributeName": n, "AttributeType": "S"}  # noqa: E731
HASH = lambda n: {"AttributeName": n, "KeyType": "HASH"}  # noqa: E731
RANGE = lambda n: {"AttributeName": n, "KeyType": "RANGE"}  # noqa: E731
INVALID = "One or more parameter values were invalid: "
LSI_FILTER = INVALID + "Secondary index byb does not project one or more filter attributes: [d]"


@pytest.fixture(scope="module")
def lsi_table(server, ddb):
    """(p, c) table with a KEYS_ONLY LSI `byb` on (p, b); partition P holds c=0..4, d = c."""
    name = "ConfQueriesLsi"
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
           keys=dict(AttributeDefinitions=[S("p"), S("c"), S("b")],
                     KeySchema=[HASH("p"), RANGE("c")]),
           LocalSecondaryIndexes=[{"IndexName": "byb", "KeySchema": [HASH("p"), RANGE("b")],
                                   "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    for i in range(5):
        ddb.put_item(TableName=name, Item={"p": {"S": "P"}, "c": {"S": str(i)},
                                           "b": {"S": str(9 - i)}, "d": {"S": str(i)}})
    return name


@pytest.fixture(scope="module")
def gsi_table(server, ddb):
    """p table with GSIs on x: `keys` (KEYS_ONLY) and `witha` (INCLUDE a); one item p=1."""
    name = "ConfQueriesGsi"
    gsi = lambda n, proj: {"IndexName": n, "KeySchema": [HASH("x")], "Projection": proj}  # noqa: E731
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
           keys=dict(AttributeDefinitions=[S("p"), S("x")], KeySchema=[HASH("p")]),
           GlobalSecondaryIndexes=[
               gsi("keys", {"ProjectionType": "KEYS_ONLY"}),
               gsi("witha", {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]})])
    ddb.put_item(TableName=name, Item={"p": {"S": "1"}, "x": {"S": "X"}, "a": {"S": "A"},
                                       "b": {"S": "B"}})
    return name


def _refused(call, message):
    with pytest.raises(ClientError) as info:
        call()
    error = info.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("ValidationException", message)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize("extra", [{}, {"Select": "ALL_ATTRIBUTES"},
                                   {"Select": "SPECIFIC_ATTRIBUTES", "ProjectionExpression": "d"}])
def test_lsi_query_filter_on_unprojected_attribute_is_refused(ddb, lsi_table, extra):
    _refused(lambda: ddb.query(TableName=lsi_table, IndexName="byb",
                               KeyConditionExpression="p = :p", FilterExpression="d = :d",
                               ExpressionAttributeValues={":p": {"S": "P"}, ":d": {"S": "2"}},
                               **extra),
             LSI_FILTER)


def test_lsi_query_legacy_filter_on_unprojected_attribute_is_refused(ddb, lsi_table):
    _refused(lambda: ddb.query(
        TableName=lsi_table, IndexName="byb",
        KeyConditions={"p": {"AttributeValueList": [{"S": "P"}], "ComparisonOperator": "EQ"}},
        QueryFilter={"d": {"AttributeValueList": [{"S": "2"}], "ComparisonOperator": "EQ"}}),
        LSI_FILTER)


def test_lsi_query_may_filter_on_the_tables_sort_key(ddb, lsi_table):
    """c is not in the LSI's key schema but every index entry holds the table key."""
    out = ddb.query(TableName=lsi_table, IndexName="byb", KeyConditionExpression="p = :p",
                    FilterExpression="c = :c", ProjectionExpression="d",
                    ExpressionAttributeValues={":p": {"S": "P"}, ":c": {"S": "2"}})
    assert (out["Items"], out["Count"], out["ScannedCount"]) == ([{"d": {"S": "2"}}], 1, 5)


def test_lsi_scan_filter_on_unprojected_attribute_finds_nothing(ddb, lsi_table):
    out = ddb.scan(TableName=lsi_table, IndexName="byb", FilterExpression="d = :d",
                   ExpressionAttributeValues={":d": {"S": "2"}})
    assert (out["Items"], out["Count"], out["ScannedCount"]) == ([], 0, 5)


def test_lsi_reads_still_fetch_unprojected_attributes(ddb, lsi_table):
    out = ddb.query(TableName=lsi_table, IndexName="byb", KeyConditionExpression="p = :p",
                    ProjectionExpression="d", ExpressionAttributeValues={":p": {"S": "P"}})
    assert [i["d"]["S"] for i in out["Items"]] == ["4", "3", "2", "1", "0"]  # in b's order


@pytest.mark.parametrize("index, projection, missing", [
    ("keys", "b", "b"), ("keys", "a, x, b", "a, b"), ("witha", "b.c, p", "b")])
def test_gsi_projection_of_unprojected_attributes_is_refused(ddb, gsi_table, index, projection,
                                                            missing):
    message = INVALID + f"Global secondary index {index} does not project [{missing}]"
    _refused(lambda: ddb.query(TableName=gsi_table, IndexName=index,
                               KeyConditionExpression="x = :x", ProjectionExpression=projection,
                               ExpressionAttributeValues={":x": {"S": "X"}}), message)
    _refused(lambda: ddb.scan(TableName=gsi_table, IndexName=index,
                              ProjectionExpression=projection), message)


def test_gsi_attributes_to_get_of_unprojected_attribute_is_refused(ddb, gsi_table):
    _refused(lambda: ddb.query(
        TableName=gsi_table, IndexName="witha", AttributesToGet=["a", "b"],
        KeyConditions={"x": {"AttributeValueList": [{"S": "X"}], "ComparisonOperator": "EQ"}}),
        INVALID + "Global secondary index witha does not project [b]")


def test_gsi_projected_attributes_are_readable(ddb, gsi_table):
    out = ddb.query(TableName=gsi_table, IndexName="witha", KeyConditionExpression="x = :x",
                    ProjectionExpression="a, p", ExpressionAttributeValues={":x": {"S": "X"}})
    assert out["Items"] == [{"a": {"S": "A"}, "p": {"S": "1"}}]


def test_gsi_query_filter_on_unprojected_attribute_is_refused(ddb, gsi_table):
    _refused(lambda: ddb.query(TableName=gsi_table, IndexName="witha",
                               KeyConditionExpression="x = :x",
                               FilterExpression="b = :b OR a = :b",
                               ExpressionAttributeValues={":x": {"S": "X"}, ":b": {"S": "B"}}),
             INVALID + "Secondary index witha does not project one or more filter attributes: [b]")


def test_gsi_scan_filter_on_unprojected_attribute_finds_nothing(ddb, gsi_table):
    out = ddb.scan(TableName=gsi_table, IndexName="witha", FilterExpression="b = :b",
                   ExpressionAttributeValues={":b": {"S": "B"}})
    assert (out["Items"], out["Count"], out["ScannedCount"]) == ([], 0, 1)


# -- UpdateTable's GlobalSecondaryIndexUpdates: AWS's texts (ack-api-quirks DDB-TABLE-442, and
# scylladb test/alternator/test_gsi_updatetable.py, run against AWS) ------------------------------
@pytest.fixture(scope="module")
def indexed_table(server, ddb):
    """(p, c) table with an LSI `local` on (p, x) and a GSI `global` on x."""
    name = "ConfQueriesUpdate"
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
           keys=dict(AttributeDefinitions=[S("p"), S("c"), S("x")],
                     KeySchema=[HASH("p"), RANGE("c")]),
           LocalSecondaryIndexes=[{"IndexName": "local", "KeySchema": [HASH("p"), RANGE("x")],
                                   "Projection": {"ProjectionType": "ALL"}}],
           GlobalSecondaryIndexes=[{"IndexName": "global", "KeySchema": [HASH("x")],
                                    "Projection": {"ProjectionType": "ALL"}}])
    return name


def _create_gsi(name, key, definitions=True):
    request = {"GlobalSecondaryIndexUpdates": [{"Create": {
        "IndexName": name, "KeySchema": [HASH(key)], "Projection": {"ProjectionType": "ALL"}}}]}
    if definitions:
        request["AttributeDefinitions"] = [S(key)]
    return request


@pytest.mark.parametrize("existing", ["global", "local"])
def test_creating_a_gsi_under_an_existing_index_name_is_refused(ddb, indexed_table, existing):
    """Any index's name, GSI or LSI; the check comes before the schema's (`nokey` is undefined)."""
    _refused(lambda: ddb.update_table(TableName=indexed_table,
                                      **_create_gsi(existing, "nokey", definitions=False)),
             "Attempting to create an index which already exists")


@pytest.mark.parametrize("key", ["x", "c"])
def test_creating_a_gsi_needs_attribute_definitions(ddb, indexed_table, key):
    """Even for an attribute whose type the table already defines (an LSI key, a table key)."""
    _refused(lambda: ddb.update_table(TableName=indexed_table,
                                      **_create_gsi("fresh", key, definitions=False)),
             INVALID + "AttributeDefinitions is not specified for index: fresh")
    assert [g["IndexName"] for g in ddb.describe_table(TableName=indexed_table)["Table"][
        "GlobalSecondaryIndexes"]] == ["global"]


def test_one_index_update_object_holds_one_action(ddb, indexed_table):
    update = {**_create_gsi("fresh", "x")["GlobalSecondaryIndexUpdates"][0],
              "Delete": {"IndexName": "global"}}
    _refused(lambda: ddb.update_table(TableName=indexed_table, AttributeDefinitions=[S("x")],
                                      GlobalSecondaryIndexUpdates=[update]),
             INVALID + "Only one global secondary index action is allowed per "
                       "GlobalSecondaryIndexUpdate object")


def test_an_lsi_cannot_be_deleted_or_updated_as_a_gsi(ddb, indexed_table):
    _refused(lambda: ddb.update_table(TableName=indexed_table, GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "local"}}]),
        "Cannot delete an index that is not a GlobalSecondaryIndex: local")
    _refused(lambda: ddb.update_table(TableName=indexed_table, GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "local", "ProvisionedThroughput": {
            "ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}}]),
        "Cannot update an index that is not a GlobalSecondaryIndex: local")
    with pytest.raises(ClientError) as info:   # an unknown name stays ResourceNotFoundException
        ddb.update_table(TableName=indexed_table, GlobalSecondaryIndexUpdates=[
            {"Delete": {"IndexName": "nowhere"}}])
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
