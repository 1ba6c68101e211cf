"""Operations of the DynamoDB model: none may answer 500. Those Dynoscale does not emulate answer a
clean 501 NotImplemented; the simple read-only ones answer as AWS does for a table that never used
the feature (live probes: ack-api-quirks `services/dynamodb` DDB-TABLE-089, 094, 111, 455)."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error


@pytest.mark.parametrize("call,kwargs", [
    ("describe_import", {"ImportArn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/import/01"}),
    ("list_exports", {}),
    ("list_global_tables", {}),
])
def test_unimplemented_operations_answer_a_clean_501(ddb, call, kwargs):
    code, message, status = error(getattr(ddb, call), **kwargs)
    assert (code, status) == ("NotImplemented", 501)
    assert "does not implement" in message


def test_read_only_feature_descriptions_for_an_existing_table(server, ddb, unique):
    name = unique("ro")
    create(server, ddb, name, active=False)
    server.advance(10)  # ContinuousBackupsStatus turns ENABLED ~3 s after ACTIVE (DDB-TABLE-111)
    assert ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"] == {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}
    out = ddb.describe_contributor_insights(TableName=name)
    out.pop("ResponseMetadata")
    assert out == {"TableName": name, "ContributorInsightsStatus": "DISABLED"}
    assert ddb.list_contributor_insights(TableName=name)["ContributorInsightsSummaries"] == []
    out = ddb.describe_kinesis_streaming_destination(TableName=name)
    assert (out["TableName"], out["KinesisDataStreamDestinations"]) == (name, [])
    assert ddb.list_backups(TableName=name)["BackupSummaries"] == []
    assert ddb.list_backups()["BackupSummaries"] == []


def test_read_only_feature_descriptions_for_missing_tables(ddb, unique):
    name = unique("missing")
    assert error(ddb.describe_continuous_backups, TableName=name) == (
        "TableNotFoundException", f"Table not found: {name}", 400)
    rnf = ("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found", 400)
    assert error(ddb.describe_contributor_insights, TableName=name) == rnf
    assert error(ddb.list_contributor_insights, TableName=name) == rnf
    assert error(ddb.describe_kinesis_streaming_destination, TableName=name) == rnf


def test_contributor_insights_per_global_index(server, ddb, unique):
    name = unique("ro")
    keys = dict(AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                      {"AttributeName": "g", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    create(server, ddb, name, keys=keys, BillingMode="PAY_PER_REQUEST",
           GlobalSecondaryIndexes=[{"IndexName": "by-g",
                                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    out = ddb.describe_contributor_insights(TableName=name, IndexName="by-g")
    out.pop("ResponseMetadata")
    assert out == {"TableName": name, "IndexName": "by-g", "ContributorInsightsStatus": "DISABLED"}
    assert error(ddb.describe_contributor_insights, TableName=name, IndexName="nope") == (
        "ResourceNotFoundException", f"Requested resource not found: Index: nope not found for table: {name}",
        400)


def test_list_backups_time_range(ddb):
    assert error(ddb.list_backups, TimeRangeLowerBound=2000000000, TimeRangeUpperBound=1000000000) == (
        "ValidationException", "One or more parameter values were invalid: Time range lower bound must be "
        "less than or equal to upper bound", 400)
