"""Slow and hostile clients (issue 17 point 3), over real sockets: each is dropped within its
timeout (idle, header, body; a client that stops reading) while a concurrent boto3 client keeps
getting answers; header count and raw head limits; --max-connections; many pipelined requests
answered in order; SIGTERM drains a request in progress, bounded by --drain-timeout.

Timeouts are passed small through the flags. The timing assertions are one-sided where a busy
machine could stretch them: a client must be dropped no earlier than its timeout less the sweep's
resolution (server/http.py `Limits.tick`) and no later than a generous slack after it.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time

import pytest
from tests.protocol.test_http_server import ddb_request, read_responses

TIMEOUT = 1.5  # every timeout of the module's server
TICK = TIMEOUT / 8  # the sweep's resolution (Limits.tick)
SLACK = 3.0  # how much later than its timeout a busy machine may drop a client


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from tests.conftest import Server
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--idle-timeout", str(TIMEOUT), "--header-timeout",
                str(TIMEOUT), "--body-timeout", str(TIMEOUT)]).start()
    s.client("dynamodb").create_table(
        TableName="Hostile", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    yield s
    s.stop()


class SteadyClient:
    """A boto3 client calling GetItem every 50 ms in a thread: every call must be answered."""

    def __init__(self, server):
        self.client = server.client("dynamodb", read_timeout=10, connect_timeout=5)
        self.answers = 0
        self.errors: list[Exception] = []
        self.slowest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.client.get_item(TableName="Hostile", Key={"k": {"S": "steady"}})
                self.answers += 1
            except Exception as e:  # noqa: BLE001 - any failure fails the test
                self.errors.append(e)
            self.slowest = max(self.slowest, time.monotonic() - started)
            self._stop.wait(0.05)

    def __enter__(self) -> "SteadyClient":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        deadline = time.monotonic() + 5
        while self.answers < 5 and not self.errors and time.monotonic() < deadline:
            time.sleep(0.05)  # still answered after the hostile client's turn
        self._stop.set()
        self._thread.join(15)
        assert self.errors == []
        assert self.answers >= 5
        assert self.slowest < 2.0  # the hostile client held nobody up


def connect(server, timeout: float = 30) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes (or resets) the connection, and the seconds
    that took; fails if it is still open after `limit` seconds."""
    started = time.monotonic()
    data = b""
    sock.settimeout(0.1)
    while time.monotonic() - started < limit:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    else:
        pytest.fail(f"the connection was still open after {limit} s")
    return data, time.monotonic() - started


def still_open(sock: socket.socket) -> bool:
    sock.settimeout(0)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except ConnectionError:
        return False
    finally:
        sock.settimeout(30)


def put(key: str) -> bytes:
    return ddb_request("PutItem", {"TableName": "Hostile", "Item": {"k": {"S": key}}})


def test_headers_sent_one_byte_at_a_time_are_cut_off(hostile):
    request = put("slowloris")
    with SteadyClient(hostile), connect(hostile) as sock:
        started = time.monotonic()
        sent = 0
        sock.settimeout(0.2)
        try:
            while time.monotonic() - started < TIMEOUT + SLACK:
                sock.send(request[sent:sent + 1])  # far slower than the timeout allows
                sent += 1
                try:
                    if sock.recv(65536, socket.MSG_PEEK):
                        break
                except socket.timeout:
                    pass
        except (BrokenPipeError, ConnectionResetError):
            pass
        elapsed = time.monotonic() - started
        data, _ = until_closed(sock, SLACK)
    assert data.startswith(b"HTTP/1.1 408 Request Timeout\r\n") and b"connection: close" in data
    assert TIMEOUT - TICK - 0.05 <= elapsed <= TIMEOUT + SLACK
    assert sent < request.index(b"\r\n\r\n")  # the headers never completed


def test_a_body_shorter_than_its_content_length_is_cut_off(hostile):
    request = put("short-body")
    with SteadyClient(hostile), connect(hostile) as sock:
        sock.sendall(request[:-5])  # declares the full Content-Length, sends all but 5 bytes
        started = time.monotonic()
        assert still_open(sock)
        data, elapsed = until_closed(sock, TIMEOUT + SLACK)
    assert data.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert elapsed >= TIMEOUT - TICK - 0.05
    # nothing of the incomplete request was run
    assert "Item" not in hostile.client("dynamodb").get_item(
        TableName="Hostile", Key={"k": {"S": "short-body"}})


def test_a_body_trickling_one_byte_at_a_time_is_cut_off_in_total(hostile):
    request = put("trickle")
    head_end = request.index(b"\r\n\r\n") + 4
    with SteadyClient(hostile), connect(hostile) as sock:
        sock.sendall(request[:head_end])
        started = time.monotonic()
        sent = head_end
        sock.settimeout(0.25)
        try:
            while sent < len(request) - 1:  # each byte well within the timeout: progress alone
                sock.send(request[sent:sent + 1])  # must not keep the request alive
                sent += 1
                try:
                    if sock.recv(65536, socket.MSG_PEEK):
                        break
                except socket.timeout:
                    pass
        except (BrokenPipeError, ConnectionResetError):
            pass
        elapsed = time.monotonic() - started
        data, _ = until_closed(sock, SLACK)
    assert data.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert TIMEOUT - TICK - 0.05 <= elapsed <= TIMEOUT + SLACK
    assert sent < len(request) - 1


def test_an_idle_keep_alive_connection_is_closed_after_the_idle_timeout(hostile):
    with connect(hostile) as sock:
        sock.sendall(ddb_request("ListTables", {}))
        [(status, headers, _)] = read_responses(sock, 1)
        assert status == 200 and "connection" not in headers
        started = time.monotonic()
        data, elapsed = until_closed(sock, TIMEOUT + SLACK)
    assert data == b""  # closed quietly: no request was in progress
    assert elapsed >= TIMEOUT - TICK - 0.05


def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(hostile):
    with SteadyClient(hostile), connect(hostile) as sock:
        data, elapsed = until_closed(sock, TIMEOUT + SLACK)
    assert data == b"" and elapsed >= TIMEOUT - TICK - 0.05


def test_a_keep_alive_connection_in_use_is_not_closed(hostile):
    with connect(hostile) as sock:  # requests spaced under the idle timeout, over 2x its length
        for _ in range(6):
            sock.sendall(ddb_request("ListTables", {}))
            [(status, _, _)] = read_responses(sock, 1)
            assert status == 200
            time.sleep(TIMEOUT / 2)


def test_time_the_server_spent_blocked_is_not_counted_against_a_client(hostile):
    if hostile.admin("health")["workers"] > 1:  # DYNOSCALE_WORKERS (make test-workers)
        pytest.skip("with --workers the fronts, which read the clients, are not blocked")
    request = put("blocked")
    with connect(hostile) as sock:
        sock.sendall(request[:40])  # a request begun
        started = time.monotonic()
        hostile.advance(10 * 86400)  # every minute's jobs of 10 days: the event loop is busy
        blocked = time.monotonic() - started
        sock.sendall(request[40:])  # the rest, at once
        [(status, _, _)] = read_responses(sock, 1)
    assert blocked > TIMEOUT + 2 * TICK  # so the header timeout would have passed
    assert status == 200


def test_a_client_that_reads_no_answers_is_dropped(hostile):
    ddb = hostile.client("dynamodb")
    ddb.put_item(TableName="Hostile", Item={"k": {"S": "big"}, "v": {"S": "x" * 390_000}})
    get = ddb_request("GetItem", {"TableName": "Hostile", "Key": {"k": {"S": "big"}}})
    rss = server_peak_rss(hostile)
    with SteadyClient(hostile), connect(hostile) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        try:  # in one write, so that the server reads many at once: about 80 MB of answers,
            sock.sendall(get * 200)  # far more than the socket buffers hold
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        time.sleep(TIMEOUT + SLACK)  # read nothing
        # The answers not read were not rendered ahead either (a backlog of parsed requests):
        # without that, the server's memory peaked 75 MB higher.
        assert server_peak_rss(hostile) - rss < 40 * 1024 * 1024
        received = 0
        sock.settimeout(2)
        try:
            while chunk := sock.recv(1 << 20):
                received += len(chunk)
        except (ConnectionResetError, socket.timeout):
            pass
    assert received < 200 * 390_000  # dropped, not waited for


def server_peak_rss(server) -> int:
    with open(f"/proc/{server.proc.pid}/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))


def test_header_count_limit(hostile):
    def with_headers(n: int) -> bytes:
        extra = "".join(f"X-Pad-{i}: {i}\r\n" for i in range(n))
        return ddb_request("ListTables", {}, extra=extra)

    base = with_headers(0).split(b"\r\n\r\n")[0].count(b"\r\n")  # the request's own headers
    with connect(hostile) as sock:
        sock.sendall(with_headers(100 - base))
        [(status, _, _)] = read_responses(sock, 1)
        assert status == 200
    with connect(hostile) as sock:
        sock.sendall(with_headers(101 - base))
        [(status, headers, _)] = read_responses(sock, 1)
        assert status == 400 and headers["connection"] == "close"
        assert until_closed(sock, SLACK)[0] == b""


def test_an_endless_header_line_is_refused_without_waiting_for_its_end(hostile):
    with SteadyClient(hostile), connect(hostile) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        try:
            for _ in range(64):  # 1 MB of one header value, never terminated
                sock.sendall(b"y" * 16384)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data, elapsed = until_closed(sock, SLACK)
    assert data.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert elapsed < TIMEOUT  # refused on its size, not by the header timeout


def test_many_pipelined_writes_and_reads_are_answered_in_order(hostile):
    requests = []
    for i in range(40):
        requests.append(ddb_request("PutItem", {"TableName": "Hostile",
                                                "Item": {"k": {"S": "pipe"}, "n": {"N": str(i)}}}))
        requests.append(ddb_request("GetItem", {"TableName": "Hostile", "Key": {"k": {"S": "pipe"}},
                                                "ConsistentRead": True}))
    data = b"".join(requests)
    with connect(hostile) as sock:
        for i in range(0, len(data), 777):  # split mid-request, as a network would
            sock.sendall(data[i:i + 777])
        responses = read_responses(sock, 80)
    assert [r[0] for r in responses] == [200] * 80
    reads = [json.loads(body)["Item"]["n"]["N"] for _, _, body in responses[1::2]]
    assert reads == [str(i) for i in range(40)]


def test_connections_over_the_limit_are_refused_while_the_others_are_served(make_server):
    server = make_server("--clock", "manual", "--max-connections", "3", durable=False)
    ddb = server.client("dynamodb", max_pool_connections=1)
    ddb.list_tables()  # the client's one pooled connection: 1 of 3
    held = [connect(server) for _ in range(2)]  # 3 of 3
    try:
        for sock in held:
            sock.sendall(ddb_request("ListTables", {}))
            assert read_responses(sock, 1)[0][0] == 200
        with connect(server) as extra:
            started = time.monotonic()
            data, elapsed = until_closed(extra, SLACK)
        assert data.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
        assert b"connection: close" in data and elapsed < 1.0  # refused at once
        status, _, body = read_responses_of(data)
        assert status == 503 and body == b"Too many open connections; retry.\n"
        for sock in held:  # the connections within the limit are still served
            sock.sendall(ddb_request("ListTables", {}))
            assert read_responses(sock, 1)[0][0] == 200
        assert ddb.list_tables()["TableNames"] == []
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)  # the server sees them close
    with connect(server) as sock:  # room again
        sock.sendall(ddb_request("ListTables", {}))
        assert read_responses(sock, 1)[0][0] == 200


def read_responses_of(data: bytes) -> tuple[int, dict, bytes]:
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])}
    return int(lines[0].split()[1]), headers, body[:int(headers["content-length"])]


@pytest.mark.parametrize("flags", [(), ("--workers", "2")])
def test_sigterm_drains_a_request_in_progress(make_server, flags):
    server = make_server("--clock", "manual", "--drain-timeout", "20", *flags)
    ddb = server.client("dynamodb")
    ddb.create_table(TableName="Hostile", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
    request = put("in-flight")
    idle = connect(server)
    idle.sendall(ddb_request("ListTables", {}))
    assert read_responses(idle, 1)[0][0] == 200
    with connect(server) as sock:
        sock.sendall(request[:-10])  # a request in progress
        time.sleep(0.3)
        server.proc.send_signal(signal.SIGTERM)
        assert until_closed(idle, SLACK)[0] == b""  # the idle connection is closed at once
        deadline = time.monotonic() + 10  # and no new connection is accepted
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            except ConnectionRefusedError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("still accepting connections after SIGTERM")
        assert server.proc.poll() is None  # still draining
        sock.sendall(request[-10:])  # the request completes: answered, then closed
        [(status, headers, body)] = read_responses(sock, 1)
        assert status == 200 and headers["connection"] == "close" and json.loads(body) == {}
        assert until_closed(sock, SLACK)[0] == b""
    assert server.proc.wait(10) == 0
    server.start()  # the drained write was committed
    assert server.client("dynamodb").get_item(
        TableName="Hostile", Key={"k": {"S": "in-flight"}}, ConsistentRead=True)["Item"] == \
        {"k": {"S": "in-flight"}}


def test_the_drain_is_bounded_by_the_drain_timeout(make_server):
    server = make_server("--clock", "manual", "--drain-timeout", "1", durable=False)
    with connect(server) as sock:
        sock.sendall(put("never-finished")[:-10])  # never completed
        time.sleep(0.3)
        started = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(10) == 0
        assert 1.0 - 0.2 <= time.monotonic() - started < 1.0 + SLACK
        until_closed(sock, SLACK)


@pytest.mark.parametrize("flag", ["--idle-timeout", "--header-timeout", "--body-timeout",
                                  "--drain-timeout"])
def test_timeouts_must_be_positive(flag):
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "dynoscale", "serve", "--in-memory", flag, "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"dynoscale: {flag} must be a positive number of seconds"


def test_max_connections_must_be_at_least_one():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "dynoscale", "serve", "--in-memory",
                           "--max-connections", "0"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "dynoscale: --max-connections must be at least 1"

