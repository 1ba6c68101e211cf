"""The HTTP/1.1 layer (server/http.py) and group commit, over raw sockets where the SDK would hide
the behaviour: pipelined requests answered in order, chunked request bodies, 413 for bodies over
DynamoDB's 16 MB request limit, keep-alive and `Connection: close`, HEAD, unparsable HTTP;
acknowledged writes of concurrent clients surviving SIGKILL under both `--durability` settings;
request ids unique across restarts. No timing assertions."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading

import pytest

AUTH = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=0000")


def ddb_request(op: str, body: dict, *, chunked: bool = False, extra: str = "") -> bytes:
    data = json.dumps(body).encode()
    head = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: DynamoDB_20120810.{op}\r\nX-Amz-Date: 20261128T000000Z\r\n"
            f"Authorization: {AUTH}\r\n{extra}")
    if not chunked:
        return f"{head}Content-Length: {len(data)}\r\n\r\n".encode() + data
    half = len(data) // 2
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (data[:half], data[half:]))
    return f"{head}Transfer-Encoding: chunked\r\n\r\n".encode() + chunks + b"0\r\n\r\n"


def read_responses(sock: socket.socket, count: int) -> list[tuple[int, dict, bytes]]:
    """`count` responses (status, lower-case headers, body) read off a raw socket."""
    buf, out = b"", []
    while len(out) < count:
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                return out
            buf += chunk
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(buf) < length:
            buf += sock.recv(65536)
        out.append((int(lines[0].split()[1]), headers, buf[:length]))
        buf = buf[length:]
    return out


def connect(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


@pytest.fixture(scope="module")
def table(server):
    name = "HttpLayer"
    server.client("dynamodb").create_table(
        TableName=name, AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    server.advance(10)
    return name


def test_pipelined_requests_are_answered_in_order(server, table):
    put = ddb_request("PutItem", {"TableName": table, "Item": {"k": {"S": "piped"}, "v": {"N": "1"}}})
    get = ddb_request("GetItem", {"TableName": table, "Key": {"k": {"S": "piped"}}})
    missing = ddb_request("DescribeTable", {"TableName": "NoSuchTableHere"})
    with connect(server) as sock:
        sock.sendall(put + get + missing)  # one write: the server parses all three at once
        responses = read_responses(sock, 3)
    assert [r[0] for r in responses] == [200, 200, 400]
    assert json.loads(responses[0][2]) == {}
    assert json.loads(responses[1][2]) == {"Item": {"k": {"S": "piped"}, "v": {"N": "1"}}}
    assert json.loads(responses[2][2])["__type"].endswith("#ResourceNotFoundException")


def test_chunked_request_body(server, table):
    with connect(server) as sock:
        sock.sendall(ddb_request("PutItem", {"TableName": table, "Item": {"k": {"S": "chunked"}}},
                                 chunked=True))
        sock.sendall(ddb_request("GetItem", {"TableName": table, "Key": {"k": {"S": "chunked"}}},
                                 chunked=True))
        (s1, _, b1), (s2, _, b2) = read_responses(sock, 2)
    assert (s1, s2) == (200, 200)
    assert json.loads(b2) == {"Item": {"k": {"S": "chunked"}}}


def test_body_over_the_request_limit_is_413_and_closes(server):
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
            "X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 20000000\r\n\r\n")
    with connect(server) as sock:
        sock.sendall(head.encode())
        [(status, headers, _)] = read_responses(sock, 1)
        assert status == 413
        assert headers["connection"] == "close"
        assert sock.recv(1) == b""  # closed by the server


def test_keep_alive_then_connection_close(server):
    with connect(server) as sock:
        sock.sendall(b"GET /_dynoscale/health HTTP/1.1\r\nHost: x\r\n\r\n")
        [(status, headers, body)] = read_responses(sock, 1)
        assert status == 200 and "connection" not in headers
        sock.sendall(b"GET /_dynoscale/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        [(status, headers, body)] = read_responses(sock, 1)
        assert status == 200 and headers["connection"] == "close"
        assert json.loads(body)["status"] == "ok"
        assert sock.recv(1) == b""


def test_head_has_headers_but_no_body(server):
    with connect(server) as sock:
        sock.sendall(b"HEAD /_dynoscale/health HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /_dynoscale/health HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while data.count(b"HTTP/1.1 200") < 2 or not data.endswith(b"}"):
            data += sock.recv(65536)
    head_response, get_response = data.split(b"HTTP/1.1 200")[1:]
    assert head_response.endswith(b"\r\n\r\n")  # no body after HEAD's headers
    assert b"content-length: " in head_response
    assert get_response.split(b"\r\n\r\n", 1)[1].startswith(b'{"status":"ok"')


def test_unparsable_http_is_400_and_closes(server):
    with connect(server) as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        [(status, headers, _)] = read_responses(sock, 1)
        assert status == 400 and headers["connection"] == "close"
        assert sock.recv(1) == b""


@pytest.mark.parametrize("flags", [("--durability", "full"), ("--durability", "normal"),
                                   ("--workers", "3")])  # with workers, the owner is killed
def test_concurrent_acknowledged_writes_survive_kill(make_server, flags):
    server = make_server("--clock", "manual", *flags)
    ddb = server.client("dynamodb")
    ddb.create_table(TableName="Grouped", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    server.advance(10)
    acknowledged: list[str] = []

    def writer(w: int) -> None:
        client = server.client("dynamodb")
        for i in range(25):
            client.put_item(TableName="Grouped", Item={"k": {"S": f"{w}-{i}"}})
            acknowledged.append(f"{w}-{i}")

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.restart(signal.SIGKILL)
    stored = {i["k"]["S"] for i in server.client("dynamodb").scan(TableName="Grouped", ConsistentRead=True)["Items"]}
    assert len(acknowledged) == 200 and stored == set(acknowledged)


def test_sigterm_exits_cleanly(make_server):
    server = make_server(durable=False)
    server.client("dynamodb").list_tables()
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(10) == 0


def test_request_ids_are_unique_across_requests_and_restarts(make_server):
    server = make_server("--clock", "manual")

    def ids() -> list[str]:
        with connect(server) as sock:
            sock.sendall(ddb_request("ListTables", {}) * 20)
            return [h["x-amzn-requestid"] for _, h, _ in read_responses(sock, 20)]

    first = ids()
    server.restart()
    second = ids()
    assert len(set(first + second)) == 40
    assert all(len(r) == 52 and r.isalnum() and r.isupper() for r in first + second)


def test_unknown_durability_is_rejected():
    flag = subprocess.run([sys.executable, "-m", "dynoscale", "serve", "--durability", "paranoid"],
                          capture_output=True, text=True, timeout=60)
    assert flag.returncode == 2 and "invalid choice: 'paranoid'" in flag.stderr
    env = subprocess.run([sys.executable, "-m", "dynoscale", "serve"], capture_output=True,
                         text=True, timeout=60, env={"DYNOSCALE_DURABILITY": "paranoid", "PATH": ""})
    assert env.returncode == 1 and "unknown durability 'paranoid'" in env.stderr
