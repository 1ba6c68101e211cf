"""DynamoDB's model-validation wording where it differs from the generic Coral text: batch limits,
empty RequestItems, the order of several violations, enum listings, echoed values, table names and
tags. Raw awsJson calls (botocore would refuse some of these before sending, and strips `__type`).

Sources, per test: nubo-db/dynamodb-conformance captures (captures/cross-region-latest.json and
2026-08-12-batch-empty-and-nesting.json, us-east-1) and its exact-match tier3 tests run against
AWS; dynalite test/*.js (recorded against AWS); ack-api-quirks services/dynamodb DDB-TABLE-107, 110,
457 (live probes with client validation off). The rules themselves: protocol/validate.py, coral.py.
"""

from __future__ import annotations

import pytest

from tests.conftest import ACCOUNT, REGION
from tests.dynamodb.helpers import NUM_KEYS, VALIDATE_NS, create, raw
from tests.kit import error

VALIDATION = VALIDATE_NS + "ValidationException"
RETURN_VALUES = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"


def rejected(server, operation: str, body: dict) -> str:
    """The message of a ValidationException answer (checked: status 400, coral validate type)."""
    status, doc = raw(server, operation, body)
    assert (status, doc["__type"]) == (400, VALIDATION), doc
    return doc["message"]


def keys(n: int, start: int = 0) -> list[dict]:
    return [{"a": {"S": str(i)}} for i in range(start, start + n)]


@pytest.fixture(scope="module")
def table(server, ddb):
    return create(server, ddb, "ValWording")["TableName"]


# -- gap 1: BatchGetItem with more than 100 keys ------------------------------------------------
def test_over_100_keys_for_one_table_is_reported_without_the_value(server, ddb):
    # conformance tests/tier3/error-messages/batchGetItem.test.ts (exact match against AWS)
    expected = ("1 validation error detected: Value at 'RequestItems.abc.member.Keys' failed to "
                "satisfy constraint: Member must have length less than or equal to 100")
    assert rejected(server, "BatchGetItem", {"RequestItems": {"abc": {"Keys": keys(101)}}}) == expected
    assert error(ddb.batch_get_item, RequestItems={"abc": {"Keys": keys(101)}}) == (
        "ValidationException", expected, 400)


def test_over_100_keys_precedes_key_value_and_table_checks(server):
    # a model constraint: reported before the keys' values or the (missing) table are looked at
    bad_first = [{"a": {"N": "b"}}] + keys(100)
    assert rejected(server, "BatchGetItem", {"RequestItems": {"no-such-table": {"Keys": bad_first}}}) == (
        "1 validation error detected: Value at 'RequestItems.no-such-table.member.Keys' failed to "
        "satisfy constraint: Member must have length less than or equal to 100")


def test_over_100_keys_across_tables_is_the_semantic_text(server):
    # dynalite test/batchGetItem.js: more than 100 keys over multiple tables
    body = {"RequestItems": {"abc": {"Keys": keys(100)}, "abd": {"Keys": keys(1, 100)}}}
    assert rejected(server, "BatchGetItem", body) == "Too many items requested for the BatchGetItem call"


# -- gap 2: empty RequestItems ------------------------------------------------------------------
@pytest.mark.parametrize("operation", ["BatchGetItem", "BatchWriteItem"])
@pytest.mark.parametrize("body", [{"RequestItems": {}}, {},
                                  {"RequestItems": {}, "ReturnConsumedCapacity": "hi"},
                                  {"ReturnConsumedCapacity": "hi", "ReturnItemCollectionMetrics": "hi"}],
                         ids=["empty", "absent", "empty+bad-enum", "absent+bad-enums"])
def test_empty_request_items_is_the_required_parameter_text(server, operation, body):
    # conformance captures/2026-08-12-batch-empty-and-nesting.json (us-east-1) and tier3
    # error-messages/batch*.test.ts; dynalite's test/batchGetItem.js, batchWriteItem.js: it alone
    # is reported even when other members are invalid too
    if operation == "BatchGetItem":
        body = {k: v for k, v in body.items() if k != "ReturnItemCollectionMetrics"}
    assert rejected(server, operation, body) == f"The requestItems parameter is required for {operation}"


# -- gap 3: several violations, in AWS's order --------------------------------------------------
def test_provisioned_throughput_lists_write_before_read(server, table):
    # dynalite test/createTable.js (low ProvisionedThroughput): writeCapacityUnits first
    assert rejected(server, "UpdateTable", {"TableName": table, "ProvisionedThroughput": {
        "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}}) == (
        "2 validation errors detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' "
        "failed to satisfy constraint: Member must have value greater than or equal to 1; Value '0' "
        "at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have "
        "value greater than or equal to 1")


def test_put_item_three_bad_enums(server, table):
    # capture o_put_three_bad_enums (us-east-1)
    assert rejected(server, "PutItem", {
        "TableName": table, "Item": {"id": {"S": "x"}}, "ReturnValues": "INVALID",
        "ReturnConsumedCapacity": "INVALID", "ReturnItemCollectionMetrics": "INVALID"}) == (
        "3 validation errors detected: Value 'INVALID' at 'returnValues' failed to satisfy "
        f"constraint: Member must satisfy enum value set: {RETURN_VALUES}; Value 'INVALID' at "
        "'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: "
        "[INDEXES, TOTAL, NONE]; Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy "
        "constraint: Member must satisfy enum value set: [SIZE, NONE]")


def test_put_item_empty_table_name_and_bad_enum(server):
    # capture o_put_empty_table_bad_rv (us-east-1)
    assert rejected(server, "PutItem", {"TableName": "", "Item": {"id": {"S": "x"}},
                                        "ReturnValues": "INVALID"}) == (
        "2 validation errors detected: Value 'INVALID' at 'returnValues' failed to satisfy "
        f"constraint: Member must satisfy enum value set: {RETURN_VALUES}; Value '' at 'tableName' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1")


def test_delete_item_two_bad_enums(server, table):
    # capture o_del_two_bad_enums (us-east-1)
    assert rejected(server, "DeleteItem", {
        "TableName": table, "Key": {"id": {"S": "x"}}, "ReturnValues": "INVALID",
        "ReturnConsumedCapacity": "INVALID"}) == (
        "2 validation errors detected: Value 'INVALID' at 'returnValues' failed to satisfy "
        f"constraint: Member must satisfy enum value set: {RETURN_VALUES}; Value 'INVALID' at "
        "'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: "
        "[INDEXES, TOTAL, NONE]")


def test_update_item_two_bad_enums_in_the_other_order(server, table):
    # capture o_upd_two_bad_enums (us-east-1): UpdateItem's larger member table flips the order
    assert rejected(server, "UpdateItem", {
        "TableName": table, "Key": {"id": {"S": "x"}}, "ReturnValues": "INVALID",
        "ReturnConsumedCapacity": "INVALID"}) == (
        "2 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' failed to "
        "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value "
        f"'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value "
        f"set: {RETURN_VALUES}")


@pytest.mark.parametrize("operation,body,path,listing", [
    # dynalite test/query.js (incorrect attributes)
    ("Query", {"TableName": "abc", "Select": "hi"}, "select",
     "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"),
    ("Query", {"TableName": "abc", "KeyConditions": {"b": {"ComparisonOperator": "hi"}}},
     "keyConditions.b.member.comparisonOperator",
     "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"),
    # dynalite test/createTable.js (SS in attr definition)
    ("CreateTable", {"TableName": "abc", "BillingMode": "PAY_PER_REQUEST",
                     "AttributeDefinitions": [{"AttributeName": "b", "AttributeType": "hi"}],
                     "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}]},
     "attributeDefinitions.1.member.attributeType", "[B, N, S]"),
    # conformance tests/tier3/validation-ordering/createTable.test.ts (invalid BillingMode)
    ("CreateTable", {"TableName": "abc", "BillingMode": "hi",
                     "AttributeDefinitions": [{"AttributeName": "b", "AttributeType": "S"}],
                     "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}]},
     "billingMode", "[PROVISIONED, PAY_PER_REQUEST]"),
])
def test_enum_values_are_listed_in_aws_order(server, operation, body, path, listing):
    assert rejected(server, operation, body) == (
        f"1 validation error detected: Value 'hi' at '{path}' failed to satisfy constraint: Member "
        f"must satisfy enum value set: {listing}")


# -- echoed collections and map constraints -----------------------------------------------------
def test_three_key_schema_elements_echo_the_elements(server):
    # capture c_ct_3keys (us-east-1): the server still caps KeySchema at two elements
    assert rejected(server, "CreateTable", {
        "TableName": "abc", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "extra")],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"},
                      {"AttributeName": "extra", "KeyType": "RANGE"}]}) == (
        "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), "
        "KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, "
        "keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less "
        "than or equal to 2")


MAP_VALUE_25 = ("failed to satisfy constraint: Map value must satisfy constraint: [Member must have "
                "length less than or equal to 25, Member must have length greater than or equal to 1]")


def test_batch_write_over_25_for_one_table_echoes_the_map(server):
    # capture c_bw_over25 (us-east-1), tier3 error-messages/batchWriteItem.test.ts
    entries = [{"PutRequest": {"Item": {"pk": {"S": f"bw-{i}"}}}} for i in range(26)]
    rendered = ", ".join(
        f"WriteRequest(putRequest=PutRequest(item={{pk=AttributeValue(s=bw-{i}, n=null, b=null, "
        "iNT=null, dECIMAL=null, dOUBLE=null, sS=null, nS=null, bS=null, iNTSET=null, dECIMALSET=null, "
        "dOUBLESET=null, m=null, l=null, nULL=null, bOOL=null)}, workloadProfileName=null), "
        "deleteRequest=null)" for i in range(26))
    assert rejected(server, "BatchWriteItem", {"RequestItems": {"t-over": entries}}) == (
        f"1 validation error detected: Value '{{t-over=[{rendered}]}}' at 'requestItems' {MAP_VALUE_25}")


def test_batch_write_empty_list_for_a_table(server):
    # dynalite test/batchWriteItem.js (empty list in RequestItems): reported at the map
    assert rejected(server, "BatchWriteItem", {"RequestItems": {"abc": []}}) == (
        f"1 validation error detected: Value '{{abc=[]}}' at 'requestItems' {MAP_VALUE_25}")


def test_batch_write_entry_members_are_checked_inside_the_map(server):
    # dynalite test/batchWriteItem.js (incorrect attributes): paths through map and list
    message = rejected(server, "BatchWriteItem",
                       {"RequestItems": {"abc": [{"PutRequest": {}, "DeleteRequest": {}}]}})
    assert message.startswith("2 validation errors detected: ")
    assert set(message[len("2 validation errors detected: "):].split("; ")) == {
        f"Value null at 'requestItems.abc.member.1.member.{p}' failed to satisfy constraint: "
        "Member must not be null" for p in ("deleteRequest.key", "putRequest.item")}


# -- table names the server still holds to the table-name shape ---------------------------------
@pytest.mark.parametrize("operation,name,constraint", [
    # captures s_put_table_empty, s_put_table_long, s_put_table_badchars, s_ct_table_short
    ("PutItem", "", "Member must have length greater than or equal to 1"),
    ("PutItem", "a" * 256, "Member must have length less than or equal to 255"),
    ("PutItem", "bad table!@#", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ("CreateTable", "ab", "Member must have length greater than or equal to 3"),
])
def test_table_name_constraints(server, operation, name, constraint):
    body = {"TableName": name, "Item": {"id": {"S": "x"}}} if operation == "PutItem" else {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST", **NUM_KEYS}
    assert rejected(server, operation, body) == (
        f"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: "
        f"{constraint}")


def test_short_table_name_with_bad_characters_reports_pattern_then_length(server):
    # dynalite test/query.js (short TableName)
    assert rejected(server, "Query", {"TableName": "a;"}) == (
        "2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'tableName' "
        "failed to satisfy constraint: Member must have length greater than or equal to 3")


def test_a_table_arn_is_not_held_to_the_name_shape(server):
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/no-such-table"
    status, doc = raw(server, "DescribeTable", {"TableName": arn})
    assert status == 400 and doc["__type"].endswith("#ResourceNotFoundException")


# -- gap 4: tags are checked by the service, not the model --------------------------------------
@pytest.fixture(scope="module")
def table_arn(server, ddb):
    return create(server, ddb, "ValWordingTags")["TableArn"]


MISSING_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/no-such-table"


@pytest.mark.parametrize("arn", ["existing", "missing"])
@pytest.mark.parametrize("tags,message", [
    # DDB-TABLE-107: 129-character key, 257-character value; DDB-TABLE-457: Tags=[{}], key only
    ([{"Key": "k" * 129, "Value": "v"}], "The Tag Key provided is invalid, Key: " + "k" * 129),
    ([{"Key": "k", "Value": "v" * 257}], "The Tag Value provided is invalid, Value: " + "v" * 257),
    ([{}], "The Tag Key provided is invalid, Key: null"),
    ([{"Key": "k"}], "The Tag Value provided is invalid, Value: null"),
    ([{"Key": "", "Value": "v"}], "The Tag Key provided is invalid, Key: "),
    ([{"Key": "good", "Value": "v"}, {"Key": "x" * 129, "Value": "v"}],
     "The Tag Key provided is invalid, Key: " + "x" * 129),
])
def test_tag_resource_invalid_tags(server, ddb, table_arn, arn, tags, message):
    # checked before the table lookup, all or nothing (DDB-TABLE-107)
    target = table_arn if arn == "existing" else MISSING_ARN
    assert rejected(server, "TagResource", {"ResourceArn": target, "Tags": tags}) == message
    if arn == "existing":
        assert ddb.list_tags_of_resource(ResourceArn=table_arn)["Tags"] == []


@pytest.mark.parametrize("tag_keys,message", [
    ([""], "The Tag Key provided is invalid, Key: "),  # DDB-TABLE-457
    (["k" * 129], "The Tag Key provided is invalid, Key: " + "k" * 129),  # DDB-TABLE-107
])
def test_untag_resource_invalid_keys(server, table_arn, tag_keys, message):
    assert rejected(server, "UntagResource", {"ResourceArn": table_arn, "TagKeys": tag_keys}) == message
    assert rejected(server, "UntagResource", {"ResourceArn": MISSING_ARN, "TagKeys": tag_keys}) == message


def test_longest_tag_key_and_value_are_accepted(ddb, table_arn):
    # DDB-TABLE-107: 128-character key and 256-character value -> 200
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "K" * 128, "Value": "V" * 256}])
    assert {"Key": "K" * 128, "Value": "V" * 256} in ddb.list_tags_of_resource(ResourceArn=table_arn)["Tags"]
    ddb.untag_resource(ResourceArn=table_arn, TagKeys=["K" * 128])


def test_create_table_with_an_invalid_tag_creates_nothing(server, ddb):
    # DDB-TABLE-110: key of 129 characters -> the tag text, no table
    name = "ValWordingBadTag"
    assert rejected(server, "CreateTable", {"TableName": name, "BillingMode": "PAY_PER_REQUEST", **NUM_KEYS,
                                            "Tags": [{"Key": "x" * 129, "Value": "v"}]}) == (
        "The Tag Key provided is invalid, Key: " + "x" * 129)
    assert name not in ddb.list_tables()["TableNames"]


@pytest.mark.parametrize("operation,body", [
    ("TagResource", {}), ("TagResource", {"Tags": []}), ("UntagResource", {"TagKeys": ["a"]}),
    ("ListTagsOfResource", {}),
])
def test_missing_resource_arn_is_invalid_table_arn(server, operation, body):
    # dynalite test/tagResource.js, untagResource.js, listTagsOfResource.js (no ResourceArn)
    assert rejected(server, operation, body) == "Invalid TableArn"


def test_missing_tags_is_the_model_text(server):
    # dynalite test/tagResource.js (null Tags)
    assert rejected(server, "TagResource", {"ResourceArn": MISSING_ARN}) == (
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must "
        "not be null")
