"""PutCompositeAlarm: create or fully overwrite a composite alarm (rules in composites.py and
composite_rule.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    svc.composites.put(caller, request)
    return {}
