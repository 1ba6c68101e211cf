"""Test fixtures: a real `dynoscale serve` subprocess, real boto3 clients, the real aws CLI.

`server` (one per test module, manual clock) and `make_server` (for tests that need their own
settings: scaled clock, restarts); `ddb` and `cw`, clients of the module's server. Error unpacking
and raw HTTP calls are in tests/kit.py. Tests black-box the server over HTTP only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Optional

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import pytest

REGION = "us-east-1"
ACCOUNT = "123456789012"
CREDS = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
         "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
AWS_CLI = Path(sys.executable).with_name("aws")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running `dynoscale serve` process."""

    def __init__(self, data_dir: Optional[str], args: list[str]):
        self.data_dir = data_dir
        self.args = args
        self.port = free_port()
        self.proc: Optional[subprocess.Popen] = None
        self.log_path = Path(tempfile.mkstemp(prefix="dynoscale-", suffix=".log")[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        storage = ["--data-dir", self.data_dir] if self.data_dir else ["--in-memory"]
        cmd = [sys.executable, "-m", "dynoscale", "serve", "--port", str(self.port), *storage, *self.args]
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/_dynoscale/health", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"server did not become healthy: {self.log_path.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()

    def restart(self, sig: int = signal.SIGTERM) -> "Server":
        self.stop(sig)
        return self.start()

    # -- admin ---------------------------------------------------------------------------------
    def admin(self, path: str, body: Optional[dict] = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if data is not None:
            # Signed with the test credentials: under --auth verify/enforce (servers started with
            # them as the root's) a state-changing admin request must be.
            signed = botocore.awsrequest.AWSRequest(method="POST", url=self.url + "/_dynoscale/"
                                                    + path, data=data, headers=headers)
            botocore.auth.SigV4Auth(botocore.credentials.Credentials(
                CREDS["AWS_ACCESS_KEY_ID"], CREDS["AWS_SECRET_ACCESS_KEY"]), "dynoscale",
                REGION).add_auth(signed)
            headers = dict(signed.headers)
        req = urllib.request.Request(self.url + "/_dynoscale/" + path, data=data,
                                     method="POST" if data is not None else "GET",
                                     headers=headers)
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read() or b"{}")

    def now(self) -> float:
        return self.admin("clock")["now"]

    def advance(self, seconds: float) -> dict:
        return self.admin("clock", {"advance_seconds": seconds})

    # -- clients -------------------------------------------------------------------------------
    def client(self, service: str, **config):
        config.setdefault("retries", {"total_max_attempts": 1, "mode": "standard"})
        return boto3.session.Session(aws_access_key_id=CREDS["AWS_ACCESS_KEY_ID"],
                                     aws_secret_access_key=CREDS["AWS_SECRET_ACCESS_KEY"],
                                     region_name=REGION).client(
            service, endpoint_url=self.url, config=botocore.config.Config(**config))

    def resource(self, service: str, **config):
        config.setdefault("retries", {"total_max_attempts": 1, "mode": "standard"})
        return boto3.session.Session(aws_access_key_id=CREDS["AWS_ACCESS_KEY_ID"],
                                     aws_secret_access_key=CREDS["AWS_SECRET_ACCESS_KEY"],
                                     region_name=REGION).resource(
            service, endpoint_url=self.url, config=botocore.config.Config(**config))

    def env(self) -> dict:
        """Environment for the aws CLI / a boto3 program pointed at this server."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(CREDS, AWS_ENDPOINT_URL=self.url, AWS_DEFAULT_REGION=REGION,
                   AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        return env

    def aws(self, *args: str, cwd: Optional[str] = None, check: bool = True) -> subprocess.CompletedProcess:
        """Run the real aws CLI against this server; JSON output is parsed into `.json`."""
        proc = subprocess.run([str(AWS_CLI), *args], env=self.env(), cwd=cwd, capture_output=True,
                              text=True, timeout=120)
        if check and proc.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
        try:
            proc.json = json.loads(proc.stdout) if proc.stdout.strip() else None
        except ValueError:
            proc.json = None
        return proc


@pytest.fixture
def make_server(tmp_path):
    """Factory: make_server(*flags, durable=True) starts a server; all are stopped afterwards."""
    servers: list[Server] = []

    def factory(*args: str, durable: bool = True) -> Server:
        data_dir = str(tmp_path / f"data-{len(servers)}") if durable else None
        s = Server(data_dir, list(args)).start()
        servers.append(s)
        return s

    yield factory
    for s in servers:
        s.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One manual-clock durable server shared by the tests of a module. Use unique names."""
    s = Server(str(tmp_path_factory.mktemp("data")), ["--clock", "manual"]).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def aws_server(tmp_path_factory):
    """A manual-clock server with `--timing aws`, shared by a module's tests of transitional
    states (CREATING, UPDATING, DELETING, backfills): with the default `--timing fast` a table
    is usable at once and those states last no simulated time."""
    s = Server(str(tmp_path_factory.mktemp("data-aws")), ["--clock", "manual", "--timing", "aws"]).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def ddb(server):
    """A DynamoDB client of the module's server. Like every `Server.client`, it makes exactly one
    attempt per call (no retries), so errors and throttle counts are the test's own."""
    return server.client("dynamodb")


@pytest.fixture(scope="module")
def cw(server):
    """A CloudWatch client of the module's server (one attempt per call)."""
    return server.client("cloudwatch")


@pytest.fixture
def unique():
    """unique('TestTable') -> 'TestTable-1a2b3c4d'."""
    return lambda prefix="t": f"{prefix}-{uuid.uuid4().hex[:8]}"
