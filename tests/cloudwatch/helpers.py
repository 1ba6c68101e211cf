"""Shared helpers for the CloudWatch tests: minute boundaries on the manual clock, the time formats
AWS uses in alarm reasons and reason data, alarm state, and clients that speak one chosen
CloudWatch protocol."""

from __future__ import annotations

from datetime import datetime, timezone

import botocore.model


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


def state(cw, name: str) -> dict:
    """The one metric alarm named `name`, as DescribeAlarms returns it."""
    return cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]


def cloudwatch_client(server, protocol: str):
    """A boto3 CloudWatch client that speaks `protocol` (smithy-rpc-v2-cbor, json or query):
    botocore picks the first protocol of its priority list that the model supports."""
    saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = (protocol,) + tuple(
        p for p in saved if p != protocol)
    try:
        client = server.client("cloudwatch")
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved
    assert client.meta.service_model.resolved_protocol == protocol
    return client
