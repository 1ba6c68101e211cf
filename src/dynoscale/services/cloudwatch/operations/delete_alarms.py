"""DeleteAlarms: up to 100 names; names that do not exist are ignored and do not stop the others
(spec 5.4.1, model doc). History items stay."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    svc.alarms.delete(caller.scope, request["AlarmNames"])
    return {}
