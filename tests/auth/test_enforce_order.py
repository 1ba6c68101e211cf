"""`--auth enforce`: which error a request that is both unauthorized and wrong gets.

The order (server/pipeline.py): the signature, then the botocore model's constraints (a table
name that fails its pattern or length, a member of the wrong type, a missing required member:
ValidationException), then the caller's permissions (AccessDeniedException), and only then what
the operation itself checks against its state and the request's meaning: a table that does not
exist, an item without its key or with a malformed number, a table still CREATING.

- Permissions before existence: a caller without the permission is told AccessDenied, not
  ResourceNotFound / ResourceInUse, for a table that does not exist or already exists
  (recorded against DynamoDB in rafaelrpinto/dynamodb-store#11: DescribeTable without
  dynamodb:DescribeTable failed although the table existed; treeverse/lakeFS#4761: CreateTable
  of an existing table without dynamodb:CreateTable is not ResourceInUseException).
- Model constraints before permissions: inferred. A name that fails the model's pattern names
  no resource to authorize (no ARN can be built from it), and AWS's front ends check a request
  against the service model before handing it to the service.
"""

from __future__ import annotations

import pytest

from tests.auth.helpers import ROOT_FLAGS, client
from tests.auth.test_enforce import TABLE_ARN, allow, user_with
from tests.conftest import Server
from tests.kit import error


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--auth", "enforce", *ROOT_FLAGS]).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def reader(server):
    """A table Tbl and a user allowed only dynamodb:GetItem on it."""
    ddb = client(server, "dynamodb")
    ddb.create_table(TableName="Tbl", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
    server.advance(60)
    arn, (kid, secret) = user_with(server, "reader", allow("dynamodb:GetItem", TABLE_ARN + "Tbl"))
    return arn, client(server, "dynamodb", kid, secret)


def _denied(arn: str, action: str, table: str) -> tuple:
    return ("AccessDeniedException",
            f"User: {arn} is not authorized to perform: dynamodb:{action} on resource: "
            f"{TABLE_ARN}{table} because no identity-based policy allows the dynamodb:{action} "
            "action", 400)


@pytest.mark.parametrize("item", [
    {"v": {"S": "no key"}},                       # the key attribute missing
    {"k": {"N": "1"}},                            # the key of the wrong type
    {"k": {"S": "a"}, "n": {"N": "dog"}},         # a malformed number
    {"k": {"S": "a"}, "s": {"SS": []}},           # an empty set
])
def test_malformed_item_without_permission_is_access_denied(server, reader, item):
    arn, ddb = reader
    assert error(ddb.put_item, TableName="Tbl", Item=item) == _denied(arn, "PutItem", "Tbl")
    # the root, which may, is told what is wrong with the item
    assert error(client(server, "dynamodb").put_item, TableName="Tbl", Item=item)[0] == \
        "ValidationException"


def test_missing_table_without_permission_is_access_denied(server, reader):
    arn, ddb = reader
    assert error(ddb.put_item, TableName="Missing", Item={"k": {"S": "a"}}) == \
        _denied(arn, "PutItem", "Missing")
    assert error(ddb.describe_table, TableName="Missing") == \
        _denied(arn, "DescribeTable", "Missing")
    # with the permission (the root's), the table's absence is what is said
    assert error(client(server, "dynamodb").put_item, TableName="Missing",
                 Item={"k": {"S": "a"}})[0] == "ResourceNotFoundException"


def test_existing_table_without_permission_to_create_is_access_denied(server, reader):
    arn, ddb = reader
    assert error(ddb.create_table, TableName="Tbl", BillingMode="PAY_PER_REQUEST",
                 KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}]) == \
        _denied(arn, "CreateTable", "Tbl")


@pytest.mark.parametrize("name,constraint", [
    ("ab", "Member must have length greater than or equal to 3"),
    ("bad name!", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
])
def test_model_constraint_is_said_before_permissions(server, reader, name, constraint):
    _, ddb = reader
    code, message, status = error(ddb.put_item, TableName=name, Item={"k": {"S": "a"}})
    assert (code, status) == ("ValidationException", 400)
    assert message == ("1 validation error detected: Value '" + name + "' at 'tableName' "
                       "failed to satisfy constraint: " + constraint)
