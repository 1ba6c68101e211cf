"""SetAlarmState: force a state for testing; the next evaluation restores the real state.

AWS facts (spec 5.4.3, model docs): unknown alarm -> ResourceNotFound; StateReasonData must be
JSON (else InvalidFormat); when the state changes, that state's actions run.
"""

from __future__ import annotations

import json

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import errors


def handle(svc, caller: Caller, request: dict) -> dict:
    alarm = svc.alarms.get(caller.scope, request["AlarmName"])
    if alarm is None:
        raise errors.alarm_not_found()
    data = request.get("StateReasonData")
    if data is not None:
        try:
            json.loads(data)
        except ValueError:  # [inferred] text
            raise errors.invalid_format("StateReasonData is not valid JSON.") from None
    if request["StateValue"] == alarm["StateValue"]:
        return {}
    svc.evaluator.transition(caller.scope, alarm, request["StateValue"], request["StateReason"],
                             data, svc.clock.now())
    return {}
