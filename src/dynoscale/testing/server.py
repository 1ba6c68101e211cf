"""`dynoscale.Server`: a real `dynoscale serve` subprocess for unittest users, scripts and the
pytest plugin.

    with dynoscale.Server(clock="manual") as server:
        os.environ.update(server.env)          # or pass server.endpoint to each client
        ...
        server.advance("15m")

It is a separate process speaking HTTP, exactly what user code meets in production, not an
in-process mock. It listens on a free port chosen by the OS (`--port 0`, read back from the start
line, so two servers never race for a port) and keeps its data in a temporary directory removed
on exit, unless given one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional, Sequence

from dynoscale import durations
from dynoscale.admin_client import AdminClient, AdminError
from dynoscale.clock import Clock

REGION = "us-east-1"
# Dummy credentials: any are accepted under `--auth none`. A 12-digit access key id would name an
# account of its own (README, Flags), so this one acts in the server's --account-id.
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
_LISTENING = re.compile(rb"Dynoscale listening on (http://\S+)")


class ServerError(RuntimeError):
    """The server could not be started (its output is in the message)."""


class Server:
    """A `dynoscale serve` subprocess.

    clock: "manual" (time moves only through advance()) or "real"; time_scale: K > 0 runs
    simulated time K times faster (implies a scaled clock); data_dir: keep data there (default: a
    temporary directory removed on stop()); in_memory: keep nothing on disk; auth, log_level,
    workers, account_id: the `serve` flags of the same names; args: any further flags.
    """

    def __init__(self, clock: str = "real", time_scale: Optional[float] = None, *,
                 data_dir: Optional[str] = None, in_memory: bool = False, host: str = "127.0.0.1",
                 port: int = 0, auth: Optional[str] = None, log_level: Optional[str] = None,
                 timing: Optional[str] = None, workers: Optional[int] = None, account_id: Optional[str] = None,
                 args: Sequence[str] = (), startup_timeout: float = 30.0):
        if clock not in ("real", "manual"):
            raise ValueError(f"clock must be 'real' or 'manual', not {clock!r}")
        if time_scale is not None and clock == "manual":
            raise ValueError("time_scale applies to the real clock, not to clock='manual'")
        self.clock_mode = clock
        self.time_scale = time_scale
        self.host = host
        self.requested_port = port
        self.in_memory = in_memory
        self._own_dir = data_dir is None and not in_memory
        self.data_dir = data_dir
        self.startup_timeout = startup_timeout
        flags: list[str] = []
        if time_scale is not None:
            flags += ["--time-scale", f"{time_scale:g}"]
        elif clock == "manual":
            flags += ["--clock", "manual"]
        if auth in ("verify", "enforce"):  # its clients sign as the account's root
            flags += ["--access-key-id", ACCESS_KEY_ID, "--secret-access-key", SECRET_ACCESS_KEY]
        for flag, value in (("--auth", auth), ("--log-level", log_level), ("--timing", timing),
                            ("--workers", workers), ("--account-id", account_id)):
            if value is not None:
                flags += [flag, str(value)]
        self.flags = flags + list(args)
        self.endpoint: Optional[str] = None
        self.proc: Optional[subprocess.Popen] = None
        self.log_path: Optional[Path] = None
        self._log = None
        self._admin: Optional[AdminClient] = None

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> "Server":
        if self.proc is not None and self.proc.poll() is None:
            return self
        if self._own_dir and self.data_dir is None:
            self.data_dir = tempfile.mkdtemp(prefix="dynoscale-data-")
        storage = ["--in-memory"] if self.in_memory else ["--data-dir", str(self.data_dir)]
        cmd = [sys.executable, "-m", "dynoscale", "serve", "--host", self.host,
               "--port", str(self.requested_port), *storage, *self.flags]
        fd, name = tempfile.mkstemp(prefix="dynoscale-", suffix=".log")
        os.close(fd)
        self.log_path = Path(name)
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        deadline = Clock.wall_elapsed() + self.startup_timeout
        while Clock.wall_elapsed() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"dynoscale serve exited with status {self.proc.returncode}: "
                                  f"{self.output()[-3000:]}")
            if self.endpoint is None:
                m = _LISTENING.search(self.log_path.read_bytes())
                if m:
                    self.endpoint = m.group(1).decode()
                    self._admin = AdminClient(self.endpoint, timeout=120,
                                              credentials=(ACCESS_KEY_ID, SECRET_ACCESS_KEY))
            if self._admin is not None:
                try:
                    self._admin.health()
                    return
                except AdminError:
                    pass
            Clock.wall_sleep(0.02)
        raise ServerError(f"dynoscale serve did not become ready in {self.startup_timeout:g} s: "
                          f"{self.output()[-3000:]}")

    def stop(self) -> Optional[int]:
        """SIGTERM (the server finishes the requests in progress, for at most its
        --drain-timeout, commits and exits), SIGKILL after 10 s; removes the temporary data
        directory. Returns the exit status."""
        status = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            status = self.proc.returncode
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._own_dir and self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None
        if self.log_path is not None and status == 0:
            self.log_path.unlink(missing_ok=True)
        return status

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def output(self) -> str:
        """What the server printed so far (start line, logs)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    # -- where and how to reach it ----------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._ready().endpoint.rsplit(":", 1)[1])

    @property
    def env(self) -> dict[str, str]:
        """The variables that point the aws CLI, boto3 and other SDKs at this server:
        `os.environ.update(server.env)` or `subprocess.run(..., env={**os.environ, **server.env})`."""
        return {"AWS_ENDPOINT_URL": self._ready().endpoint, "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY, "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION}

    def client(self, service: str, max_attempts: Optional[int] = None, **config: Any):
        """A boto3 client of this server (us-east-1, dummy credentials); `max_attempts` sets
        botocore's total_max_attempts (default: botocore's own retry settings)."""
        import boto3
        import botocore.config
        if max_attempts is not None:
            config.setdefault("retries", {"total_max_attempts": max_attempts, "mode": "standard"})
        return self._session(boto3).client(service, endpoint_url=self._ready().endpoint,
                                           config=botocore.config.Config(**config))

    def resource(self, service: str = "dynamodb", max_attempts: Optional[int] = None,
                 **config: Any):
        """A boto3 resource (e.g. `server.resource("dynamodb").Table("TestTable")`)."""
        import boto3
        import botocore.config
        if max_attempts is not None:
            config.setdefault("retries", {"total_max_attempts": max_attempts, "mode": "standard"})
        return self._session(boto3).resource(service, endpoint_url=self._ready().endpoint,
                                             config=botocore.config.Config(**config))

    @staticmethod
    def _session(boto3):
        return boto3.session.Session(aws_access_key_id=ACCESS_KEY_ID,
                                     aws_secret_access_key=SECRET_ACCESS_KEY, region_name=REGION)

    # -- the clock and reset --------------------------------------------------------------------
    def clock(self) -> dict[str, Any]:
        """GET /_dynoscale/clock: mode, now, iso, time_scale, offset_seconds."""
        return self._ready()._admin.clock()

    def now(self) -> float:
        """Simulated time, epoch seconds."""
        return self.clock()["now"]

    def advance(self, duration) -> float:
        """Manual clock: move time forward (`90`, `"15m"`, `"1h30m"`), running everything that
        falls due on the way; returns the new simulated time."""
        return self._ready()._admin.advance(durations.parse(duration))["now"]

    def advance_to_minute(self) -> float:
        """Manual clock: move to the next minute boundary (metrics are per minute), unless on
        one already; returns the new simulated time."""
        now = self.now()
        return self.advance(-now % 60) if now % 60 else now

    def reset(self) -> None:
        """Forget every resource of every service; simulated time goes on."""
        self._ready()._admin.reset()

    def _ready(self) -> "Server":
        if self._admin is None or self.endpoint is None:
            raise ServerError("the server is not started (use `with Server(...)` or .start())")
        return self

    def __repr__(self) -> str:
        return f"<dynoscale.Server {self.endpoint or 'not started'} clock={self.clock_mode}>"
