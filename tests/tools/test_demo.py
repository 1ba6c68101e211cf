"""`dynoscale demo`: the tutorial end to end against a fresh server, in well under a minute,
reporting the throttles, the scale-out activity and the new capacity."""

from __future__ import annotations

import re
import subprocess
import sys
import time


def test_demo_finishes_and_reports_the_scale_out():
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "dynoscale", "demo"], capture_output=True,
                         text=True, timeout=120, env=None)
    elapsed = time.monotonic() - started
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    text = " ".join(out.stdout.split())
    for number in range(1, 7):
        assert f"Step {number}:" in text
    assert "CloudWatch alarms created: 4" in text
    assert "100/100" in text
    throttles = int(re.search(r"throttled writes \(retried\): (\d+)", text).group(1))
    assert throttles > 0  # the burst was spent and the table held writes to its capacity
    assert "activity: Setting write capacity units to 10. Successful" in text
    assert "AlarmHigh" in text and "triggered policy MyScalingPolicy" in text
    assert "TestTable: WriteCapacityUnits: 10" in text
    assert f"was throttled {throttles} times and scaled out from 5 to 10 WCU" in text
    assert elapsed < 60
