"""Scheduled actions: storage, arming on the clock, and running them.

Facts (spec 1.10, 3.4, 4.3-4.8, 1.4.11):
- Keyed by name per target; stored as documents (kind `aas:scheduled`), so they survive a restart;
  `rearm()` (from the service's `start()`) computes every action's next fire time from the clock
  and arms one scheduler job per action. Runs missed while the server was down are not made up
  (spec 1.4.11: only actions whose time has not passed are considered).
- ScheduledActionARN: `arn:aws:autoscaling:<region>:<account>:scheduledAction:<uuid>:resource/
  <namespace>/<resource id>:scheduledActionName/<name>`, the uuid identifying the target (spec
  1.10.3); here a uuid5 of the target's ScalableTargetARN, stable for the target's life.
- A run sets the target's MinCapacity/MaxCapacity to the action's values (either may be omitted)
  and records `Setting min capacity to 15 and max capacity to 20` / Cause `scheduled action name
  <n> was triggered` / `Successfully set ...` (Successful, no EndTime); then, if the capacity is
  outside the new range, it is clamped like RegisterScalableTarget does (Cause `minimum capacity
  was set to N` / `maximum capacity was set to N`). Not subject to cooldowns; skipped while
  ScheduledScalingSuspended. One-time at() actions stay listed after running (spec 4.8).
- A deleted table keeps its targets and their actions ("any associated scalable targets, scaling
  polices, or CloudWatch alarms are not automatically deleted with it", DynamoDB Developer Guide,
  AutoScaling.html), so an action still runs: with the table (index) gone its activity is Failed,
  `Failed to set <words>. Reason: DynamoDB table does not exist: table/<name>`, and the range is
  left unchanged (inferred: AAS refuses that resource in RegisterScalableTarget with this text,
  spec 1.4.5; `Failed to set ... Reason:` is its wording for a refused change).
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

from dynoscale.clock import Priority
from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.autoscaling import resources, schedule_expressions
from dynoscale.services.autoscaling.targets_and_policies import Records

SCHEDULED_KIND = "aas:scheduled"
MEMBERS = ("ScheduledActionName", "ScheduledActionARN", "ServiceNamespace", "Schedule",
           "Timezone", "ResourceId", "ScalableDimension", "StartTime", "EndTime",
           "ScalableTargetAction", "CreationTime")


def action_key(namespace: str, resource_id: str, dimension: str, name: str) -> str:
    return f"{Records.target_id(namespace, resource_id, dimension)}|{name}"


def action_arn(region: str, account_id: str, target: dict[str, Any], name: str) -> str:
    target_uuid = uuid.uuid5(uuid.NAMESPACE_URL, target["ScalableTargetARN"])
    return (f"arn:aws:autoscaling:{region}:{account_id}:scheduledAction:{target_uuid}:"
            f"resource/{target['ServiceNamespace']}/{target['ResourceId']}:"
            f"scheduledActionName/{name}")


def action_output(action: dict[str, Any]) -> dict[str, Any]:
    return {k: action[k] for k in MEMBERS if action.get(k) is not None}


def capacity_words(low: Optional[int], high: Optional[int]) -> str:
    parts = []
    if low is not None:
        parts.append(f"min capacity to {low}")
    if high is not None:
        parts.append(f"max capacity to {high}")
    return " and ".join(parts)


class ScheduledActions:
    def __init__(self, store, clock, scheduler, records: Records, activities, scaler):
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.records = records
        self.activities = activities
        self.scaler = scaler

    # -- storage -------------------------------------------------------------------------------
    def get(self, scope: str, namespace: str, resource_id: str, dimension: str,
            name: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(SCHEDULED_KIND, scope,
                                  action_key(namespace, resource_id, dimension, name))

    def put(self, scope: str, action: dict[str, Any]) -> None:
        self.store.put_doc(SCHEDULED_KIND, scope, self._key(action), action)
        self.arm(scope, action, self.clock.now())

    def delete(self, scope: str, action: dict[str, Any]) -> None:
        self.store.delete_doc(SCHEDULED_KIND, scope, self._key(action))
        self.scheduler.cancel(self._job_key(scope, self._key(action)))

    def list(self, scope: str, namespace: str) -> list[dict[str, Any]]:
        docs = [d for _, _, d in self.store.list_docs(SCHEDULED_KIND, scope, f"{namespace}|")]
        return sorted(docs, key=lambda d: d["seq"])

    def of_target(self, scope: str, target: dict[str, Any]) -> list[dict[str, Any]]:
        return [a for a in self.list(scope, target["ServiceNamespace"])
                if a["ResourceId"] == target["ResourceId"]
                and a["ScalableDimension"] == target["ScalableDimension"]]

    def delete_of_target(self, scope: str, target: dict[str, Any]) -> None:
        """DeregisterScalableTarget removes the target's scheduled actions (spec 1.6.1)."""
        for action in self.of_target(scope, target):
            self.delete(scope, action)

    @staticmethod
    def _key(action: dict[str, Any]) -> str:
        return action_key(action["ServiceNamespace"], action["ResourceId"],
                          action["ScalableDimension"], action["ScheduledActionName"])

    @staticmethod
    def _job_key(scope: str, key: str) -> str:
        return f"aas:scheduled:{scope}:{key}"

    # -- arming --------------------------------------------------------------------------------
    def rearm(self) -> None:
        now = self.clock.now()
        for scope, _, action in self.store.list_docs(SCHEDULED_KIND):
            self.arm(scope, action, now)

    def arm(self, scope: str, action: dict[str, Any], not_before: float) -> None:
        key = self._key(action)
        if action.get("last_run") is not None:
            not_before = max(not_before, action["last_run"] + 1)
        when = schedule_expressions.next_fire(schedule_expressions.parse(action["Schedule"]),
                                  schedule_expressions.zone(action.get("Timezone")), not_before,
                                  action["anchor"], action.get("StartTime"), action.get("EndTime"))
        if when is None:
            self.scheduler.cancel(self._job_key(scope, key))
            return
        self.scheduler.call_at(when, lambda: self._run(scope, key), key=self._job_key(scope, key),
                               priority=Priority.SCHEDULED_ACTION)

    # -- running -------------------------------------------------------------------------------
    def _run(self, scope: str, key: str) -> None:
        action = self.store.get_doc(SCHEDULED_KIND, scope, key)
        if action is None:
            return
        now = self.clock.now()
        action["last_run"] = now
        self.store.put_doc(SCHEDULED_KIND, scope, key, action)
        try:
            target = self.records.get_target(scope, action["ServiceNamespace"],
                                             action["ResourceId"], action["ScalableDimension"])
            if target is not None and not target.get("SuspendedState", {}).get(
                    "ScheduledScalingSuspended"):
                self._apply(scope, action, target, now)
        finally:
            if schedule_expressions.parse(action["Schedule"]).recurring:
                self.arm(scope, action, now + 1)

    def _apply(self, scope: str, action: dict[str, Any], target: dict[str, Any],
               now: float) -> None:
        wanted = action.get("ScalableTargetAction") or {}
        low, high = wanted.get("MinCapacity"), wanted.get("MaxCapacity")
        if low is None and high is None:
            return
        words = capacity_words(low, high)
        activity = self.activities.start(
            scope, target, f"Setting {words}",
            f"scheduled action name {action['ScheduledActionName']} was triggered", now)
        account, region = scope.split("/", 1)
        caller = Caller(account, region, principal_arn=target["RoleARN"])
        try:
            resource = resources.parse(target["ServiceNamespace"], target["ResourceId"],
                                       target["ScalableDimension"])
            current = resources.read_capacity(self.scaler.dynamodb, caller, resource).units
        except AwsError as e:
            # The table (index) was deleted: its target and actions stay (DynamoDB DG,
            # AutoScaling.html: scalable targets "are not automatically deleted with it"), so
            # the action runs and fails with AAS's refusal of a missing resource, the range
            # unchanged (inferred: RegisterScalableTarget refuses one, spec 1.4.5).
            self.activities.advance(scope, activity, "failed",
                                    f"Failed to set {words}. Reason: {e.message}", now)
            return
        new_low = low if low is not None else target["MinCapacity"]
        new_high = high if high is not None else target["MaxCapacity"]
        # One bound moved past the other, which the action left alone: the other follows.
        if new_low > new_high:
            if low is None:
                new_low = new_high
            else:
                new_high = new_low
        target.update(MinCapacity=new_low, MaxCapacity=new_high)
        self.records.put_target(scope, target)
        activity.update(StatusCode="Successful", StatusMessage=f"Successfully set {words}")
        self.activities.save(scope, activity)
        self.scaler.clamp_into_range(scope, caller, target, resource, current)
