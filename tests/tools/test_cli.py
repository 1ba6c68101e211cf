"""The command line: `dynoscale clock|advance|reset|tables|top` against a running server, and
`dynoscale serve`'s first-minute behaviour (--help, --version, one-line errors, the clock offset
and --from-wall-time)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

import dynoscale

BIG = "x" * 3000  # 3 WCU per write


def dynoscale_cli(*args, env=None, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dynoscale", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def busy(server):
    """The module's manual-clock server with one throttled, alarmed table."""
    ddb = server.client("dynamodb")
    cw = server.client("cloudwatch")
    ddb.create_table(TableName="Busy", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    server.advance(10)
    cw.put_metric_alarm(AlarmName="BusyWrites", Namespace="AWS/DynamoDB",
                        MetricName="ConsumedWriteCapacityUnits", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold",
                        Dimensions=[{"Name": "TableName", "Value": "Busy"}])
    now = server.now()
    server.advance(-now % 60)
    ok = throttled = 0
    for i in range(150):  # 300 s of burst at 1 WCU = 300 units: 100 writes, then throttling
        try:
            ddb.put_item(TableName="Busy", Item={"pk": {"S": str(i)}, "v": {"S": BIG}})
            ok += 1
        except ddb.exceptions.ProvisionedThroughputExceededException:
            throttled += 1
    server.advance(61)  # the minute is published and the alarm evaluated
    return ok, throttled


def test_tables_shows_capacity_consumption_throttles_and_alarms(server, busy):
    ok, throttled = busy
    assert ok > 0 and throttled > 0
    out = dynoscale_cli("tables", "--json", "--endpoint", server.url)
    assert out.returncode == 0, out.stderr
    [row] = [r for r in json.loads(out.stdout) if r["table"] == "Busy"]
    assert (row["status"], row["rcu"], row["wcu"]) == ("ACTIVE", 1, 1)
    assert row["write"] == ok * 3
    assert row["write_throttles"] == throttled
    assert row["alarms"] == [{"name": "BusyWrites", "state": "ALARM"}]
    text = dynoscale_cli("tables", "--endpoint", server.url).stdout
    assert text.splitlines()[0].split()[:4] == ["TABLE", "STATUS", "RCU", "WCU"]
    busy_line = [line for line in text.splitlines() if line.startswith("Busy ")][0]
    assert f"0/{throttled}" in busy_line and "BusyWrites:ALARM" in busy_line


def test_top_renders_tables_and_activities(server, busy):
    out = dynoscale_cli("top", "--iterations", "2", "--interval", "0.1", "--endpoint", server.url)
    assert out.returncode == 0, out.stderr
    assert "Busy" in out.stdout and "BusyWrites:ALARM" in out.stdout, out.stdout
    assert "latest scaling activities" in out.stdout


def test_clock_advance_and_reset(server, busy):
    now = server.now()
    out = dynoscale_cli("clock", "--endpoint", server.url)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["mode:", "manual"]
    assert f"({now:.3f})" in lines[1]
    start, end = lines[-1].split()[1], lines[-1].split()[3]
    # The printed window works as given with the aws CLI: the busy minute is in it.
    stats = server.aws("cloudwatch", "get-metric-statistics", "--namespace", "AWS/DynamoDB",
                       "--metric-name", "ConsumedWriteCapacityUnits",
                       "--dimensions", "Name=TableName,Value=Busy", "--start-time", start,
                       "--end-time", end, "--period", "60", "--statistics", "Sum").json
    assert sum(d["Sum"] for d in stats["Datapoints"]) == busy[0] * 3
    out = dynoscale_cli("advance", "15m", "--endpoint", server.url)
    assert out.returncode == 0, out.stderr
    assert server.now() == now + 900
    assert out.stdout.startswith("advanced 15m: now ")
    bad = dynoscale_cli("advance", "soon", "--endpoint", server.url)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr.count("\n") == 1 and "not a duration" in bad.stderr
    out = dynoscale_cli("reset", "--endpoint", server.url)
    assert out.returncode == 0, out.stderr
    assert server.client("dynamodb").list_tables()["TableNames"] == []
    assert server.now() == now + 900


def test_client_commands_read_aws_endpoint_url_and_fail_in_one_line(server):
    env = {**server.env(), "AWS_ENDPOINT_URL": server.url}
    assert dynoscale_cli("clock", env=env).stdout.startswith("mode:    manual")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    out = dynoscale_cli("tables", "--endpoint", closed)
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert "no Dynoscale server answers at" in out.stderr


def test_advance_on_a_real_clock_is_refused_in_one_line(make_server):
    real = make_server("--time-scale", "10")
    out = dynoscale_cli("advance", "1m", "--endpoint", real.url)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "--clock manual" in out.stderr


# -- dynoscale serve: the first minute ------------------------------------------------------------
def test_help_shows_defaults_and_version_exists():
    out = dynoscale_cli("serve", "--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    assert "(default: 8000)" in text and "(default: ./data)" in text and "(default: warning)" in text
    version = dynoscale_cli("--version")
    assert (version.returncode, version.stdout.split()[0]) == (0, "dynoscale")


def test_bad_flag_port_in_use_and_unusable_data_dir_are_one_line(tmp_path):
    bad = dynoscale_cli("serve", "--no-such-flag")
    assert (bad.returncode, bad.stdout, bad.stderr.count("\n")) == (2, "", 1)
    assert "unrecognized arguments: --no-such-flag" in bad.stderr
    bad = dynoscale_cli("serve", "--port", "eighty")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = dynoscale_cli("serve", "--in-memory", "--port", str(port))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip() == f"dynoscale: cannot listen on 127.0.0.1:{port}: Address already in use"
    blocker = tmp_path / "file"
    blocker.write_text("")
    out = dynoscale_cli("serve", "--port", "0", "--data-dir", str(blocker / "data"))
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"dynoscale: cannot use data directory {blocker / 'data'}: ")


def test_offset_from_wall_time_is_shown_and_from_wall_time_starts_over(tmp_path):
    data = str(tmp_path / "data")
    with dynoscale.Server(clock="manual", data_dir=data) as manual:
        manual.client("dynamodb").create_table(
            TableName="Old", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        manual.advance("2h")
    with dynoscale.Server(data_dir=data) as real:
        state = real.clock()
        assert state["mode"] == "real"
        assert 2 * 3600 - 120 < state["offset_seconds"] <= 2 * 3600 + 1
        assert abs(state["now"] - state["wall_now"] - state["offset_seconds"]) < 0.01
        [start_line] = [line for line in real.output().splitlines() if "listening on" in line]
        assert "simulated time 1h59m" in start_line or "simulated time 2h" in start_line
        assert "ahead of wall time (--from-wall-time starts over at wall time)" in start_line
        assert real.client("dynamodb").list_tables()["TableNames"] == ["Old"]
        clock = dynoscale_cli("clock", "--endpoint", real.endpoint).stdout
        assert "ahead of wall time" in clock.splitlines()[2]
    with dynoscale.Server(data_dir=data, args=["--from-wall-time"]) as fresh:
        assert abs(fresh.clock()["offset_seconds"]) < 5
        assert fresh.client("dynamodb").list_tables()["TableNames"] == []
        log = fresh.output()
        assert "saved simulated time was 1h59m" in log or "saved simulated time was 2h" in log
        [start_line] = [line for line in log.splitlines() if "listening on" in line]
        assert "ahead of wall time" not in start_line
