"""The seed tutorial under `--timing aws` on the manual clock: every command of Steps 1-4, 6 and 7
with the real `aws` CLI exactly as printed, and Step 5's traffic, the items its program writes,
one attempt per simulated second from a minute boundary T0 (the program as printed runs in wall
time with SDK retries, which a manual clock cannot make deterministic).

The activity Step 6 shows starts at the minute the AWS profile predicts (timing.py, reasoning in
test_scaling_aws_timing.py): AlarmHigh's second breaching minute [T0+60, T0+120) is published at
T0+180 (metric_lag 60 s) and judged at the first evaluation that looks 120 s back past it
(alarm_delay): T0+240, where `--timing fast` acts at T0+120 (test_scaling_manual.py). The
activity is InProgress until auto scaling's next 30 s check (scaling_poll), then Successful.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.e2e.test_scaling_manual import big_item, drive
from tutorial import argv, blocks


def seconds(stamp) -> float:
    """The CLI's timestamps: epoch seconds, as the tutorial's sample output prints them."""
    return stamp if isinstance(stamp, (int, float)) else dt.datetime.fromisoformat(
        stamp).timestamp()


def test_tutorial_under_aws_timing_scales_out_at_minute_four(make_server, tmp_path):
    server = make_server("--clock", "manual", "--timing", "aws")
    ddb = server.client("dynamodb")
    replacements: dict[str, str] = {}
    t0 = None
    for block in blocks():
        if block.kind == "file":
            (tmp_path / block.filename).write_text(block.text)   # the policy documents
            if block.filename != "bulk-load-test-table.py":
                continue
            # Step 5 starts here: traffic from the next minute boundary T0
            now = server.now()
            server.advance(math.ceil(now / 60) * 60 - now)
            t0 = server.now()
            assert t0 % 60 == 0
            drive(server, ddb, 239, big_item)                 # through T0+239
            continue
        cmd = argv(block.text, replacements)
        verb = " ".join(cmd[1:3])
        if verb == "application-autoscaling describe-scaling-activities":
            assert server.aws(*cmd[1:], cwd=str(tmp_path)).json["ScalingActivities"] == []
            drive(server, ddb, 2, big_item, start=239)        # through T0+241
            [act] = server.aws(*cmd[1:], cwd=str(tmp_path)).json["ScalingActivities"]
            assert seconds(act["StartTime"]) == pytest.approx(t0 + 240)  # minute 4, not 2
            assert act["Description"] == "Setting write capacity units to 10."
            assert act["StatusCode"] == "InProgress"
            assert act["Cause"].startswith("monitor alarm TargetTracking-table/TestTable-AlarmHigh-")
            drive(server, ddb, 28, big_item, start=241)       # through T0+269
            [act] = server.aws(*cmd[1:], cwd=str(tmp_path)).json["ScalingActivities"]
            assert act["StatusCode"] == "InProgress"
            drive(server, ddb, 1, big_item, start=269)        # T0+270: auto scaling's check
            [act] = server.aws(*cmd[1:], cwd=str(tmp_path)).json["ScalingActivities"]
            assert act["StatusCode"] == "Successful"
            assert seconds(act["EndTime"]) == pytest.approx(t0 + 270)
            assert act["StatusMessage"] == ("Successfully set write capacity units to 10. Change "
                                            "successfully fulfilled by dynamodb.")
            continue
        if verb == "dynamodb describe-table" and block.step == 2:
            assert server.aws(*cmd[1:], cwd=str(tmp_path)).json[1] == "CREATING"
            server.advance(5)                                 # CreateTable: 5 s under aws
        proc = server.aws(*cmd[1:], cwd=str(tmp_path))
        if verb == "iam create-policy":
            replacements["arn"] = proc.json["Policy"]["Arn"]
        elif verb == "iam get-role":
            replacements["roleARN"] = proc.json
        elif verb == "dynamodb describe-table" and block.step == 2:
            assert proc.json[1] == "ACTIVE"
        elif verb == "dynamodb describe-table" and block.step == 6:
            name, status, throughput = proc.json
            assert (name, status, throughput["WriteCapacityUnits"]) == ("TestTable", "ACTIVE", 10)
    assert t0 is not None
    server.advance(5)                                         # DeleteTable: 5 s under aws
    assert ddb.list_tables()["TableNames"] == []
