"""`dynoscale.Server`: a real subprocess server for unittest users and scripts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import dynoscale
from dynoscale.admin_client import AdminError
from dynoscale.testing.server import ServerError

AWS_CLI = Path(sys.executable).with_name("aws")


def test_manual_server_endpoint_env_clock_reset_and_shutdown():
    with dynoscale.Server(clock="manual") as server:
        assert server.endpoint.startswith("http://127.0.0.1:") and server.port > 0
        data_dir = server.data_dir
        assert os.path.isdir(data_dir)
        env = server.env
        assert env["AWS_ENDPOINT_URL"] == server.endpoint
        assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"} <= set(env)
        # The variables are all the aws CLI needs.
        cli_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        cli_env.update(env, AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        subprocess.run([str(AWS_CLI), "dynamodb", "create-table", "--table-name", "Cli",
                        "--billing-mode", "PAY_PER_REQUEST",
                        "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                        "--key-schema", "AttributeName=pk,KeyType=HASH"],
                       env=cli_env, check=True, capture_output=True, timeout=60)
        ddb = server.client("dynamodb", max_attempts=1)
        assert ddb.list_tables()["TableNames"] == ["Cli"]
        before = server.now()
        assert server.advance("15m") == before + 900
        assert server.advance(30) == before + 930
        assert server.clock()["mode"] == "manual"
        server.reset()
        assert ddb.list_tables()["TableNames"] == []
        assert server.now() == before + 930  # reset keeps simulated time
        proc = server.proc
    assert proc.returncode == 0  # SIGTERM: a clean shutdown
    assert not os.path.exists(data_dir)  # its temporary data directory is gone


def test_scaled_server_and_its_refusal_to_advance(tmp_path):
    with dynoscale.Server(time_scale=60, data_dir=str(tmp_path / "d")) as server:
        state = server.clock()
        assert (state["mode"], state["time_scale"]) == ("scaled", 60)
        with pytest.raises(AdminError, match="--clock manual"):
            server.advance("1m")
    assert (tmp_path / "d").is_dir()  # a directory given by the caller is kept


def test_bad_arguments_and_a_server_that_cannot_start():
    with pytest.raises(ValueError):
        dynoscale.Server(clock="fast")
    with pytest.raises(ValueError):
        dynoscale.Server(clock="manual", time_scale=10)
    with pytest.raises(ServerError, match="--workers must be between"):
        dynoscale.Server(workers=0).start()
    with pytest.raises(ServerError, match="not started"):
        dynoscale.Server().now()
    with pytest.raises(ValueError):
        with dynoscale.Server(clock="manual", in_memory=True) as server:
            server.advance("soon")


def test_a_verifying_server_takes_the_apis_own_signed_calls():
    """auth="verify": the server's root keys are the API's, so its clients and its admin calls
    (advance, reset: signed POSTs) are accepted, and an unsigned admin POST is refused."""
    import urllib.error
    import urllib.request
    with dynoscale.Server(clock="manual", auth="verify", in_memory=True) as server:
        ddb = server.client("dynamodb", max_attempts=1)
        assert ddb.list_tables()["TableNames"] == []
        before = server.now()
        assert server.advance(60) == before + 60
        server.reset()
        req = urllib.request.Request(server.endpoint + "/_dynoscale/clock", method="POST",
                                     data=b'{"advance_seconds": 1}')
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(req, timeout=30)
        assert refused.value.code == 403


def test_the_timing_profile_reaches_the_server():
    """timing="aws": a created table stays CREATING until simulated time passes (fast: at once)."""
    for timing, status in (("aws", "CREATING"), (None, "ACTIVE")):
        with dynoscale.Server(clock="manual", timing=timing, in_memory=True) as server:
            ddb = server.client("dynamodb", max_attempts=1)
            ddb.create_table(TableName="Timed", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
            assert ddb.describe_table(TableName="Timed")["Table"]["TableStatus"] == status
