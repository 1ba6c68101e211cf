"""Table lifecycle: CreateTable, DescribeTable, ListTables, DeleteTable (spec 3.4, 5; dynalite's
AWS-recorded texts for CreateTable validation)."""

from __future__ import annotations

import re

import pytest

from tests.dynamodb.helpers import (CREATE_SECONDS, DDB_NS, DELETE_SECONDS, NUM_KEYS, STR_KEY, VALIDATE_NS, create,
                                    raw)
from tests.kit import error


def test_create_table_is_creating_then_active_after_five_seconds(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("Tut")
    before = server.now()
    desc = create(server, ddb, name, keys=NUM_KEYS, active=False)
    assert desc["TableStatus"] == "CREATING"
    assert desc["TableArn"] == f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", desc["TableId"])
    assert desc["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5,
                                             "WriteCapacityUnits": 5}
    assert desc["ItemCount"] == 0 and desc["TableSizeBytes"] == 0
    assert desc["DeletionProtectionEnabled"] is False
    assert "WarmThroughput" not in desc and "BillingModeSummary" not in desc  # spec 3.5.3, 3.6.2
    assert abs(desc["CreationDateTime"].timestamp() - before) < 1
    server.advance(CREATE_SECONDS - 1)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "CREATING"
    server.advance(1)
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == NUM_KEYS["KeySchema"]
    assert table["AttributeDefinitions"] == NUM_KEYS["AttributeDefinitions"]
    assert table["TableId"] == desc["TableId"]
    # spec 3.6.2: provisioned tables report the highest provisioned values as warm throughput
    assert table["WarmThroughput"] == {"ReadUnitsPerSecond": 5, "WriteUnitsPerSecond": 5,
                                       "Status": "ACTIVE"}


def test_tutorial_cli_create_and_describe(server, unique):
    # Seed tutorial Step 2, verbatim apart from the name.
    name = unique("TestTable")
    out = server.aws("dynamodb", "create-table", "--table-name", name,
                     "--attribute-definitions", "AttributeName=pk,AttributeType=N",
                     "AttributeName=sk,AttributeType=N",
                     "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
                     "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=5").json
    assert out["TableDescription"]["TableStatus"] == "CREATING"
    server.advance(CREATE_SECONDS)
    out = server.aws("dynamodb", "describe-table", "--table-name", name, "--query",
                     "Table.[TableName,TableStatus,ProvisionedThroughput]").json
    assert out == [name, "ACTIVE", {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5,
                                    "WriteCapacityUnits": 5}]


def test_on_demand_table_description(server, ddb, unique):
    name = unique("Ppr")
    desc = create(server, ddb, name, BillingMode="PAY_PER_REQUEST")
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                              "WriteCapacityUnits": 0}
    assert "LastUpdateToPayPerRequestDateTime" in table["BillingModeSummary"]
    assert table["WarmThroughput"]["ReadUnitsPerSecond"] == 12000
    assert table["WarmThroughput"]["WriteUnitsPerSecond"] == 4000


def test_create_existing_table_is_resource_in_use(server, ddb, unique):
    name = unique("Dup")
    create(server, ddb, name)
    assert error(ddb.create_table, TableName=name, **STR_KEY,
                 ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}) == (
        "ResourceInUseException", f"Table already exists: {name}", 400)


BAD_CREATES = [
    (dict(**STR_KEY), "One or more parameter values were invalid: ReadCapacityUnits and "
     "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"),
    (dict(**STR_KEY, BillingMode="PAY_PER_REQUEST",
          ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
     "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
     "can be specified when BillingMode is PAY_PER_REQUEST"),
    (dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "b", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST"),
     "One or more parameter values were invalid: Some index key attributes are not defined in "
     "AttributeDefinitions. Keys: [b], AttributeDefinitions: [a]"),
    (dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}],
          BillingMode="PAY_PER_REQUEST"),
     "Invalid KeySchema: Some index key attribute have no definition"),
    (dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"},
                                {"AttributeName": "b", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "a", "KeyType": "RANGE"}],
          BillingMode="PAY_PER_REQUEST"),
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    (dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "a", "KeyType": "RANGE"}], BillingMode="PAY_PER_REQUEST"),
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    (dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"},
                                {"AttributeName": "b", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}],
          BillingMode="PAY_PER_REQUEST"),
     "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"),
    (dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"},
                                {"AttributeName": "b", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST"),
     "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
     "match number of attributes defined in AttributeDefinitions"),
]


@pytest.mark.parametrize("args,message", BAD_CREATES)
def test_create_table_validation(server, ddb, unique, args, message):
    # dynalite validations/createTable.js (texts recorded against AWS)
    assert error(ddb.create_table, TableName=unique("Bad"), **args) == (
        "ValidationException", message, 400)


def test_error_namespaces(server, ddb, unique):
    # spec 2.2.5: validation errors in coral's namespace, the rest in DynamoDB's
    status, body = raw(server, "CreateTable", {"TableName": unique("Ns"), **STR_KEY})
    assert status == 400 and body["__type"] == VALIDATE_NS + "ValidationException"
    status, body = raw(server, "DescribeTable", {"TableName": unique("Missing")})
    assert status == 400 and body["__type"] == DDB_NS + "ResourceNotFoundException"


def test_describe_missing_table(server, ddb):
    assert error(ddb.describe_table, TableName="NoSuchTable") == (
        "ResourceNotFoundException", "Requested resource not found: Table: NoSuchTable not found", 400)


def test_describe_by_arn(server, ddb, unique):
    name = unique("Arn")
    create(server, ddb, name)
    arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
    assert ddb.describe_table(TableName=arn)["Table"]["TableName"] == name


def test_list_tables_pages_by_name(server, ddb, unique):
    prefix = unique("List")
    names = [f"{prefix}-{i}" for i in range(3)]
    for n in reversed(names):
        create(server, ddb, n, active=False)
    listed = []
    start = None
    while True:
        kwargs = {"Limit": 2}
        if start:
            kwargs["ExclusiveStartTableName"] = start
        page = ddb.list_tables(**kwargs)
        assert len(page["TableNames"]) <= 2
        listed += page["TableNames"]
        start = page.get("LastEvaluatedTableName")
        if not start:
            break
        assert start == page["TableNames"][-1]
    assert [n for n in listed if n.startswith(prefix)] == names
    assert listed == sorted(listed)
    assert ddb.list_tables(ExclusiveStartTableName=names[0], Limit=100)["TableNames"][:2] == names[1:]


def test_delete_table_lifecycle(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("Del")
    create(server, ddb, name, active=False)
    assert error(ddb.delete_table, TableName=name) == (
        "ResourceInUseException",
        f"Attempt to change a resource which is still in use: Table is being created: {name}", 400)
    server.advance(CREATE_SECONDS)
    ddb.put_item(TableName=name, Item={"id": {"S": "x"}})
    desc = ddb.delete_table(TableName=name)["TableDescription"]
    assert desc["TableStatus"] == "DELETING"
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "DELETING"
    assert error(ddb.delete_table, TableName=name)[:2] == (
        "ResourceInUseException",
        f"Attempt to change a resource which is still in use: Table is being deleted: {name}")
    # data operations see a DELETING table as missing (dynalite getTable)
    assert error(ddb.get_item, TableName=name, Key={"id": {"S": "x"}}) == (
        "ResourceNotFoundException", "Requested resource not found", 400)
    server.advance(DELETE_SECONDS)
    assert error(ddb.describe_table, TableName=name)[0] == "ResourceNotFoundException"
    assert name not in ddb.list_tables()["TableNames"]
    # the name is free again, and the new table starts empty
    create(server, ddb, name)
    assert "Item" not in ddb.get_item(TableName=name, Key={"id": {"S": "x"}})


def test_delete_missing_table(server, ddb):
    assert error(ddb.delete_table, TableName="NoSuchTable2") == (
        "ResourceNotFoundException", "Requested resource not found: Table: NoSuchTable2 not found", 400)


def test_deletion_protection(server, ddb, unique):
    name = unique("Prot")
    create(server, ddb, name, DeletionProtectionEnabled=True)
    assert ddb.describe_table(TableName=name)["Table"]["DeletionProtectionEnabled"] is True
    code, message, status = error(ddb.delete_table, TableName=name)
    assert (code, status) == ("ValidationException", 400)
    assert "protected against deletion" in message
    ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
    ddb.delete_table(TableName=name)


def test_data_operations_on_creating_table_are_not_found(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("Early")
    create(server, ddb, name, active=False)
    assert error(ddb.put_item, TableName=name, Item={"id": {"S": "a"}}) == (
        "ResourceNotFoundException", "Requested resource not found", 400)


def test_item_count_and_size_refresh_about_every_six_hours(make_server, unique):
    # spec 5.4: ItemCount/TableSizeBytes are updated approximately every six hours; sizes include
    # 100 bytes of per-item overhead (spec 1.1.8)
    server = make_server("--clock", "manual", durable=False)
    ddb = server.client("dynamodb")
    name = unique("Stats")
    create(server, ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}})        # 2 + 1 bytes
    ddb.put_item(TableName=name, Item={"id": {"S": "bb"}, "n": {"N": "42"}})  # 2+2 + 1+2
    table = ddb.describe_table(TableName=name)["Table"]
    assert (table["ItemCount"], table["TableSizeBytes"]) == (0, 0)
    server.advance(6 * 3600)
    table = ddb.describe_table(TableName=name)["Table"]
    assert (table["ItemCount"], table["TableSizeBytes"]) == (2, 3 + 7 + 200)
