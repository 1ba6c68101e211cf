"""The servers the benchmark measures: Dynoscale (in-memory and durable) and its peers, moto server
and dynalite, each started on a free loopback port, optionally pinned to one CPU.

Peers are installed by the benchmark itself into a scratch folder (bench/.scratch/, gitignored):
moto[server] into a venv there, dynalite@4 with npm (skipped when npm is missing). They are run
as their own documentation says (moto's "Server mode" page; dynalite's README, `dynalite --help`):
`moto_server -H 127.0.0.1 -p PORT`, `node node_modules/dynalite/cli.js --host 127.0.0.1 --port PORT`.

"Healthy" means the first DynamoDB ListTables request answered 200, the same test for every
server, so start-to-healthy times compare.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
HEALTH_TIMEOUT_S = 60.0      # moto's first start (imports) can take several seconds
INSTALL_TIMEOUT_S = 600.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_pin() -> bool:
    """Server on CPU 0, generator on CPU 1: needs taskset and both CPUs available to us."""
    try:
        cpus = os.sched_getaffinity(0)
    except AttributeError:
        return False
    return shutil.which("taskset") is not None and {0, 1} <= cpus


def rss_mb(pid: int) -> Optional[float]:
    """Resident set size of pid and its direct children, in MiB (from /proc)."""
    total_kb = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1) if total_kb else None


def list_tables_ok(port: int, signer) -> bool:
    """One signed ListTables over a fresh connection: True on HTTP 200."""
    body = b"{}"
    raw = signer.sign("ListTables", body)
    head, _, _ = raw.partition(b"\r\n\r\n")
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.decode().partition(": ")
        if k.lower() not in ("content-length", "connection"):
            headers[k] = v
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("POST", "/", body=body, headers=headers)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


@dataclass
class ServerSpec:
    key: str                                   # memory | durable | moto | dynalite
    label: str                                 # column heading
    command: Callable[[int, str], list[str]]   # (port, workdir) -> argv
    version: str = ""
    is_peer: bool = False
    pinnable: bool = True                      # False: several processes, never pinned to CPU 0


@dataclass
class RunningServer:
    spec: ServerSpec
    port: int
    proc: subprocess.Popen
    workdir: str
    log_path: str
    healthy_s: Optional[float] = None
    notes: list = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


def start(spec: ServerSpec, signer_for: Callable[[str], object], pin: bool) -> RunningServer:
    """Start spec's server (under `taskset -c 0` when pin) and wait until ListTables answers."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix=f"dynoscale-bench-{spec.key}-")
    log_path = os.path.join(workdir, "server.log")
    argv = spec.command(port, workdir)
    pin = pin and spec.pinnable
    if pin:
        argv = ["taskset", "-c", "0", *argv]
    log = open(log_path, "ab")
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    log.close()
    server = RunningServer(spec, port, proc, workdir, log_path)
    signer = signer_for(server.endpoint)
    deadline = t0 + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = Path(log_path).read_text(errors="replace")[-2000:]
            server.stop()
            raise RuntimeError(f"{spec.label} exited with {proc.returncode}:\n{tail}")
        if list_tables_ok(port, signer):
            server.healthy_s = round(time.monotonic() - t0, 3)
            if pin:  # threads the server made after exec inherit CPU 0; -a is belt and braces
                subprocess.run(["taskset", "-a", "-p", "-c", "0", str(proc.pid)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            return server
        time.sleep(0.01)
    server.stop()
    raise RuntimeError(f"{spec.label} not healthy within {HEALTH_TIMEOUT_S:.0f} s")


# ----------------------------------------------------------------------------- specs
def dynoscale_specs(modes: list[str], workers: Sequence[int] = (1,)) -> list[ServerSpec]:
    """One spec per storage mode and worker count. Specs with several workers are never pinned
    (their processes need CPUs of their own; on a 2-CPU machine they share with the generator)."""
    from dynoscale import __version__
    exe = [sys.executable, "-m", "dynoscale", "serve", "--log-level", "warning"]
    storage = {
        "memory": ("in-memory", lambda wd: ["--in-memory"]),
        "durable": ("durable", lambda wd: ["--data-dir", os.path.join(wd, "data")]),  # normal
        "full": ("durable, full", lambda wd: ["--durability", "full",
                                              "--data-dir", os.path.join(wd, "data-full")]),
    }
    specs = []
    for mode in modes:
        if mode not in storage:
            continue
        name, flags = storage[mode]
        for count in workers:
            if count == 1:
                specs.append(ServerSpec(mode, f"dynoscale ({name})",
                                        lambda port, wd, flags=flags: [*exe, "--port", str(port), *flags(wd)],
                                        version=__version__))
            else:
                specs.append(ServerSpec(
                    f"{mode}-w{count}", f"dynoscale ({name}, {count} workers)",
                    lambda port, wd, flags=flags, count=count: [*exe, "--port", str(port), *flags(wd),
                                                                "--workers", str(count)],
                    version=__version__, pinnable=False))
    return specs


def _run_install(argv: list[str], log_path: Path, cwd: Optional[Path] = None) -> bool:
    with open(log_path, "ab") as log:
        try:
            rc = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
                                timeout=INSTALL_TIMEOUT_S).returncode
        except (OSError, subprocess.TimeoutExpired):
            return False
    return rc == 0


def moto_spec(scratch: Path, install: bool, say: Callable[[str], None]) -> Optional[ServerSpec]:
    venv = scratch / "venv"
    exe = venv / "bin" / "moto_server"
    if not exe.exists():
        if not install:
            say("moto: not installed and --no-install given; skipped")
            return None
        say(f"moto: installing moto[server] into {venv} (once) ...")
        scratch.mkdir(parents=True, exist_ok=True)
        log = scratch / "install-moto.log"
        if not (_run_install([sys.executable, "-m", "venv", str(venv)], log)
                and _run_install([str(venv / "bin" / "pip"), "install", "-q", "moto[server]"], log)):
            say(f"moto: install failed (see {log}); skipped")
            return None
    version = subprocess.run([str(venv / "bin" / "python"), "-c", "import moto; print(moto.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    return ServerSpec("moto", f"moto {version}",
                      lambda port, wd: [str(exe), "-H", "127.0.0.1", "-p", str(port)],
                      version=version, is_peer=True)


def dynalite_spec(scratch: Path, install: bool, say: Callable[[str], None]) -> Optional[ServerSpec]:
    node = shutil.which("node")
    cli = scratch / "node_modules" / "dynalite" / "cli.js"
    if not cli.exists():
        npm = shutil.which("npm")
        if not (install and npm and node):
            say("dynalite: not installed and npm/node missing (or --no-install); skipped")
            return None
        say(f"dynalite: npm install dynalite@4 into {scratch} (once) ...")
        scratch.mkdir(parents=True, exist_ok=True)
        log = scratch / "install-dynalite.log"
        if not _run_install([npm, "install", "--no-audit", "--no-fund", "--prefix", str(scratch),
                             "dynalite@4"], log, cwd=scratch):
            say(f"dynalite: npm install failed (see {log}); skipped")
            return None
    if not node:
        say("dynalite: node missing; skipped")
        return None
    pkg = json.loads((cli.parent / "package.json").read_text())
    version = pkg.get("version", "?")
    return ServerSpec("dynalite", f"dynalite {version}",
                      lambda port, wd: [node, str(cli), "--host", "127.0.0.1", "--port", str(port)],
                      version=version, is_peer=True)


def peer_specs(peers: list[str], scratch: Path, install: bool,
               say: Callable[[str], None]) -> list[ServerSpec]:
    out = []
    for name in peers:
        maker = {"moto": moto_spec, "dynalite": dynalite_spec}.get(name)
        if maker is None:
            say(f"unknown peer {name!r}; known: moto, dynalite")
            continue
        spec = maker(scratch, install, say)
        if spec is not None:
            out.append(spec)
    return out
