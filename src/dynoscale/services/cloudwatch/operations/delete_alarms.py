"""DeleteAlarms: up to 100 names; names that do not exist are ignored and do not stop the others
(spec 5.4.1, model doc). At most one composite alarm per call, and no alarm a remaining composite
alarm depends on (composites.py; the whole call fails). History items stay."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    svc.composites.check_delete(caller.scope, request["AlarmNames"])
    svc.alarms.delete(caller.scope, request["AlarmNames"])
    return {}
