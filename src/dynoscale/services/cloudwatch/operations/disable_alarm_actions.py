"""DisableAlarmActions: ActionsEnabled = false; the alarm still changes state but runs no
actions (spec 5.4.2)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.cloudwatch.operations.enable_alarm_actions import set_actions_enabled


def handle(svc, caller: Caller, request: dict) -> dict:
    set_actions_enabled(svc, caller, request["AlarmNames"], False)
    return {}
