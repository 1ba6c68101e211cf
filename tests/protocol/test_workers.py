"""`--workers N`: one owner process holds every piece of state, N-1 front processes share its
port (SO_REUSEPORT) and forward validated calls to it (server/workers.py). Throttling must be as
exact as with one process, errors must come back unchanged, pipelined responses in order, and no
process may outlive the server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from botocore.exceptions import ClientError

from tests.protocol.test_http_server import ddb_request, read_responses

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT") or not os.path.isdir("/proc"),
                                reason="--workers needs fork and SO_REUSEPORT; the test reads /proc")

CREATE_SECONDS = 5


def children(pid: int) -> list[int]:
    """Live child processes of `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def small_table(server, ddb, name: str, write: int) -> None:
    ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 1000, "WriteCapacityUnits": write})
    server.advance(CREATE_SECONDS)


def hammer(server, table: str, clients: int, per_client: int) -> tuple[int, int, set[str]]:
    """Many clients (each its own connections) writing 1-WCU items at once:
    (acknowledged, throttled, other error codes)."""
    lock = threading.Lock()
    counts = {"ok": 0, "throttled": 0}
    other: set[str] = set()

    def writer(w: int) -> None:
        ddb = server.client("dynamodb")
        for i in range(per_client):
            try:
                ddb.put_item(TableName=table, Item={"k": {"S": f"{w}-{i}"}})
                key = "ok"
            except ClientError as e:
                code = e.response["Error"]["Code"]
                if code != "ProvisionedThroughputExceededException":
                    with lock:
                        other.add(code)
                    continue
                key = "throttled"
            with lock:
                counts[key] += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts["ok"], counts["throttled"], other


@pytest.mark.parametrize("workers", ["1", "3"])
def test_throttling_is_exact_across_workers(make_server, workers):
    # A 1-WCU table starts with 300 s of burst (300 WCU) and admits a request while its balance
    # is >= 0 (spec 2.1.2): 300 one-unit writes bring it to 0, the 301st to -1, and the manual
    # clock never refills it. So exactly 301 of 420 are admitted, however many processes the
    # requests arrive through.
    server = make_server("--clock", "manual", "--workers", workers)
    ddb = server.client("dynamodb")
    small_table(server, ddb, "Burst", write=1)
    before = {pid: cpu_ticks(pid) for pid in children(server.proc.pid)}
    assert len(before) == int(workers) - 1
    ok, throttled, other = hammer(server, "Burst", clients=14, per_client=30)
    assert (ok, throttled, other) == (301, 119, set())
    stored = ddb.scan(TableName="Burst", Select="COUNT", ConsistentRead=True)["Count"]
    assert stored == 301
    if workers == "3":
        # The fronts really served requests (the kernel spread the 14+ connections over them).
        assert sum(cpu_ticks(pid) - t for pid, t in before.items()) > 0


def test_errors_and_outputs_cross_processes_unchanged(make_server):
    server = make_server("--clock", "manual", "--workers", "3")
    clients = [server.client("dynamodb") for _ in range(8)]  # several connections, several fronts
    small_table(server, clients[0], "Errs", write=1000)
    for ddb in clients:
        ddb.put_item(TableName="Errs", Item={"k": {"S": "a"}, "n": {"N": "1"}, "b": {"B": b"\x00\xff"}})
        # owner-side error with extra members (the old item)
        with pytest.raises(ClientError) as info:
            ddb.put_item(TableName="Errs", Item={"k": {"S": "a"}}, ConditionExpression="attribute_not_exists(k)",
                         ReturnValuesOnConditionCheckFailure="ALL_OLD")
        assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
        assert info.value.response["Item"] == {"k": {"S": "a"}, "n": {"N": "1"}, "b": {"B": b"\x00\xff"}}
        # owner-side error without extra members
        with pytest.raises(ClientError) as info:
            ddb.describe_table(TableName="missing")
        assert info.value.response["Error"]["Message"] == "Requested resource not found: Table: missing not found"
        out = ddb.get_item(TableName="Errs", Key={"k": {"S": "a"}}, ReturnConsumedCapacity="TOTAL")
        assert out["Item"]["b"] == {"B": b"\x00\xff"}
        assert out["ConsumedCapacity"] == {"TableName": "Errs", "CapacityUnits": 0.5}
    # other services and protocols (query/XML, CBOR-capable CloudWatch) through the fronts
    cw = server.client("cloudwatch")
    cw.put_metric_data(Namespace="W", MetricData=[{"MetricName": "m", "Value": 1.0}])
    assert [m["MetricName"] for m in cw.list_metrics(Namespace="W")["Metrics"]] == ["m"]
    assert server.aws("iam", "get-role", "--role-name", "nope", check=False).returncode != 0
    # admin requests reach the owner whichever process accepts them
    assert server.advance(60)["jobs_run"] >= 1
    assert server.admin("health")["workers"] == 3


def test_pipelined_responses_keep_request_order(make_server):
    server = make_server("--workers", "3", durable=False)
    requests = [ddb_request("ListTables", {}),
                ddb_request("DescribeTable", {"TableName": "missing"}),   # owner answers
                ddb_request("GetItem", {"TableName": "x"}),                # front: validation
                b"GET /_dynoscale/health HTTP/1.1\r\nHost: x\r\n\r\n",    # owner (admin)
                ddb_request("ListTables", {"Limit": 0})]                   # front: validation
    for _ in range(10):  # ten connections: some are accepted by fronts
        with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
            sock.sendall(b"".join(requests))
            got = read_responses(sock, len(requests))
        assert [status for status, _, _ in got] == [200, 400, 400, 200, 400]
        assert json.loads(got[0][2]) == {"TableNames": []}
        assert json.loads(got[1][2])["__type"].endswith("ResourceNotFoundException")
        assert json.loads(got[2][2])["__type"].endswith("ValidationException")
        assert json.loads(got[3][2])["status"] == "ok"
        assert "limit" in json.loads(got[4][2])["message"]


def test_fronts_exit_when_the_owner_is_killed(make_server):
    # (acknowledged writes surviving the kill: test_http_server.py, with --workers 3)
    server = make_server("--clock", "manual", "--workers", "3")
    server.client("dynamodb").list_tables()
    fronts = children(server.proc.pid)
    assert len(fronts) == 2
    server.restart(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while fronts_alive(fronts) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fronts_alive(fronts) == []
    assert len(children(server.proc.pid)) == 2  # the restarted server has fronts of its own


def fronts_alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def test_sigterm_stops_every_process(make_server):
    server = make_server("--workers", "4", durable=False)
    server.client("dynamodb").list_tables()
    fronts = children(server.proc.pid)
    assert len(fronts) == 3
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(10) == 0
    assert fronts_alive(fronts) == []


@pytest.mark.parametrize("value", ["0", "65", "x"])
def test_bad_worker_counts_are_refused(value):
    proc = subprocess.run([sys.executable, "-m", "dynoscale", "serve", "--in-memory", "--workers", value],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "--workers" in proc.stderr


def test_bad_worker_count_in_the_environment_is_refused():
    proc = subprocess.run([sys.executable, "-m", "dynoscale", "serve", "--in-memory"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DYNOSCALE_WORKERS": "many"})
    assert proc.returncode == 2 and "argument --workers: invalid int value: 'many'" in proc.stderr


def test_owner_stops_when_no_front_is_left(make_server):
    # Nothing would serve the port any more: the owner exits instead of lingering.
    server = make_server("--workers", "2", durable=False)
    [front] = children(server.proc.pid)
    os.kill(front, signal.SIGKILL)
    assert server.proc.wait(15) == 1
    assert "exited unexpectedly" in server.log_path.read_text()
