"""Crash safety under concurrent mixed load (reliability/crash_trials.py, the 100-trial script):
a bounded run of three SIGKILLs at random moments, with either durability setting, must find
every acknowledged write, no half-applied transaction, a consistent GSI and stream, the control
plane and the scaling activities intact and timed work resuming."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "reliability" / "crash_trials.py"


@pytest.mark.parametrize("durability", ["normal", "full"])
def test_sigkill_under_load_loses_nothing_acknowledged(tmp_path, durability):
    proc = subprocess.run([sys.executable, str(SCRIPT), "--trials", "3", "--seed", "11",
                           "--durability", durability, "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("crash trials passed: 3 SIGKILLs")
    checked = int(last.split(", ")[1].split()[0])
    assert checked > 50  # the writers really wrote before each kill
    # each trial's scaling activity was read back after a later kill (and none left unfinished)
    assert last.endswith(", 3 scaling activities kept"), last


def test_the_checker_sees_a_server_that_keeps_nothing(tmp_path):
    """The same trials against a server that loses everything on a kill must fail: the check
    can fail."""
    leaky = tmp_path / "leaky_trials.py"
    leaky.write_text(SCRIPT.read_text().replace('"--data-dir", self.data_dir, ', '"--in-memory", '))
    proc = subprocess.run([sys.executable, str(leaky), "--trials", "1", "--seed", "11",
                           "--data-dir", str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "FAILED" in proc.stdout, proc.stdout[-2000:]
