#!/usr/bin/env python3
"""Dynoscale's benchmark (issue 5): `make bench` runs `run.py matrix`, `make bench-scale` runs
`run.py scale`. See bench/README.md.

matrix: for each server in turn (Dynoscale in-memory, Dynoscale durable, then moto and dynalite
        when available; never two under load at once) start it on a free loopback port pinned to
        CPU 0, create LoadTable (PAY_PER_REQUEST warmed to 40,000 units a second: never
        throttled), run loadgen.py pinned to CPU 1 for PutItem (~100-byte items), GetItem and Query (10-item
        partitions) at 1 and 16 connections, and record start-to-healthy time and RSS after
        loading. Prints a Markdown table with each peer's figures and our ratios to them.
scale:  Query on a 10,000-item table against a 1,000,000-item table, in the same server.

Every load is bounded by count (-n) and time (--duration). Results (tables + raw RESULT lines)
go to bench/results/<date>.md. This is a tool, not a test: nothing here asserts timings.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402
import servers  # noqa: E402

BENCH_DIR = servers.BENCH_DIR
LOADGEN = BENCH_DIR / "loadgen.py"
LOADER = BENCH_DIR / "loader.py"
WARMUP_OFFSET = 90_000_000     # warm-up items live far outside the measured keyspace


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def signer_for(endpoint: str):
    import loadgen
    return loadgen.Signer(endpoint)


class Generator:
    """Runs loadgen.py / loader.py as child processes, pinned to CPU 1 when pinning is on."""

    def __init__(self, pin: bool, log: list[str]):
        self.prefix = (["taskset", "-c", "1"] if pin else []) + [sys.executable]
        self.log = log

    def _run(self, script: Path, args: list[str], marker: str, timeout: float):
        argv = [*self.prefix, str(script), *args]
        found = None
        # Streamed line by line so that progress (loader.py) shows while it runs; the child
        # bounds its own work by count and time, `timeout` is only a backstop.
        with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True) as proc:
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
            try:
                for line in proc.stdout:
                    line = line.rstrip("\n")
                    if line.startswith(marker):
                        found = json.loads(line[len(marker):])
                        self.log.append(line)
                    elif line.strip():
                        say("    " + line)
                proc.wait()
            finally:
                timer.cancel()
        if proc.returncode != 0:  # its output (traceback included) was shown above
            raise RuntimeError(f"{script.name} {' '.join(args[:3])} failed ({proc.returncode})")
        return found

    def setup(self, endpoint: str, table: str, stream: str = "none") -> None:
        self._run(LOADGEN, ["setup", "--endpoint", endpoint, "--table", table, "--billing", "ondemand",
                            "--stream", stream],
                  "RESULT ", timeout=120)

    def run(self, endpoint: str, label: str, pid: int, op: str, c: int, n: int, duration: float,
            table: str = "LoadTable", keyspace: int = 0, offset: int = 0, record: bool = True) -> dict:
        args = ["run", "--endpoint", endpoint, "--label", label, "--server-pid", str(pid), "--table",
                table, "--op", op, "-c", str(c), "-n", str(n), "--duration", str(duration),
                "--keyspace", str(max(keyspace, 10)), "--offset", str(offset)]
        log_len = len(self.log)
        res = self._run(LOADGEN, args, "RESULT ", timeout=duration + 600)  # + pre-signing time
        if not record:
            del self.log[log_len:]
        return res

    def load(self, endpoint: str, table: str, items: int, timeout: float) -> dict:
        return self._run(LOADER, ["--endpoint", endpoint, "--table", table, "--items", str(items),
                                  "--timeout", str(timeout)], "LOADED ", timeout=timeout + 120)


def server_specs(args) -> list[servers.ServerSpec]:
    specs = servers.dynoscale_specs(args.modes, args.workers)
    peers = [p for p in args.peers if p and p != "none"]
    specs += servers.peer_specs(peers, Path(args.scratch), not args.no_install, say)
    return specs


# ----------------------------------------------------------------------------- matrix
def median_run(runs: list[dict]) -> dict:
    """The round whose ops/s is the median (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda r: r.get("ops_s") or 0.0)
    return ordered[(len(ordered) - 1) // 2]


def measure_server(args, gen: "Generator", pin: bool, spec, results: dict) -> None:
    """One round of one server: start, load, measure every (op, connections), stop."""
    try:
        srv = servers.start(spec, signer_for, pin)
    except RuntimeError as e:  # a peer that will not start must not cost us the rest
        say(f"{spec.label}: skipped: {e}")
        return
    entry = results.setdefault(spec.key, {"spec": spec, "samples": {}, "healthy_s": srv.healthy_s,
                                          "rss_idle": servers.rss_mb(srv.pid)})
    samples = entry["samples"]
    try:
        gen.setup(srv.endpoint, "LoadTable", args.stream)
        gen.run(srv.endpoint, spec.key, srv.pid, "put", 16, min(args.n, args.warmup),
                args.duration, offset=WARMUP_OFFSET, record=False)
        loaded = 0
        if "put" in args.ops:
            for c in args.conns:
                res = gen.run(srv.endpoint, spec.key, srv.pid, "put", c, args.n, args.duration)
                samples.setdefault(("put", c), []).append(res)
                loaded = max(loaded, res["completed"])
        elif {"get", "query"} & set(args.ops):
            loaded = gen.run(srv.endpoint, spec.key, srv.pid, "put", 16, args.n, args.duration,
                             record=False)["completed"]
        entry["loaded"] = loaded
        entry["rss_loaded"] = servers.rss_mb(srv.pid)
        for op in ("get", "query"):
            if op in args.ops:
                for c in args.conns:
                    samples.setdefault((op, c), []).append(
                        gen.run(srv.endpoint, spec.key, srv.pid, op, c, args.n, args.duration,
                                keyspace=loaded))
        entry["rss_end"] = servers.rss_mb(srv.pid)
    finally:
        srv.stop()


def run_matrix(args) -> str:
    pin = servers.can_pin() and not args.no_pin
    if not pin and not args.no_pin:
        say("pinning skipped: needs taskset and CPUs 0 and 1")
    raw: list[str] = []
    gen = Generator(pin, raw)
    machine = report.machine_info()
    # server key -> {"spec", "samples": {(op, c): [res per round]}, "runs": {(op, c): median res},
    #                "healthy_s", "rss_*"}
    results: dict[str, dict] = {}
    specs = server_specs(args)
    for round_no in range(1, args.rounds + 1):
        for spec in specs:  # rounds interleave the servers, so slow drifts hit them all alike
            say(f"== {spec.label}" + (f" (round {round_no}/{args.rounds})" if args.rounds > 1 else ""))
            measure_server(args, gen, pin, spec, results)
    for entry in results.values():
        entry["runs"] = {key: median_run(runs) for key, runs in entry["samples"].items()}
    settings = (f"N={args.n} DURATION={args.duration}s ROUNDS={args.rounds} OPS={','.join(args.ops)} "
                f"connections={','.join(map(str, args.conns))} pinning={'server CPU 0, generator CPU 1' if pin else 'off'} "
                f"table=PAY_PER_REQUEST" + (f" stream={args.stream}" if args.stream != "none" else ""))
    return report.matrix_markdown(machine, settings, args.ops, args.conns, results, raw)


# ----------------------------------------------------------------------------- scale
def run_scale(args) -> str:
    pin = servers.can_pin() and not args.no_pin
    raw: list[str] = []
    gen = Generator(pin, raw)
    machine = report.machine_info()
    sizes = [("ScaleSmall", args.small), ("ScaleLarge", args.large)]
    results = {}
    for spec in servers.dynoscale_specs(args.modes):
        say(f"== {spec.label}")
        srv = servers.start(spec, signer_for, pin)
        entry = results[spec.key] = {"spec": spec, "healthy_s": srv.healthy_s, "loads": {}, "runs": {}}
        try:
            for table, items in sizes:
                gen.setup(srv.endpoint, table)
                say(f"  loading {items:,} items into {table} (bounded by {args.load_timeout:.0f} s)")
                entry["loads"][table] = gen.load(srv.endpoint, table, items, args.load_timeout)
            entry["rss_loaded"] = servers.rss_mb(srv.pid)
            for op in args.ops:
                for c in args.conns:
                    for table, _ in sizes:
                        entry["runs"][(op, c, table)] = gen.run(
                            srv.endpoint, f"{spec.key}-{table}", srv.pid, op, c, args.n,
                            args.duration, table=table, keyspace=entry["loads"][table]["loaded"])
        finally:
            srv.stop()
    settings = (f"small={args.small:,} large={args.large:,} items; N={args.n} DURATION={args.duration}s "
                f"per run; load timeout {args.load_timeout:.0f}s; pinning={'on' if pin else 'off'}")
    return report.scale_markdown(machine, settings, args.ops, args.conns, sizes, results, raw)


def write_results(text: str, out_dir: str, suffix: str) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d") + suffix
    path = out / f"{stem}.md"
    k = 2
    while path.exists():
        path = out / f"{stem}-{k}.md"
        k += 1
    path.write_text(text)
    return path


def csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("matrix", "scale"):
        p = sub.add_parser(name)
        p.add_argument("--n", type=int, default=5000 if name == "matrix" else 2000,
                       help="requests per measured run (count bound)")
        p.add_argument("--duration", type=float, default=15.0, help="seconds per measured run (time bound)")
        p.add_argument("--conns", type=lambda v: [int(x) for x in csv(v)], default=[1, 16])
        p.add_argument("--modes", type=csv, default=["memory", "durable"] if name == "matrix" else ["memory"],
                       help="Dynoscale storage modes: memory, durable (--durability normal, the default), "
                            "full (--durability full)")
        p.add_argument("--no-pin", action="store_true", help="do not pin with taskset")
        p.add_argument("--out-dir", default=str(BENCH_DIR / "results"))
        p.add_argument("--no-write", action="store_true", help="print only; write no results file")
    m = sub.choices["matrix"]
    m.add_argument("--ops", type=csv, default=["put", "get", "query"])
    m.add_argument("--workers", type=lambda v: [int(x) for x in csv(v)], default=[1],
                   help="Dynoscale --workers counts to measure, e.g. 1,2 (several: never pinned)")
    m.add_argument("--peers", type=csv, default=["moto", "dynalite"], help="moto,dynalite or none")
    m.add_argument("--scratch", default=str(BENCH_DIR / ".scratch"), help="where peers get installed")
    m.add_argument("--no-install", action="store_true", help="use peers only if already installed")
    m.add_argument("--warmup", type=int, default=1000, help="unrecorded PutItems before measuring")
    m.add_argument("--stream", default="none",
                   choices=["none", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"],
                   help="enable a DynamoDB stream of this view type on the measured table")
    m.add_argument("--rounds", type=int, default=1,
                   help="measure every server this many times, interleaved; tables show the median")
    s = sub.choices["scale"]
    s.add_argument("--ops", type=csv, default=["query"])
    s.add_argument("--small", type=int, default=10_000)
    s.add_argument("--large", type=int, default=1_000_000)
    s.add_argument("--load-timeout", type=float, default=900.0, help="seconds allowed per table load")
    args = ap.parse_args(argv)
    if args.cmd == "matrix":
        text = run_matrix(args)
        suffix = ""
    else:
        text = run_scale(args)
        suffix = "-scale"
    print(text)
    if not args.no_write:
        say(f"results written to {write_results(text, args.out_dir, suffix)}")


if __name__ == "__main__":
    main()
