"""Smoke test of the benchmark harness (bench/run.py, `make bench`): one tiny run against Dynoscale
only (both storage modes, no peers, no CPU pinning) must start the servers, load, measure and
write the Markdown results. It checks that the harness works end to end; it asserts no timings
(issue 5: never a timing assertion in the test suite)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_matrix_runs_end_to_end_against_dynoscale(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "matrix", "--n", "50", "--duration", "3",
         "--peers", "none", "--no-pin", "--warmup", "20", "--out-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    written = list(tmp_path.glob("*.md"))
    assert len(written) == 1
    text = written[0].read_text()
    assert text.strip() == proc.stdout.strip()
    header = next(line for line in text.splitlines() if line.startswith("| op |"))
    assert "dynoscale (in-memory)" in header and "dynoscale (durable)" in header
    rows = {tuple(cell.strip() for cell in line.split("|")[1:3]): line
            for line in text.splitlines() if line.startswith("| PutItem") or line.startswith("| GetItem")}
    assert set(rows) == {("PutItem", "1"), ("PutItem", "16"), ("GetItem", "1"), ("GetItem", "16")}
    for line in rows.values():  # PutItem and GetItem exist in Dynoscale: measured, not failed
        assert "failed" not in line, line
    results = [line for line in text.splitlines() if line.startswith("RESULT ")]
    assert len(results) == 2 * 6  # two servers x (put, get, query) x (1, 16 connections)
    assert "| dynoscale (durable) |" in text  # the start-to-healthy / RSS table
