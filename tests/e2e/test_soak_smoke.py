"""The soak script (reliability/soak.py, an hour by default; not part of CI as such) run for
20 wall seconds at --time-scale 60 (20 simulated minutes: the load steps up at minute 10 and auto
scaling follows): it must complete and print its figures, and once the run is drained every
acknowledged write must have been read from the stream, exactly once. No timing is asserted:
the latency and memory bounds are for long runs on a quiet machine."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "reliability" / "soak.py"


def test_soak_runs_and_the_stream_holds_every_acknowledged_write(tmp_path):
    proc = subprocess.run([sys.executable, str(SCRIPT), "--minutes", str(20 / 60),
                           "--time-scale", "60", "--sample-seconds", "1",
                           "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    out = proc.stdout
    assert proc.returncode in (0, 1), out[-3000:] + proc.stderr[-3000:]  # 1: a bound, not a crash
    assert re.search(r"^soak (passed|FAILED): ", out, re.M), out[-3000:] + proc.stderr[-3000:]
    for figure in (r"memory \(VmRSS\): [\d.]+ MiB at \d+ s -> [\d.]+ MiB", r"open descriptors: \d+ -> \d+",
                   r"latency PutItem: first tenth p50 [\d.]+ ms p99 [\d.]+ ms",
                   r"latency GetItem: first tenth", r"latency GetRecords: first tenth",
                   r"throttled requests \d+, failed requests 0",
                   r"scaling activities \d+", r"alarms 4 \("):
        assert re.search(figure, out), (figure, out)
    read, acked, unanswered = map(int, re.search(
        r"stream records read (\d+), writes acknowledged (\d+) \(unanswered (\d+)", out).groups())
    assert unanswered == 0 and acked > 300  # ~45 writes a second, twice that after minute 10
    assert read == acked
    assert "stream holds" not in out  # the script's own check of the same figure agrees
