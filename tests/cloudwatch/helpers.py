"""Shared helpers for the CloudWatch tests: minute boundaries on the manual clock, the time formats
AWS uses in alarm reasons and reason data, and error unpacking."""

from __future__ import annotations

from datetime import datetime, timezone


def minute_start(server) -> float:
    """Move the manual clock just past the next minute boundary; return that boundary."""
    now = server.now()
    boundary = (now // 60 + 1) * 60
    server.advance(boundary - now + 1)
    return boundary


def stamp(ts: float) -> str:
    """dd/mm/yy HH:MM:SS, as datapoints appear in a StateReason."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%d/%m/%y %H:%M:%S")


def iso(ts: float) -> str:
    """The ISO-8601 form of StateReasonData timestamps (milliseconds, +0000)."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def error_of(exc) -> tuple[str, str, int]:
    """(code, message, HTTP status) of a pytest.raises(ClientError) result."""
    err = exc.value.response["Error"]
    return err["Code"], err["Message"], exc.value.response["ResponseMetadata"]["HTTPStatusCode"]
