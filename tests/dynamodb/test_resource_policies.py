"""PutResourcePolicy / GetResourcePolicy / DeleteResourcePolicy and CreateTable's ResourcePolicy:
AWS's validation texts, revision ids and canonical read-back (recorded against AWS in moto's
aws_verified tests test_dynamodb_resource_policy.py and ack-api-quirks `services/dynamodb`
DDB-TABLE-205..214, 236, 356)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import ACCOUNT, REGION
from tests.dynamodb.helpers import DDB_NS, DELETE_SECONDS, STR_KEY, create, raw
from tests.kit import error

NO_POLICY = "Resource-based policy not found for the provided ResourceArn: "
INVALID = "One or more parameter values were invalid: "


def policy(action="dynamodb:GetItem", resource="*", principal=None, effect="Allow", **extra):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": effect, "Principal": principal or {"AWS": ACCOUNT}, "Action": [action],
        "Resource": resource, **extra}]})


def retry_at(revision: str) -> str:
    """The cooldown's "try again after": the change's epoch milliseconds + 15 s, ISO 8601 with
    milliseconds (DDB-TABLE-206)."""
    ms = int(revision) + 15000
    return dt.datetime.fromtimestamp(ms // 1000, dt.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@pytest.fixture
def table(server, ddb, unique):
    return create(server, ddb, unique("rp"))


def test_put_get_round_trip_is_canonical(ddb, table):
    arn, name = table["TableArn"], table["TableName"]
    sent = json.dumps({"Statement": {"Sid": "Read", "Resource": [arn], "Action": ["dynamodb:GetItem"],
                                     "Principal": {"AWS": [ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root"]},
                                     "Effect": "allow"}}, indent=4)
    revision = ddb.put_resource_policy(ResourceArn=arn, Policy=sent)["RevisionId"]
    assert len(revision) == 13 and revision.isdigit()  # epoch milliseconds (DDB-TABLE-207)
    got = ddb.get_resource_policy(ResourceArn=arn)
    assert got["RevisionId"] == revision
    # minified, fixed key order, one-element lists as strings, the account as its root ARN
    # (once), Effect capitalised, a lone statement as a list, no Version -> 2008-10-17
    assert got["Policy"] == (
        '{"Version":"2008-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":'
        f'{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"dynamodb:GetItem","Resource":"{arn}"}}]}}')
    assert "ResourcePolicy" not in json.dumps(ddb.describe_table(TableName=name)["Table"], default=str)


def test_equivalent_put_keeps_the_revision_a_change_waits_15_seconds(server, ddb, table):
    arn, name = table["TableArn"], table["TableName"]
    first = ddb.put_resource_policy(ResourceArn=arn, Policy=policy())["RevisionId"]
    same = json.dumps(json.loads(policy()), indent=2, sort_keys=True)
    assert ddb.put_resource_policy(ResourceArn=arn, Policy=same)["RevisionId"] == first
    cooldown = ("ThrottlingException", f"Resource-based policy for table {name} modified within "
                f"the previous 15000 milliseconds. Please try again after {retry_at(first)}.", 400)
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy("dynamodb:PutItem")) == \
        cooldown
    assert error(ddb.delete_resource_policy, ResourceArn=arn) == cooldown
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy("dynamodb:PutItem"),
                 ExpectedRevisionId=first) == (
        "ResourceInUseException", "Attempt to change a resource which is still in use: Table is "
        f"pending previous resource-based policy update: {name}", 400)
    server.advance(14)
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy("dynamodb:PutItem")) == \
        cooldown
    server.advance(1)
    second = ddb.put_resource_policy(ResourceArn=arn, Policy=policy("dynamodb:PutItem"),
                                     ExpectedRevisionId=first)["RevisionId"]
    assert int(second) - int(first) >= 15000  # the simulated clock's milliseconds
    assert ddb.get_resource_policy(ResourceArn=arn)["RevisionId"] == second


def test_expected_revision_mismatch_and_no_policy(server, ddb, table):
    arn, name = table["TableArn"], table["TableName"]
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy(),
                 ExpectedRevisionId="123456789") == (
        "PolicyNotFoundException", f"{NO_POLICY}Requested update for policy with revision id "
        f"123456789, but table {name} has no associated policy.", 400)
    first = ddb.put_resource_policy(ResourceArn=arn, Policy=policy(),
                                    ExpectedRevisionId="NO_POLICY")["RevisionId"]
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy(),
                 ExpectedRevisionId="NO_POLICY") == (
        "PolicyNotFoundException", f"{NO_POLICY}Requested policy update expecting none to be "
        f"present for table {name}, but a policy exists with revision id {first}.", 400)
    server.advance(15)
    second = ddb.put_resource_policy(ResourceArn=arn, Policy=policy("dynamodb:PutItem"),
                                     ExpectedRevisionId=first)["RevisionId"]
    stale = (f"{NO_POLICY}Requested update for policy with revision id {first}, but the policy "
             f"associated to target table {name} has revision id {second}.")
    # the revision check comes before the cooldown
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy("dynamodb:Scan"),
                 ExpectedRevisionId=first) == ("PolicyNotFoundException", stale, 400)
    assert error(ddb.delete_resource_policy, ResourceArn=arn, ExpectedRevisionId=first) == (
        "PolicyNotFoundException", stale, 400)
    assert ddb.get_resource_policy(ResourceArn=arn)["RevisionId"] == second


def test_delete_is_idempotent_and_echoes_revisions(server, ddb, table):
    arn = table["TableArn"]
    assert error(ddb.get_resource_policy, ResourceArn=arn) == (
        "PolicyNotFoundException", NO_POLICY + arn, 400)
    never = ddb.delete_resource_policy(ResourceArn=arn)
    assert "RevisionId" not in never  # a table that never had one: an empty answer
    revision = ddb.put_resource_policy(ResourceArn=arn, Policy=policy())["RevisionId"]
    server.advance(15)
    assert ddb.delete_resource_policy(ResourceArn=arn,
                                      ExpectedRevisionId=revision)["RevisionId"] == revision
    assert error(ddb.get_resource_policy, ResourceArn=arn)[0] == "PolicyNotFoundException"
    tombstone = ddb.delete_resource_policy(ResourceArn=arn)["RevisionId"]  # no change: no cooldown
    assert int(tombstone) > int(revision)  # the deletion's own revision (DDB-TABLE-205)
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy())[0] == \
        "ThrottlingException"  # the deletion was a change


def test_policy_not_found_wire_type(server, table):
    status, doc = raw(server, "GetResourcePolicy", {"ResourceArn": table["TableArn"]})
    assert status == 400 and doc["__type"] == DDB_NS + "PolicyNotFoundException"


@pytest.mark.parametrize("text,message", [
    ("{not json", INVALID + "Invalid policy document: This policy contains invalid Json"),
    ("", INVALID + "Invalid policy document: This policy contains invalid Json"),
    ('{"Version":"2012-10-17","Statement":[]}',
     INVALID + "Invalid policy document: Could not parse the policy: Statement is empty!"),
    (json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "dynamodb:GetItem"}]}),
     INVALID + "Invalid policy document: Missing required field Resource"),
    (json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "dynamodb:GetItem",
         "Resource": "*"},
        {"Sid": "A", "Effect": "Deny", "Principal": {"AWS": ACCOUNT}, "Action": "dynamodb:PutItem",
         "Resource": "*"}]}),
     INVALID + "Invalid policy document: The Statement Ids in the policy are not unique"),
    (policy(principal="*"), "Resource-based policy grants unbounded access in one or more "
     "elements. Please revise the policy to ensure least-privilege form of access"),
    (policy(principal={"AWS": "*"}), "Resource-based policy grants unbounded access in one or "
     "more elements. Please revise the policy to ensure least-privilege form of access"),
    (policy() + " " * 20480, INVALID + "Maximum policy size of 20480 bytes exceeded"),
])
def test_invalid_documents(ddb, table, text, message):
    arn = table["TableArn"]
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=text) == (
        "ValidationException", message, 400)
    assert error(ddb.get_resource_policy, ResourceArn=arn)[0] == "PolicyNotFoundException"


def test_size_limit_counts_whitespace_and_read_back_is_minified(server, ddb, table):
    arn = table["TableArn"]
    text = policy()
    padded = text[:-1] + " " * (20480 - len(text)) + text[-1]  # exactly 20480 bytes: accepted
    ddb.put_resource_policy(ResourceArn=arn, Policy=padded)
    assert len(ddb.get_resource_policy(ResourceArn=arn)["Policy"]) < 300
    # a Deny to everyone, and an Allow to everyone narrowed by a condition, are accepted
    server.advance(15)
    ddb.put_resource_policy(ResourceArn=arn, Policy=policy(principal="*", effect="Deny"))
    server.advance(15)
    ddb.put_resource_policy(ResourceArn=arn, Policy=policy(
        principal="*", Condition={"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}))


def test_resource_arn_forms(ddb, unique, server):
    name = unique("rparn")
    arn = create(server, ddb, name, GlobalSecondaryIndexes=[{
        "IndexName": "gsi", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})["TableArn"]
    cases = [
        (name, "ValidationException", f"{INVALID}ARNs must start with 'arn:': {name}"),
        (f"{arn}/index/gsi", "ValidationException", f"{INVALID}Invalid resource arn provided, only "
         f"table or stream is accepted. Provided resource arn: {arn}/index/gsi"),
        (f"{arn}/backup/01700000000000-abcdef12", "ValidationException",
         f"{INVALID}Provided Arn is not a DynamoDB resource arn: {arn}/backup/01700000000000-abcdef12"),
        (arn.replace(REGION, "eu-west-3"), "ValidationException",
         f"{INVALID}Invalid resource Arn: {arn.replace(REGION, 'eu-west-3')}"),
        (arn.replace(ACCOUNT, "210987654321"), "ValidationException",
         "This action is only supported by accounts that match the resource owner\u2019s account."),
        (arn + "-missing", "ResourceNotFoundException",
         f"Requested resource not found: Table: {name}-missing not found"),
        (f"{arn}/stream/2000-01-01T00:00:00.000", "ResourceNotFoundException",
         f"Requested resource not found: Stream: 2000-01-01T00:00:00.000 not found for Table: {name}"),
    ]
    for bad, code, message in cases:
        assert error(ddb.get_resource_policy, ResourceArn=bad) == (code, message, 400), bad
        assert error(ddb.delete_resource_policy, ResourceArn=bad) == (code, message, 400), bad
        assert error(ddb.put_resource_policy, ResourceArn=bad, Policy=policy()) == (
            code, message, 400), bad


def test_stream_has_its_own_slot(server, ddb, unique):
    table = create(server, ddb, unique("rpstream"),
                   StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    stream = table["LatestStreamArn"]
    revision = ddb.put_resource_policy(ResourceArn=stream, Policy=policy(
        "dynamodb:GetRecords", stream))["RevisionId"]
    assert ddb.get_resource_policy(ResourceArn=stream)["RevisionId"] == revision
    assert error(ddb.get_resource_policy, ResourceArn=table["TableArn"]) == (
        "PolicyNotFoundException", NO_POLICY + table["TableArn"], 400)
    # the slots' cooldowns are their own; the stream's names its label
    ddb.put_resource_policy(ResourceArn=table["TableArn"], Policy=policy())
    label = stream.rsplit("/", 1)[1]
    assert error(ddb.delete_resource_policy, ResourceArn=stream) == (
        "ThrottlingException", f"Resource-based policy for stream {label} modified within the "
        f"previous 15000 milliseconds. Please try again after {retry_at(revision)}.", 400)


def test_create_table_attaches_the_policy(ddb, unique):
    name = unique("rpcreate")
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    assert error(ddb.create_table, TableName=name, BillingMode="PAY_PER_REQUEST",
                 ResourcePolicy="{bad", **STR_KEY) == (
        "ValidationException", INVALID + "Invalid policy document: This policy contains invalid Json",
        400)
    assert name not in ddb.list_tables()["TableNames"]
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     ResourcePolicy=policy(resource=arn), **STR_KEY)
    got = ddb.get_resource_policy(ResourceArn=arn)
    assert json.loads(got["Policy"])["Statement"][0]["Resource"] == arn


def test_deleted_table_takes_its_policy(aws_server, unique):
    ddb = aws_server.client("dynamodb")
    name = unique("rpdel")
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", ResourcePolicy=policy(), **STR_KEY)
    aws_server.advance(10)
    revision = ddb.get_resource_policy(ResourceArn=arn)["RevisionId"]
    ddb.delete_table(TableName=name)
    # while DELETING: reads answer, an equivalent Put is a no-op, a change is refused
    assert ddb.get_resource_policy(ResourceArn=arn)["RevisionId"] == revision
    assert ddb.put_resource_policy(ResourceArn=arn, Policy=policy())["RevisionId"] == revision
    being_deleted = ("ResourceInUseException", "Attempt to change a resource which is still in "
                     f"use: Table is being deleted: {name}", 400)
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy("dynamodb:PutItem")) == \
        being_deleted
    assert error(ddb.delete_resource_policy, ResourceArn=arn) == being_deleted
    aws_server.advance(DELETE_SECONDS + 1)
    gone = ("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found", 400)
    assert error(ddb.get_resource_policy, ResourceArn=arn) == gone
    assert error(ddb.delete_resource_policy, ResourceArn=arn) == gone
    # a table re-created under the name starts without one
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **STR_KEY)
    aws_server.advance(10)
    assert error(ddb.get_resource_policy, ResourceArn=arn) == (
        "PolicyNotFoundException", NO_POLICY + arn, 400)


def test_policy_survives_restart(make_server, unique):
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    table = create(server, ddb, unique("rprestart"), BillingMode="PAY_PER_REQUEST")
    revision = ddb.put_resource_policy(ResourceArn=table["TableArn"], Policy=policy())["RevisionId"]
    server.restart()
    got = server.client("dynamodb").get_resource_policy(ResourceArn=table["TableArn"])
    assert got["RevisionId"] == revision
    assert json.loads(got["Policy"])["Statement"][0]["Action"] == "dynamodb:GetItem"


def test_aws_cli_round_trip(server, ddb, table):
    arn = table["TableArn"]
    put = server.aws("dynamodb", "put-resource-policy", "--resource-arn", arn,
                     "--policy", policy(resource=arn), "--expected-revision-id", "NO_POLICY")
    got = server.aws("dynamodb", "get-resource-policy", "--resource-arn", arn)
    assert got.json["RevisionId"] == put.json["RevisionId"]
    assert json.loads(got.json["Policy"])["Statement"][0]["Resource"] == arn
    server.advance(15)
    deleted = server.aws("dynamodb", "delete-resource-policy", "--resource-arn", arn)
    assert deleted.json["RevisionId"] == put.json["RevisionId"]
    missing = server.aws("dynamodb", "get-resource-policy", "--resource-arn", arn, check=False)
    assert missing.returncode != 0 and "PolicyNotFoundException" in missing.stderr


def test_delete_table_waits_for_a_policy_change(server, ddb, unique):
    def pending(name):
        return ("ResourceInUseException", "Attempt to change a resource which is still in use: "
                f"Table: {name} has a pending resource-based policy update.", 400)

    put_name, deleted_name = unique("rpwait"), unique("rpwait")
    put_arn = create(server, ddb, put_name)["TableArn"]
    deleted_arn = create(server, ddb, deleted_name)["TableArn"]
    ddb.put_resource_policy(ResourceArn=deleted_arn, Policy=policy())
    server.advance(15)
    ddb.put_resource_policy(ResourceArn=put_arn, Policy=policy())
    ddb.delete_resource_policy(ResourceArn=deleted_arn)
    assert error(ddb.delete_table, TableName=put_name) == pending(put_name)
    ddb.put_resource_policy(ResourceArn=put_arn, Policy=policy())  # equivalent: no new change
    server.advance(1)
    assert ddb.delete_table(TableName=put_name)["TableDescription"]["TableStatus"] == "DELETING"
    assert error(ddb.delete_table, TableName=deleted_name) == pending(deleted_name)
    server.advance(1)  # 2 s after a policy Delete
    assert ddb.delete_table(TableName=deleted_name)["TableDescription"]["TableStatus"] == \
        "DELETING"
