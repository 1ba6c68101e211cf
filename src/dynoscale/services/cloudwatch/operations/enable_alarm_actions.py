"""EnableAlarmActions: ActionsEnabled = true for the named alarms (unknown names ignored)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.cloudwatch.history import alarm_type


def set_actions_enabled(svc, caller: Caller, names: list[str], enabled: bool) -> None:
    now = svc.clock.now()
    with svc.store.transaction():
        for name in names:
            alarm = svc.alarms.get(caller.scope, name)
            if alarm is None or alarm.get("ActionsEnabled", True) == enabled:
                continue
            alarm["ActionsEnabled"] = enabled
            svc.alarms.save(caller.scope, alarm)
            svc.history.add(caller.scope, name, "ConfigurationUpdate", f'Alarm "{name}" updated',
                            {"version": "1.0", "type": "Update",
                             "updatedAlarm": {"AlarmName": name, "ActionsEnabled": enabled}}, now,
                            alarm_type=alarm_type(alarm))


def handle(svc, caller: Caller, request: dict) -> dict:
    set_actions_enabled(svc, caller, request["AlarmNames"], True)
    return {}
