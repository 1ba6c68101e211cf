"""PutMetricAlarm: create or fully overwrite a metric alarm (validation in alarms.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    svc.alarms.put(caller, request)
    return {}
