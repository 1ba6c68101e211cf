"""Composite alarms: PutCompositeAlarm, evaluation whenever a referenced alarm changes state, and
the parent/child relations DescribeAlarms and DeleteAlarms need.

AWS facts (botocore model docs of PutCompositeAlarm, DeleteAlarms, DescribeAlarms): a new
composite alarm starts INSUFFICIENT_DATA and is evaluated at once ("this initial time after
creation is the only time that the alarm can be in INSUFFICIENT_DATA state"); an update keeps the
state and fully overwrites the configuration; the rule may name metric and composite alarms by
name or ARN; cycles can be created, and evaluation stops when one is detected; an alarm that a
composite alarm depends on cannot be deleted, and one DeleteAlarms call deletes at most one
composite alarm. Texts observed on AWS (User Guide "Alarm events and EventBridge", describe-alarms
output in public code): StateReason "<ARN> was created and its alarm rule evaluates to OK" and
"<child ARN> transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC"; StateReasonData
{"triggeringAlarms":[{"arn":...,"state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}
(on creation it lists every child). Composite alarms are stored with the metric alarms (one
namespace of names, as on AWS). ActionsSuppressor settings are kept and shown but do not suppress
actions here (documented gap).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import composite_rule, errors
from dynoscale.services.cloudwatch.alarms import AlarmBook, new_record
from dynoscale.services.cloudwatch.evaluator import Evaluator
from dynoscale.services.cloudwatch.history import History
from dynoscale.services.cloudwatch.threshold_verdict import data_time

# CompositeAlarm members in the model's order; the output follows it.
OUTPUT_ORDER = (
    "ActionsEnabled", "AlarmActions", "AlarmArn", "AlarmConfigurationUpdatedTimestamp",
    "AlarmDescription", "AlarmName", "AlarmRule", "InsufficientDataActions", "OKActions",
    "StateReason", "StateReasonData", "StateUpdatedTimestamp", "StateValue",
    "StateTransitionedTimestamp", "ActionsSuppressedBy", "ActionsSuppressedReason",
    "ActionsSuppressor", "ActionsSuppressorWaitPeriod", "ActionsSuppressorExtensionPeriod")
COPIED = ("AlarmDescription", "AlarmRule", "ActionsSuppressor", "ActionsSuppressorWaitPeriod",
          "ActionsSuppressorExtensionPeriod")


def is_composite(alarm: dict[str, Any]) -> bool:
    return alarm.get("AlarmRule") is not None


def public(alarm: dict[str, Any]) -> dict[str, Any]:
    return {k: alarm[k] for k in OUTPUT_ORDER if k in alarm}


def reason_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%A %d %B, %Y %H:%M:%S UTC")


def _entry(alarm: dict[str, Any]) -> dict[str, Any]:
    return {"arn": alarm["AlarmArn"],
            "state": {"value": alarm["StateValue"],
                      "timestamp": data_time(alarm["StateUpdatedTimestamp"])}}


class Composites:
    def __init__(self, book: AlarmBook, history: History, evaluator: Evaluator, clock: Any):
        self.book = book
        self.history = history
        self.evaluator = evaluator
        self.clock = clock
        self._rules: dict[str, composite_rule.Rule] = {}
        self._busy: set[tuple[str, str]] = set()  # alarms whose change is being propagated
        evaluator.listeners.append(self.on_transition)

    # -- relations -------------------------------------------------------------------------------
    def rule(self, alarm: dict[str, Any]) -> composite_rule.Rule:
        text = alarm["AlarmRule"]
        if text not in self._rules:
            self._rules[text] = composite_rule.parse_rule(text)
        return self._rules[text]

    def children(self, scope: str, alarm: dict[str, Any]) -> list[str]:
        """Names of the alarms the composite's rule refers to in its own account and Region."""
        account, region = scope.split("/", 1)
        names = (composite_rule.alarm_name(ref, account, region)
                 for ref in composite_rule.references(self.rule(alarm)))
        return list(dict.fromkeys(n for n in names if n is not None))

    def parents(self, scope: str, name: str) -> list[dict[str, Any]]:
        return [a for a in self.book.in_scope(scope)
                if is_composite(a) and name in self.children(scope, a)]

    def state_lookup(self, scope: str):
        account, region = scope.split("/", 1)

        def state_of(ref: str):
            name = composite_rule.alarm_name(ref, account, region)
            found = self.book.get(scope, name) if name is not None else None
            return found["StateValue"] if found else None
        return state_of

    # -- PutCompositeAlarm -----------------------------------------------------------------------
    def put(self, caller: Caller, request: dict[str, Any]) -> None:
        rule = composite_rule.parse_rule(request["AlarmRule"])
        if request.get("ActionsSuppressor") is not None and (
                request.get("ActionsSuppressorWaitPeriod") is None
                or request.get("ActionsSuppressorExtensionPeriod") is None):
            raise errors.suppressor_periods()
        scope, name = caller.scope, request["AlarmName"]
        missing = [ref for ref in composite_rule.references(rule)
                   if self.state_lookup(scope)(ref) is None]
        if missing:
            raise errors.composite_children_missing(missing)
        now = self.clock.now()
        old = self.book.get(scope, name)
        alarm = new_record(caller, request, old, now, COPIED)
        with self.book.store.transaction():
            self.book.save(scope, alarm)
            view = {k: v for k, v in public(alarm).items()
                    if k not in ("AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp",
                                 "StateTransitionedTimestamp", "StateReasonData")}
            data: dict[str, Any] = {"version": "1.0", "type": "Create" if old is None else "Update"}
            data["createdAlarm" if old is None else "updatedAlarm"] = view
            self.history.add(scope, name, "ConfigurationUpdate",
                             f'Alarm "{name}" {"created" if old is None else "updated"}', data,
                             now, alarm_type="CompositeAlarm")
        if old is None:
            state = "ALARM" if composite_rule.holds(rule, self.state_lookup(scope)) else "OK"
            children = [c for c in (self.book.get(scope, n) for n in self.children(scope, alarm))
                        if c is not None]
            reason_data = {"triggeringAlarms": [_entry(c) for c in children]}
            self.evaluator.transition(
                scope, alarm, state, f"{alarm['AlarmArn']} was created and its alarm rule "
                                     f"evaluates to {state}",
                json.dumps(reason_data, separators=(",", ":")), now)

    # -- evaluation ------------------------------------------------------------------------------
    def on_transition(self, scope: str, changed: dict[str, Any], now: float) -> None:
        """An alarm changed state: re-evaluate the composite alarms that refer to it."""
        key = (scope, changed["AlarmName"])
        outermost = key not in self._busy
        self._busy.add(key)
        try:
            for parent in self.parents(scope, changed["AlarmName"]):
                if (scope, parent["AlarmName"]) in self._busy:
                    continue  # a cycle: evaluation stops (model doc of PutCompositeAlarm)
                current = self.book.get(scope, parent["AlarmName"]) or parent
                holds = composite_rule.holds(self.rule(current), self.state_lookup(scope))
                state = "ALARM" if holds else "OK"
                if state == current["StateValue"]:
                    continue
                reason = (f"{changed['AlarmArn']} transitioned to {changed['StateValue']} at "
                          f"{reason_time(changed['StateUpdatedTimestamp'])}")
                data = json.dumps({"triggeringAlarms": [_entry(changed)]}, separators=(",", ":"))
                self.evaluator.transition(scope, current, state, reason, data, now)
        finally:
            if outermost:
                self._busy.discard(key)

    # -- DeleteAlarms ----------------------------------------------------------------------------
    def check_delete(self, scope: str, names: Iterable[str]) -> None:
        """DeleteAlarms' rules: at most one composite alarm, and nothing a remaining composite
        alarm depends on."""
        present = {n: a for n in dict.fromkeys(names) if (a := self.book.get(scope, n))}
        if sum(1 for a in present.values() if is_composite(a)) > 1:
            raise errors.too_many_composites()
        blocked = [n for n in present
                   if any(p["AlarmName"] not in present for p in self.parents(scope, n))]
        if blocked:
            raise errors.composite_depends(blocked)
