"""UpdateContinuousBackups / DescribeContinuousBackups over HTTP: point-in-time recovery on and
off, its recovery period and restore window on the manual clock, and the errors.

AWS facts: model docs of UpdateContinuousBackups, PointInTimeRecoverySpecification (1..35 days,
default 35) and PointInTimeRecoveryDescription (LatestRestorableDateTime "typically 5 minutes
before the current time"); TableNotFoundException `Table not found: <name>` and
ContinuousBackupsUnavailableException `Backups are being enabled for the table: <name>. Please
retry later` in the first seconds after ACTIVE (live probes, ack-api-quirks `services/dynamodb`).
"""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error


def on(ddb, name, **spec):
    return ddb.update_continuous_backups(
        TableName=name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, **spec},
    )["ContinuousBackupsDescription"]


def pitr(ddb, name) -> dict:
    out = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert out["ContinuousBackupsStatus"] == "ENABLED"
    return out["PointInTimeRecoveryDescription"]


def ready_table(server, ddb, unique) -> str:
    name = unique("pitr")
    create(server, ddb, name)
    server.advance(10)
    return name


def test_enable_reports_window_and_default_period(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    enabled_at = server.now()
    out = on(ddb, name)
    assert out["ContinuousBackupsStatus"] == "ENABLED"
    desc = out["PointInTimeRecoveryDescription"]
    assert desc["PointInTimeRecoveryStatus"] == "ENABLED"
    assert desc["RecoveryPeriodInDays"] == 35
    assert desc["EarliestRestorableDateTime"].timestamp() == pytest.approx(enabled_at, abs=1)
    assert desc["LatestRestorableDateTime"] == desc["EarliestRestorableDateTime"]
    server.advance(3600)
    desc = pitr(ddb, name)
    assert desc["EarliestRestorableDateTime"].timestamp() == pytest.approx(enabled_at, abs=1)
    assert desc["LatestRestorableDateTime"].timestamp() == pytest.approx(server.now() - 300, abs=1)


def test_period_change_keeps_window_and_disable_clears_it(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    enabled_at = server.now()
    on(ddb, name, RecoveryPeriodInDays=7)
    server.advance(60)
    desc = on(ddb, name, RecoveryPeriodInDays=1)["PointInTimeRecoveryDescription"]
    assert desc["RecoveryPeriodInDays"] == 1
    assert desc["EarliestRestorableDateTime"].timestamp() == pytest.approx(enabled_at, abs=1)
    server.advance(2 * 86400)  # the window slides once older than the period
    desc = pitr(ddb, name)
    assert desc["EarliestRestorableDateTime"].timestamp() == pytest.approx(server.now() - 86400, abs=1)
    out = ddb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    assert out["ContinuousBackupsDescription"] == {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}
    again = server.now() + 5
    server.advance(5)
    desc = on(ddb, name)["PointInTimeRecoveryDescription"]
    assert desc["EarliestRestorableDateTime"].timestamp() == pytest.approx(again, abs=1)


def test_setting_survives_restart_and_accepts_table_arn(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    ddb.update_continuous_backups(TableName=arn, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 14})
    server.restart()
    assert pitr(server.client("dynamodb"), name)["RecoveryPeriodInDays"] == 14


def test_missing_creating_and_deleting_tables_are_not_found(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    spec = {"PointInTimeRecoveryEnabled": True}
    missing = unique("missing")
    assert error(ddb.update_continuous_backups, TableName=missing,
                 PointInTimeRecoverySpecification=spec) == (
        "TableNotFoundException", f"Table not found: {missing}", 400)
    name = unique("creating")
    create(server, ddb, name, active=False)
    assert error(ddb.update_continuous_backups, TableName=name,
                 PointInTimeRecoverySpecification=spec) == (
        "TableNotFoundException", f"Table not found: {name}", 400)
    server.advance(10)
    ddb.delete_table(TableName=name)
    assert error(ddb.update_continuous_backups, TableName=name,
                 PointInTimeRecoverySpecification=spec) == (
        "TableNotFoundException", f"Table not found: {name}", 400)


def test_backups_not_yet_enabled_right_after_active(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("fresh")
    create(server, ddb, name)  # just ACTIVE
    assert error(ddb.update_continuous_backups, TableName=name,
                 PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}) == (
        "ContinuousBackupsUnavailableException",
        f"Backups are being enabled for the table: {name}. Please retry later", 400)
    server.advance(5)
    assert on(ddb, name)["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"


def test_recovery_period_validation(server, unique):
    raw = server.client("dynamodb", parameter_validation=False)
    ddb = server.client("dynamodb")
    name = ready_table(server, ddb, unique)
    code, message, status = error(raw.update_continuous_backups, TableName=name,
                                  PointInTimeRecoverySpecification={
                                      "PointInTimeRecoveryEnabled": True,
                                      "RecoveryPeriodInDays": 36})
    assert (code, status) == ("ValidationException", 400)
    assert message == ("1 validation error detected: Value '36' at "
                       "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy "
                       "constraint: Member must have value less than or equal to 35")
    assert error(ddb.update_continuous_backups, TableName=name, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": False, "RecoveryPeriodInDays": 7}) == (
        "ValidationException",
        "RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled is true", 400)
    assert pitr(ddb, name) == {"PointInTimeRecoveryStatus": "DISABLED"}


def test_cli_update_continuous_backups(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    out = server.aws("dynamodb", "update-continuous-backups", "--table-name", name,
                     "--point-in-time-recovery-specification",
                     "PointInTimeRecoveryEnabled=true,RecoveryPeriodInDays=10").json
    desc = out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert (desc["PointInTimeRecoveryStatus"], desc["RecoveryPeriodInDays"]) == ("ENABLED", 10)
