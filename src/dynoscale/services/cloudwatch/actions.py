"""Alarm actions: ARN prefix -> registered handler, and the AWS rule for when actions run.

AWS (spec 2.5.1, 5.5.9): actions run only when ActionsEnabled; SNS/Lambda/... actions run on
transitions into a state only; Auto Scaling actions (`arn:<partition>:autoscaling:...`, EC2 ASG
and Application Auto Scaling policies) run on the transition AND again at every evaluation (each
minute) while the alarm stays in that state. Only transition deliveries are recorded in the alarm
history (`Successfully executed action <arn>` / `Published a notification to <arn>`).
Handlers are other services' code: their exceptions are logged and never stop the evaluator.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Optional

from dynoscale.services.cloudwatch.api import ActionHandler, AlarmInvocation
from dynoscale.services.cloudwatch.history import History, alarm_type

log = logging.getLogger("dynoscale.cloudwatch.actions")

AUTOSCALING_ACTION = re.compile(r"^arn:[^:]+:autoscaling:")
STATE_ACTIONS = {"ALARM": "AlarmActions", "OK": "OKActions",
                 "INSUFFICIENT_DATA": "InsufficientDataActions"}


class ActionDispatcher:
    def __init__(self, history: History):
        self.history = history
        self._handlers: list[tuple[str, ActionHandler]] = []

    def register(self, prefix: str, handler: ActionHandler) -> None:
        self._handlers = [(p, h) for p, h in self._handlers if p != prefix] + [(prefix, handler)]
        self._handlers.sort(key=lambda ph: len(ph[0]), reverse=True)  # longest prefix wins

    def _handler_for(self, arn: str) -> Optional[ActionHandler]:
        return next((h for p, h in self._handlers if arn.startswith(p)), None)

    def on_transition(self, scope: str, alarm: dict[str, Any], now: float) -> None:
        """The alarm has just entered its current state: run every action of that state."""
        self._run(scope, alarm, now, alarm.get("StateReason", ""),
                  parse_reason_data(alarm.get("StateReasonData")), only_autoscaling=False)

    def on_repeat(self, scope: str, alarm: dict[str, Any], now: float, reason: str,
                  reason_data: dict[str, Any]) -> None:
        """An evaluation confirmed the current state: re-run Auto Scaling actions only."""
        self._run(scope, alarm, now, reason, reason_data, only_autoscaling=True)

    def _run(self, scope: str, alarm: dict[str, Any], now: float, reason: str,
             reason_data: dict[str, Any], only_autoscaling: bool) -> None:
        if not alarm.get("ActionsEnabled", True):
            return
        state = alarm["StateValue"]
        account_id, region = scope.split("/", 1)
        for arn in alarm.get(STATE_ACTIONS[state], []):
            if only_autoscaling and not AUTOSCALING_ACTION.match(arn):
                continue
            handler = self._handler_for(arn)
            error: Optional[str] = None
            if handler is not None:
                invocation = AlarmInvocation(
                    action_arn=arn, alarm_name=alarm["AlarmName"], alarm_arn=alarm["AlarmArn"],
                    account_id=account_id, region=region, state=state, reason=reason,
                    reason_data=reason_data, timestamp=now)
                try:
                    handler(invocation)
                except Exception as exc:  # another service's failure must not stop evaluation
                    log.exception("alarm action %s of %s failed", arn, alarm["AlarmName"])
                    error = str(exc) or type(exc).__name__
            if not only_autoscaling:
                self._record(scope, alarm, arn, now, error)

    def _record(self, scope: str, alarm: dict[str, Any], arn: str, now: float,
                error: Optional[str]) -> None:
        if error is not None:
            summary = f"Failed to execute action {arn}. Received error: {error}"
        elif arn.split(":")[2:3] == ["sns"]:
            summary = f"Published a notification to {arn}"
        else:
            summary = f"Successfully executed action {arn}"
        data = {"actionState": "Failed" if error else "Succeeded",
                "stateUpdateTimestamp": int(round(alarm.get("StateUpdatedTimestamp", now) * 1000)),
                "notificationResource": arn}
        if error:
            data["error"] = error
        self.history.add(scope, alarm["AlarmName"], "Action", summary, data, now,
                         alarm_type=alarm_type(alarm))


def parse_reason_data(text: Optional[str]) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
