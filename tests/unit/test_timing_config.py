"""`--timing` / DYNOSCALE_TIMING (config.py) and the profiles they name (timing.py)."""

from __future__ import annotations

import pytest

from dynoscale.config import parse_args
from dynoscale.timing import AWS, FAST, PROFILES


def test_default_flag_and_variable():
    assert parse_args(["serve"], env={})[1].timing == "fast"
    assert parse_args(["serve"], env={"DYNOSCALE_TIMING": "aws"})[1].timing == "aws"
    assert parse_args(["serve", "--timing", "fast"], env={"DYNOSCALE_TIMING": "aws"})[1].timing == "fast"
    with pytest.raises(SystemExit):
        parse_args(["serve", "--timing", "slow"], env={})
    with pytest.raises(SystemExit):
        parse_args(["serve"], env={"DYNOSCALE_TIMING": "slow"})


def test_profiles():
    assert set(PROFILES) == {"fast", "aws"}
    durations = ("table_create", "table_create_with_gsis", "table_update", "table_delete",
                 "stream_change", "billing_to_provisioned", "billing_to_on_demand",
                 "billing_to_on_demand_again", "index_create", "index_delete", "index_update",
                 "backups_ready", "metric_lag", "alarm_delay")
    assert all(getattr(FAST, d) == 0 for d in durations)
    assert all(getattr(AWS, d) > 0 for d in durations)
    assert AWS.metric_lag <= AWS.alarm_delay  # an alarm never judges a minute not yet published
    assert FAST.index_create_seconds(10 ** 9, 1) == 0
    # 1 MB of items at 10 WCU: 1024 KB / 10 = 102.4 s of backfill after the 520 s base
    assert AWS.index_create_seconds(1024 * 1024, 10) == pytest.approx(520 + 102.4)
