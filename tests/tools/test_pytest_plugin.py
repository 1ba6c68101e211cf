"""The pytest plugin (dynoscale.testing.pytest_plugin), run by pytest itself (`pytester`): a test
file using its fixtures passes, a wrong one fails, tests are isolated by reset unless opted out,
the ini and command-line settings reach the server, and a session that uses no fixture starts no
server. Each inner session is a subprocess (`runpytest_subprocess`), with plugin auto-loading off
and the plugin named with -p, so an installed copy of Dynoscale cannot stand in for this one."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "pytest" / "test_scale_out.py"


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

    def runner(*args):
        return pytester.runpytest_subprocess("-p", "dynoscale.testing.pytest_plugin",
                                             "-p", "no:cacheprovider", *args, timeout=180)
    return runner


def test_the_readme_scale_out_example_passes(pytester, run):
    pytester.makepyfile(test_scale_out=EXAMPLE.read_text())
    result = run()
    result.assert_outcomes(passed=1)


def test_a_wrong_assertion_fails(pytester, run):
    pytester.makepyfile(test_wrong="""
        def test_capacity_is_what_the_test_says(dynoscale_dynamodb, dynoscale_clock):
            dynoscale_dynamodb.create_table(
                TableName="Orders", BillingMode="PROVISIONED",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
            dynoscale_clock.advance("10s")
            table = dynoscale_dynamodb.describe_table(TableName="Orders")["Table"]
            assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 2
    """)
    result = run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert 1 == 2*"])


ISOLATION = """
    import pytest

    def make(ddb, name):
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])

    def test_first(dynoscale_dynamodb):
        make(dynoscale_dynamodb, "First")
        assert dynoscale_dynamodb.list_tables()["TableNames"] == ["First"]

    def test_second_sees_a_fresh_server(dynoscale_dynamodb):
        assert dynoscale_dynamodb.list_tables()["TableNames"] == []

    @pytest.mark.dynoscale_no_reset
    def test_third_keeps_what_the_second_left(dynoscale_dynamodb):
        make(dynoscale_dynamodb, "Third")

    @pytest.mark.dynoscale_no_reset
    def test_fourth_sees_it(dynoscale_dynamodb):
        assert dynoscale_dynamodb.list_tables()["TableNames"] == ["Third"]
"""


def test_each_test_starts_from_a_reset_server(pytester, run):
    pytester.makepyfile(test_isolation=ISOLATION)
    run("-p", "no:randomly").assert_outcomes(passed=4)


def test_no_reset_option_turns_isolation_off(pytester, run):
    pytester.makepyfile(test_isolation=ISOLATION)
    result = run("--dynoscale-no-reset")
    result.assert_outcomes(passed=2, failed=2)  # second sees First; fourth sees First and Third


def test_every_client_fixture_reaches_the_server(pytester, run):
    pytester.makepyfile(test_clients="""
        import boto3

        def test_clients(dynoscale_endpoint, dynoscale_env, dynoscale_dynamodb,
                         dynoscale_dynamodbstreams, dynoscale_cloudwatch, dynoscale_autoscaling,
                         dynoscale_iam, dynoscale_sts, dynoscale_dynamodb_resource):
            assert dynoscale_env["AWS_ENDPOINT_URL"] == dynoscale_endpoint
            for client in (dynoscale_dynamodb, dynoscale_dynamodbstreams, dynoscale_cloudwatch,
                           dynoscale_autoscaling, dynoscale_iam, dynoscale_sts):
                assert client.meta.endpoint_url == dynoscale_endpoint
                assert client.meta.region_name == "us-east-1"
                assert client.meta.config.retries["total_max_attempts"] == 1
            assert dynoscale_sts.get_caller_identity()["Account"] == "123456789012"
            assert dynoscale_iam.list_roles()["Roles"] == []
            assert dynoscale_cloudwatch.describe_alarms()["MetricAlarms"] == []
            assert dynoscale_autoscaling.describe_scalable_targets(
                ServiceNamespace="dynamodb")["ScalableTargets"] == []
            assert dynoscale_dynamodbstreams.list_streams()["Streams"] == []
            table = dynoscale_dynamodb_resource.create_table(
                TableName="Res", BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
            assert [t.name for t in dynoscale_dynamodb_resource.tables.all()] == ["Res"]

        def test_code_that_builds_its_own_client(dynoscale_environ):
            ddb = boto3.client("dynamodb")  # as application code does: endpoint from the environment
            assert ddb.list_tables()["TableNames"] == []
            assert ddb.meta.endpoint_url == dynoscale_environ["AWS_ENDPOINT_URL"]
    """)
    run().assert_outcomes(passed=2)


def test_settings_from_the_ini_file_and_the_command_line(pytester, run):
    pytester.makeini("""
        [pytest]
        dynoscale_time_scale = 60
        dynoscale_max_attempts = 2
    """)
    pytester.makepyfile(test_settings="""
        import pytest
        from dynoscale.admin_client import AdminError

        def test_scaled(dynoscale_clock, dynoscale_dynamodb):
            assert dynoscale_clock.mode == "scaled"
            assert dynoscale_dynamodb.meta.config.retries["total_max_attempts"] == 2
            with pytest.raises(AdminError, match="--clock manual"):
                dynoscale_clock.advance("1m")
    """)
    run().assert_outcomes(passed=1)
    # The command line wins over the ini file.
    pytester.makepyfile(test_settings="""
        def test_manual(dynoscale_clock):
            before = dynoscale_clock.now()
            assert dynoscale_clock.mode == "manual"
            assert dynoscale_clock.advance("15m") == before + 900
    """)
    run("--dynoscale-clock", "manual", "--dynoscale-time-scale", "").assert_outcomes(passed=1)


def test_a_session_without_dynoscale_fixtures_starts_no_server(pytester, run):
    pytester.makepyfile(test_plain="""
        def test_plain():
            assert True
    """)
    result = run("--setup-show")
    result.assert_outcomes(passed=1)
    assert "SETUP    S" not in result.stdout.str()  # no session fixture, so no server


def test_the_plugin_is_registered_as_a_pytest11_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["pytest11"] == {"dynoscale": "dynoscale.testing.pytest_plugin"}
