"""Fixtures of the Application Auto Scaling tests (helpers live in aas_kit.py)."""

from __future__ import annotations

import pytest

from aas_kit import Kit


@pytest.fixture(scope="module")
def kit(server):
    return Kit(server)
