"""Pure target tracking arithmetic (spec 2.2.4, 2.3.1): thresholds and desired capacity."""

from __future__ import annotations

import math

from hypothesis import given, strategies as st

from dynoscale.services.autoscaling import target_tracking as tt


def test_aws_worked_example():
    # DDB-DG tutorial note: 150 units/s at target 70 -> 215.
    assert tt.desired_capacity(150.0, 70.0) == 215
    assert tt.desired_capacity(5.0, 50.0) == 10


def test_observed_thresholds():
    # Terraformer exports: target 70 on 1 unit -> 42 / 30 / 1; console: 50 % on 12 -> 360 low.
    assert tt.threshold("AlarmHigh", 70.0, 1) == 42.0
    assert tt.threshold("AlarmLow", 70.0, 1) == 30.0
    assert tt.threshold("ProvisionedCapacityHigh", 70.0, 1) == 1.0
    assert tt.threshold("AlarmLow", 70.0, 12) == 360.0
    assert tt.threshold("AlarmLow", 75.0, 5) == 165.0


@given(st.integers(1, 40000), st.floats(20, 90))
def test_desired_capacity_never_exceeds_target(units, target):
    # 2.3.1: "as close to TargetValue as possible, but not exceeding it".
    per_second = float(units)
    desired = tt.desired_capacity(per_second, target)
    assert per_second / desired * 100 <= target + 1e-6
    assert desired - 1 <= 0 or per_second / (desired - 1) * 100 > target - 1e-6 or \
        math.isclose(per_second / (desired - 1) * 100, target)


def test_newest_breaching_datapoint_is_used():
    data = {"recentDatapoints": [400.0, 90.0, 300.0, 120.0], "threshold": 150.0}
    assert tt.consumed_per_second(data, "GreaterThanThreshold") == 5.0
    assert tt.consumed_per_second(data, "LessThanThreshold") == 2.0
    assert tt.consumed_per_second({}, "GreaterThanThreshold") is None
