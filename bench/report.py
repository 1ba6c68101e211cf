"""Markdown for the benchmark's results: the machine, the ops/s and latency table with our ratio to
each peer, start-to-healthy and RSS, and the raw RESULT lines loadgen.py printed."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path
from typing import Callable


def machine_info() -> dict:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "cpu": model, "mem": mem, "kernel": platform.release(),
            "python": platform.python_version(), "load_before": _load()}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _header(title: str, machine: dict, settings: str) -> list[str]:
    return [f"# {title}", "",
            f"- date: {machine['date']}",
            f"- machine: {machine['nproc']} CPUs, {machine['cpu']}, {machine['mem']} RAM, "
            f"Linux {machine['kernel']}, Python {machine['python']}",
            f"- load average (1/5/15 min) before: {machine['load_before']}; after: {_load()} "
            "(the machine is shared: other work running at the same time makes figures noisy)",
            f"- settings: {settings}", ""]


def _failed(res: dict) -> bool:
    return not res or not res.get("completed") or res.get("errors", 0) * 2 >= res["completed"]


def cell(res: dict | None) -> str:
    if res is None:
        return "-"
    if _failed(res):
        kinds = ", ".join(f"{k} x{v}" for k, v in sorted(res.get("error_types", {}).items()))
        return f"failed ({kinds or 'no requests completed'})"
    out = f"{res['ops_s']:,.0f} ({res['p50_ms']:.2f} / {res['p99_ms']:.2f})"
    if res.get("errors"):
        out += f" [{res['errors']} errors]"
    if res.get("get_misses"):
        out += f" [{res['get_misses']} misses]"
    return out


def ratio(ours: dict | None, peer: dict | None) -> str:
    if ours is None or peer is None or _failed(ours) or _failed(peer):
        return "-"
    ops = ours["ops_s"] / peer["ops_s"] if peer["ops_s"] else float("nan")
    p50 = ours["p50_ms"] / peer["p50_ms"] if peer["p50_ms"] else float("nan")
    return f"{_times(ops)} / {_times(p50)}"


def _times(x: float) -> str:
    return "<0.01x" if x < 0.01 else f"{x:.2f}x"


MODE_NAMES = {"memory": "in-memory", "durable": "durable", "full": "durable, full"}
OP_NAMES = {"put": "PutItem", "get": "GetItem", "query": "Query (10 items)"}


def matrix_markdown(machine: dict, settings: str, ops: list, conns: list, results: dict,
                    raw: list[str]) -> str:
    ours = [k for k, e in results.items() if not e["spec"].is_peer]
    peers = [k for k, e in results.items() if e["spec"].is_peer]
    lines = _header("Dynoscale benchmark", machine, settings)
    lines += ["Each cell: ops/s (p50 / p99 latency in ms). Ratio cells: our ops/s over the peer's "
              "(higher is better) / our p50 over the peer's (lower is better).", ""]
    head = ["op", "connections"] + [results[k]["spec"].label for k in ours + peers]
    head += [f"{MODE_NAMES.get(o, o)} vs {results[p]['spec'].label}" for o in ours for p in peers]
    lines += ["| " + " | ".join(head) + " |", "|---|---:|" + "---:|" * (len(head) - 2)]
    for op in [o for o in ("put", "get", "query") if o in ops]:
        for c in conns:
            row = [OP_NAMES[op], str(c)]
            row += [cell(results[k]["runs"].get((op, c))) for k in ours + peers]
            row += [ratio(results[o]["runs"].get((op, c)), results[p]["runs"].get((op, c)))
                    for o in ours for p in peers]
            lines.append("| " + " | ".join(row) + " |")
    lines += ["", "| server | version | start-to-healthy (s) | RSS idle (MiB) | items loaded | "
              "RSS after loading (MiB) | RSS at end (MiB) | foreign CPU % |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for key, e in results.items():
        lines.append(f"| {e['spec'].label} | {e['spec'].version} | {e['healthy_s']} | "
                     f"{e.get('rss_idle')} | {e.get('loaded', 0):,} | {e.get('rss_loaded')} | "
                     f"{e.get('rss_end')} | {_foreign(e['runs'].values())} |")
    lines += ["", "Start-to-healthy: from process start to the first ListTables answered 200. "
              "RSS includes direct child processes. Foreign CPU %: mean over this server's "
              "measurements of the machine's busy CPU not used by the server or the generator "
              "(other work on the machine; 100 = one whole core taken).", ""]
    lines += cpu_per_request(ops, conns, {k: results[k] for k in ours})
    lines += spread(ops, conns, results)
    return "\n".join(lines + _raw(raw))


def per_server_table(intro: str, ops: list, conns: list, results: dict,
                     cell_of: Callable[[dict, str, int], str]) -> list[str]:
    """A table with one row per (op, connections) and one column per server."""
    lines = [intro, "",
             "| op | connections | " + " | ".join(e["spec"].label for e in results.values()) + " |",
             "|---|---:|" + "---:|" * len(results)]
    for op in [o for o in ("put", "get", "query") if o in ops]:
        for c in conns:
            row = [OP_NAMES[op], str(c)] + [cell_of(e, op, c) for e in results.values()]
            lines.append("| " + " | ".join(row) + " |")
    return lines + [""]


def spread(ops: list, conns: list, results: dict) -> list[str]:
    """With several rounds: each server's lowest and highest ops/s (the tables show the median)."""
    rounds = max((len(r) for e in results.values() for r in e.get("samples", {}).values()), default=1)
    if rounds < 2:
        return []

    def cell(e: dict, op: str, c: int) -> str:
        got = [r["ops_s"] for r in e.get("samples", {}).get((op, c), [])
               if r and not _failed(r) and r.get("ops_s")]
        return f"{min(got):,.0f} - {max(got):,.0f}" if got else "-"
    return per_server_table(f"Spread over {rounds} rounds (lowest - highest ops/s; the tables "
                            "above show the median round):", ops, conns, results, cell)


def cpu_per_request(ops: list, conns: list, results: dict) -> list[str]:
    """Server CPU µs per request, all processes and the main one alone: with --workers the main
    process is the owner, whose share is the ceiling on throughput however many fronts run."""
    def cell(e: dict, op: str, c: int) -> str:
        r = e["runs"].get((op, c))
        if not r or _failed(r) or not r.get("completed") or r.get("server_cpu_s") is None:
            return "-"
        n, main = r["completed"], r.get("main_cpu_s")
        return (f"{r['server_cpu_s'] / n * 1e6:.0f} / "
                + (f"{main / n * 1e6:.0f}" if main is not None else "-"))
    return per_server_table("Server CPU per request (µs; all processes / main process alone). "
                            "With `--workers`, the main process is the owner that runs every "
                            "call: 10^6 / its figure is the throughput ceiling with enough cores "
                            "for the fronts.", ops, conns, results, cell)


def scale_markdown(machine: dict, settings: str, ops: list, conns: list, sizes: list,
                   results: dict, raw: list[str]) -> str:
    lines = _header("Dynoscale large-table benchmark", machine, settings)
    for key, e in results.items():
        lines += [f"## {e['spec'].label} {e['spec'].version}", "",
                  f"start-to-healthy {e['healthy_s']} s; RSS after loading {e.get('rss_loaded')} MiB", "",
                  "| table | items loaded | method | load time (s) | items/s | load errors |",
                  "|---|---:|---|---:|---:|---:|"]
        for table, _ in sizes:
            ld = e["loads"].get(table) or {}
            lines.append(f"| {table} | {ld.get('loaded', 0):,} | {ld.get('method')} | "
                         f"{ld.get('elapsed_s')} | {ld.get('items_s')} | {ld.get('errors')} |")
        small, large = sizes[0][0], sizes[1][0]
        lines += ["", f"| op | connections | {small} | {large} | large / small ops/s |",
                  "|---|---:|---:|---:|---:|"]
        for op in ops:
            for c in conns:
                a, b = e["runs"].get((op, c, small)), e["runs"].get((op, c, large))
                r = "-" if a is None or b is None or _failed(a) or _failed(b) else \
                    f"{b['ops_s'] / a['ops_s']:.2f}x"
                lines.append(f"| {OP_NAMES.get(op, op)} | {c} | {cell(a)} | {cell(b)} | {r} |")
        lines.append("")
    return "\n".join(lines + _raw(raw))


def _foreign(runs) -> str:
    values = [r["foreign_cpu_pct"] for r in runs if r and r.get("foreign_cpu_pct") is not None]
    return f"{sum(values) / len(values):.0f}" if values else "-"


def _raw(raw: list[str]) -> list[str]:
    return ["## Raw results (loadgen.py RESULT / loader.py LOADED lines)", "", "```", *raw, "```", ""]
