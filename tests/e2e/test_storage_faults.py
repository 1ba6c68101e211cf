"""Storage faults give a clear one-line answer at start, or an error for the affected request,
never a traceback, a hang or silent loss (issue 17 point 2): a file that is not a database, a
damaged one, a data directory in use by another server, read-only or that cannot be a directory,
a database another process holds a write lock on (at start, and taken while serving), and a disk
that fills up while serving (writes are answered DynamoDB's InternalServerError, the server keeps
serving reads)."""

from __future__ import annotations

import os
import shutil
import json
import sqlite3
import subprocess
import sys
import time
import urllib.error

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Server


def start(data_dir, *flags, timeout=20):
    return subprocess.run([sys.executable, "-m", "dynoscale", "serve", "--port", "1",
                           "--data-dir", str(data_dir), *flags],
                          capture_output=True, text=True, timeout=timeout)


def one_line_refusal(proc) -> str:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "dynoscale.sqlite3").write_bytes(os.urandom(20000))
    assert one_line_refusal(start(tmp_path)) == (
        f"dynoscale: {tmp_path}/dynoscale.sqlite3 cannot be used as Dynoscale's database (file is "
        "not a database); move it away to start with an empty data directory")


def test_a_truncated_database(tmp_path):
    server = Server(str(tmp_path), ["--clock", "manual"]).start()
    ddb = server.client("dynamodb")
    for i in range(30):
        ddb.create_table(TableName=f"Trunc{i}", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                         Tags=[{"Key": "pad", "Value": "x" * 200}])
    server.stop()
    db = tmp_path / "dynoscale.sqlite3"
    with open(db, "r+b") as f:
        f.truncate(os.path.getsize(db) // 2 + 100)
    line = one_line_refusal(start(tmp_path))
    assert line.startswith(f"dynoscale: {db} cannot be used as Dynoscale's database (")


def test_a_data_directory_in_use_by_another_server(tmp_path):
    first = Server(str(tmp_path), ["--clock", "manual"]).start()
    try:
        line = one_line_refusal(start(tmp_path))
        assert line == (f"dynoscale: the data directory {tmp_path} is in use by another Dynoscale "
                        f"server (pid {first.proc.pid}); stop it or choose another --data-dir")
        assert first.client("dynamodb").list_tables()["TableNames"] == []  # still serving
    finally:
        first.stop()
    second = Server(str(tmp_path), ["--clock", "manual"]).start()  # free once the first stops
    second.stop()


def test_a_data_directory_that_cannot_be_one(tmp_path):
    (tmp_path / "file").write_text("")
    assert one_line_refusal(start(tmp_path / "file" / "data")) == (
        f"dynoscale: cannot use data directory {tmp_path}/file/data: Not a directory")


def mount_tmpfs(mount, size: str):
    """A tmpfs of `size` at `mount` (a new directory), or skip where mounting needs root."""
    mount.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
            capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    return mount


def unmount(mount):
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    mount = mount_tmpfs(tmp_path / "small", "3m")
    yield mount
    unmount(mount)


@pytest.mark.parametrize("flags", [(), ("--workers", "2")])
def test_a_full_disk_refuses_writes_loses_nothing_and_keeps_serving_reads(small_disk, flags):
    server = Server(str(small_disk / "data"), ["--clock", "manual", *flags]).start()
    try:
        ddb = server.client("dynamodb")
        ddb.create_table(TableName="Full", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
        server.advance(60)
        acknowledged, refused = [], 0
        for i in range(400):
            if i % 100 == 99:  # 2,000 WRU a simulated second: within a new on-demand table's 4,000
                try:
                    server.advance(1)
                except urllib.error.HTTPError as e:
                    # The minute jobs and the clock it ran write state too: once the disk is
                    # full, their group commit can fail like a put's. Time has moved all the
                    # same (the clock is in memory); the answer says the change was not kept.
                    assert e.code == 500
                    assert shutil.disk_usage(small_disk).free < 1 << 20, "failed, disk not full"
                    assert json.loads(e.read()) == {
                        "error": "internal failure; the server log says why"}
            try:
                ddb.put_item(TableName="Full", Item={"k": {"S": str(i)}, "v": {"S": "x" * 20000}})
                acknowledged.append(str(i))
            except ClientError as e:
                # The commit failed after the request was handled: not acknowledged, and
                # answered as DynamoDB answers a failure of its own (which SDKs retry), never
                # by a dropped connection or a bare 500.
                assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 500
                assert e.response["Error"] == {
                    "Code": "InternalServerError", "Message": "Internal server error"}
                assert len(e.response["ResponseMetadata"]["RequestId"]) == 52
                refused += 1
        assert refused > 0 and acknowledged
        for key in acknowledged:  # every acknowledged write, served while the disk is full
            assert "Item" in ddb.get_item(TableName="Full", Key={"k": {"S": key}},
                                          ConsistentRead=True)
        assert server.proc.poll() is None
        with open(server.log_path) as log:
            assert "Traceback" not in log.read()
    finally:
        server.stop()


def _hold_write_lock(db):
    """Another process's view of the database: a sqlite3 connection inside a write
    transaction, as a sqlite3 shell after BEGIN EXCLUSIVE holds it."""
    other = sqlite3.connect(str(db), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


def test_a_database_locked_by_another_process_at_start(tmp_path):
    Server(str(tmp_path), ["--clock", "manual"]).start().stop()
    db = tmp_path / "dynoscale.sqlite3"
    other = _hold_write_lock(db)
    try:
        assert one_line_refusal(start(tmp_path)) == (
            f"dynoscale: {db} is locked by another process (database is locked); stop it or end "
            "its transaction, then start again")
    finally:
        other.close()
    Server(str(tmp_path), ["--clock", "manual"]).start().stop()  # free once the lock is gone


def test_a_lock_taken_while_serving_fails_writes_at_once_and_keeps_serving_reads(tmp_path):
    server = Server(str(tmp_path), ["--clock", "manual"]).start()
    try:
        ddb = server.client("dynamodb")
        ddb.create_table(TableName="Locked", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
        ddb.put_item(TableName="Locked", Item={"k": {"S": "kept"}})
        other = _hold_write_lock(tmp_path / "dynoscale.sqlite3")
        try:
            for _ in range(3):
                started = time.monotonic()
                with pytest.raises(ClientError) as e:
                    ddb.put_item(TableName="Locked", Item={"k": {"S": "refused"}})
                # answered at once, not after SQLite's lock wait, which would stall every
                # other client behind the server's one event-loop thread
                assert time.monotonic() - started < 2
                assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
                assert e.value.response["Error"] == {"Code": "InternalServerError",
                                                     "Message": "Internal server error"}
            assert ddb.get_item(TableName="Locked", Key={"k": {"S": "kept"}},
                                ConsistentRead=True)["Item"] == {"k": {"S": "kept"}}
            assert ddb.list_tables()["TableNames"] == ["Locked"]
        finally:
            other.close()
        ddb.put_item(TableName="Locked", Item={"k": {"S": "after"}})   # the lock is gone
        keys = sorted(i["k"]["S"] for i in ddb.scan(TableName="Locked")["Items"])
        assert keys == ["after", "kept"]                               # nothing refused stored
        with open(server.log_path) as log:
            text = log.read()
        assert "Traceback" not in text and "database is locked" in text
    finally:
        server.stop()


def test_a_read_only_data_directory(tmp_path):
    mount = mount_tmpfs(tmp_path / "ro", "8m")
    try:
        Server(str(mount / "data"), ["--clock", "manual"]).start().stop()
        assert subprocess.run(["mount", "-o", "remount,ro", str(mount)],
                              capture_output=True).returncode == 0
        assert one_line_refusal(start(mount / "data")) == (
            f"dynoscale: cannot use data directory {mount}/data: Read-only file system")
    finally:
        unmount(mount)
