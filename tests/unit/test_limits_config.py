"""The slow-client limits' settings: flags, DYNOSCALE_* variables, defaults (README, Flags)."""

from __future__ import annotations

import pytest

from dynoscale.config import parse_args

NAMES = ("idle_timeout", "header_timeout", "body_timeout", "max_connections", "drain_timeout")


def test_defaults():
    config = parse_args(["serve"], env={})[1]
    assert [getattr(config, n) for n in NAMES] == [60.0, 20.0, 60.0, 1000, 5.0]


def test_variables_and_flags():
    env = {"DYNOSCALE_IDLE_TIMEOUT": "7.5", "DYNOSCALE_HEADER_TIMEOUT": "3",
           "DYNOSCALE_BODY_TIMEOUT": "4", "DYNOSCALE_MAX_CONNECTIONS": "12",
           "DYNOSCALE_DRAIN_TIMEOUT": "0.5"}
    config = parse_args(["serve"], env=env)[1]
    assert [getattr(config, n) for n in NAMES] == [7.5, 3.0, 4.0, 12, 0.5]
    config = parse_args(["serve", "--idle-timeout", "2", "--max-connections", "5"], env=env)[1]
    assert (config.idle_timeout, config.max_connections) == (2.0, 5)  # a flag beats a variable


@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_a_timeout_must_be_a_positive_finite_number(value):
    with pytest.raises(SystemExit, match="--body-timeout must be a positive number of seconds"):
        parse_args(["serve", "--body-timeout", value], env={})
