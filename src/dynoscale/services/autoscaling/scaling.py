"""Carrying out scaling: alarm-driven decisions, capacity changes as the service-linked role,
watching DynamoDB until the change is fulfilled, and keeping alarm thresholds in step.

Rules (spec §2.3-2.5, §3):
- CloudWatch calls `on_alarm` when a policy alarm enters ALARM and again each minute it stays
  there (spec 2.5.1). The work is deferred to a scheduler job at the same instant
  (clock.Priority.ALARM_SCALING), after CloudWatch's evaluation job has finished with the alarm.
- AlarmHigh: desired = clamp(ceil(per-second / target%)) (target_tracking.py); scale out only if
  desired > current. AlarmLow: scale in only if desired < current, scale-in enabled and every
  other scale-in-enabled target tracking policy of the target agrees (spec 1.7.4).
- Cooldowns start when an activity is fulfilled. During scale-out cooldown only a larger
  scale-out runs; during scale-in cooldown no scale-in runs, but a scale-out does and ends the
  scale-in cooldown (spec 2.4.2-2.4.3). Suspension flags block their direction (spec 2.4.6).
- While an activity of the target waits for DynamoDB, no new one starts (DynamoDB would refuse
  a second UpdateTable with ResourceInUseException anyway, spec dynamodb 3.4.6).
- Decisions not to scale are recorded with NotScaledReasons (spec 2.3.4, 3.5).
- Activity strings (spec 3.3): `Setting write capacity units to N.`, Cause `monitor alarm <name>
  in state ALARM triggered policy <policy name>`, InProgress `Successfully set write capacity
  units to N. Waiting for change to be fulfilled by dynamodb.`, Successful `... Change
  successfully fulfilled by dynamodb.`; Failed `Failed to set write capacity units to N.
  Reason: <DynamoDB's message>` (observed in AWS Health notices and user reports).
- Completion is learnt by polling DescribeTable every `poll_seconds` (the timing profile's
  scaling_poll, timing.py: 5 s with `--timing fast`, 30 s with `--timing aws`; docs/architecture.md,
  Rules); the poll is a stored document, re-armed by `rearm()` at start.
- ProvisionedCapacityHigh/Low in ALARM mean provisioned capacity changed out of band: their
  thresholds (and AlarmHigh/Low's) are re-put for the current capacity (spec 2.2.6); the
  DynamoDB capacity listener does the same after every effective change.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Optional

from dynoscale.clock import Priority
from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.autoscaling import resources, target_tracking
from dynoscale.services.autoscaling.activities import Activities
from dynoscale.services.autoscaling.alarms import PolicyAlarms
from dynoscale.services.autoscaling.targets_and_policies import Records
from dynoscale.services.cloudwatch.api import AlarmInvocation

log = logging.getLogger("dynoscale.autoscaling")

POLL_KIND = "aas:poll"
UNFULFILLED_AFTER = 3600.0  # give up waiting for DynamoDB after an hour
STALE_AFTER = 60.0  # alarm datapoints older than one evaluation cycle


def _same_failure(previous: Optional[dict[str, Any]], activity: dict[str, Any],
                  message: str) -> bool:
    return (previous is not None and previous["StatusCode"] == "Failed"
            and not previous.get("NotScaledReasons")
            and previous["Description"] == activity["Description"]
            and previous["Cause"] == activity["Cause"]
            and previous.get("StatusMessage") == message)


def split_scope(scope: str) -> tuple[str, str]:
    account, region = scope.split("/", 1)
    return account, region


class Scaler:
    def __init__(self, store, clock, scheduler, records: Records, activities: Activities,
                 alarms: PolicyAlarms, dynamodb, poll_seconds: float = 5.0):
        self.poll_seconds = poll_seconds
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.records = records
        self.activities = activities
        self.alarms = alarms
        self.dynamodb = dynamodb

    # -- entry points --------------------------------------------------------------------------
    def on_alarm(self, invocation: AlarmInvocation) -> None:
        if invocation.state != "ALARM":
            return
        self.scheduler.call_at(self.clock.now(), lambda: self._handle_alarm(invocation),
                               key=f"aas:alarm:{invocation.alarm_arn}",
                               priority=Priority.ALARM_SCALING)

    def on_capacity_change(self, account_id: str, region: str, table: str, index: Optional[str],
                           read_units: int, write_units: int) -> None:
        """DynamoDB capacity listener: re-threshold the alarms of every policy on that table or
        index (spec 2.2.6), whoever changed the capacity."""
        scope = f"{account_id}/{region}"
        caller = Caller(account_id, region)
        for policy in self.records.list_policies(scope, resources.NAMESPACE):
            resource = self._resource(policy)
            if resource is None or resource.table != table or resource.index != index:
                continue
            units = read_units if policy["metric_direction"] == "Read" else write_units
            self._put_alarms(caller, policy, resource, units)

    def rearm(self) -> None:
        for scope, activity_id, _ in self.store.list_docs(POLL_KIND):
            self._schedule_poll(scope, activity_id, self.clock.now())

    # -- alarm handling ------------------------------------------------------------------------
    def _handle_alarm(self, invocation: AlarmInvocation) -> None:
        scope = f"{invocation.account_id}/{invocation.region}"
        policy = self.records.policy_by_arn(scope, invocation.action_arn.split(":createdBy/")[0])
        if policy is None:
            return
        kind = next((k for k, name in policy["alarm_names"].items()
                     if name == invocation.alarm_name), None)
        target = self.records.get_target(scope, policy["ServiceNamespace"], policy["ResourceId"],
                                         policy["ScalableDimension"])
        resource = self._resource(policy)
        if kind is None or target is None or resource is None:
            return
        caller = Caller(invocation.account_id, invocation.region, principal_arn=target["RoleARN"])
        if kind.startswith("ProvisionedCapacity"):
            # Thresholds follow the capacity the policy's metric is measured against.
            measured = dataclasses.replace(resource, direction=policy["metric_direction"])
            try:
                units = resources.read_capacity(self.dynamodb, caller, measured).units
            except AwsError:
                return
            self._put_alarms(Caller(invocation.account_id, invocation.region), policy, measured,
                             units)
            return
        try:
            capacity = resources.read_capacity(self.dynamodb, caller, resource)
        except AwsError:
            return  # the table is gone; its alarms stay until the policy is deleted (spec 2.1.4)
        comparison = "GreaterThanThreshold" if kind == "AlarmHigh" else "LessThanThreshold"
        per_second = target_tracking.consumed_per_second(invocation.reason_data, comparison)
        if per_second is None or self.activities.in_progress(scope, target):
            return
        # An idle table's alarms keep their state with no new datapoints (AWS/DynamoDB alarms
        # ignore missing data, spec 5.2.6) and CloudWatch re-invokes the policy each minute with
        # the datapoints of the evaluation that set the state. Inferred: AAS acts on the load
        # of now, not on those old datapoints, or an idle table scaled in (idle.py) would be
        # scaled out again by its AlarmHigh, stuck in ALARM since the last busy minute.
        evaluated = target_tracking.evaluated_at(invocation.reason_data)
        if evaluated is not None and invocation.timestamp - evaluated >= STALE_AFTER:
            return
        cause = (f"monitor alarm {invocation.alarm_name} in state ALARM triggered policy "
                 f"{policy['PolicyName']}")
        config = policy["TargetTrackingScalingPolicyConfiguration"]
        raw = target_tracking.desired_capacity(per_second, config["TargetValue"])
        if kind == "AlarmHigh":
            self._scale_out(scope, caller, target, policy, resource, capacity.units, raw, cause)
        else:
            self._scale_in(scope, caller, target, policy, resource, capacity.units, raw, cause)

    def _scale_out(self, scope, caller, target, policy, resource, current, raw, cause) -> None:
        if target.get("SuspendedState", {}).get("DynamicScalingOutSuspended"):
            return
        low, high = target["MinCapacity"], target["MaxCapacity"]
        desired = target_tracking.clamp(raw, low, high)
        now = self.clock.now()
        if desired <= current:
            reason = ({"Code": "AlreadyAtMaxCapacity", "MaxCapacity": high}
                      if raw > current and current >= high
                      else {"Code": "AlreadyAtDesiredCapacity", "CurrentCapacity": current})
            self.activities.not_scaled(scope, target, cause, reason, now)
            return
        if now < (target.get("scale_out_cooldown_until") or 0) and \
                desired <= (target.get("last_scale_out_capacity") or 0):
            return
        target["scale_in_cooldown_until"] = None  # a scale-out ends the scale-in cooldown
        target["last_scale_out_capacity"] = desired
        self.records.put_target(scope, target)
        cooldown = policy["TargetTrackingScalingPolicyConfiguration"].get("ScaleOutCooldown", 0)
        self.set_capacity(scope, caller, target, resource, desired, cause, "out", cooldown)

    def _scale_in(self, scope, caller, target, policy, resource, current, raw, cause) -> None:
        config = policy["TargetTrackingScalingPolicyConfiguration"]
        if config.get("DisableScaleIn") or \
                target.get("SuspendedState", {}).get("DynamicScalingInSuspended"):
            return
        low, high = target["MinCapacity"], target["MaxCapacity"]
        desired = target_tracking.clamp(raw, low, high)
        now = self.clock.now()
        if desired >= current:
            reason = ({"Code": "AlreadyAtMinCapacity", "MinCapacity": low}
                      if raw < current and current <= low
                      else {"Code": "AlreadyAtDesiredCapacity", "CurrentCapacity": current})
            self.activities.not_scaled(scope, target, cause, reason, now)
            return
        if now < (target.get("scale_in_cooldown_until") or 0):
            return
        if not self._others_agree_to_scale_in(scope, caller, target, policy):
            return
        self.set_capacity(scope, caller, target, resource, desired, cause, "in",
                          config.get("ScaleInCooldown", 0))

    def _others_agree_to_scale_in(self, scope, caller, target, policy) -> bool:
        """Scale in only if every other scale-in-enabled TT policy also wants to (spec 1.7.4):
        their AlarmLow must be in ALARM too."""
        others = [p for p in self.records.policies_of_target(scope, target)
                  if p["PolicyName"] != policy["PolicyName"]
                  and p.get("PolicyType") == "TargetTrackingScaling"
                  and not p["TargetTrackingScalingPolicyConfiguration"].get("DisableScaleIn")]
        if not others:
            return True
        names = [p["alarm_names"]["AlarmLow"] for p in others]
        states = {a["AlarmName"]: a.get("StateValue")
                  for a in self.alarms.cloudwatch.describe_alarms(
                      Caller(caller.account_id, caller.region), names)}
        return all(states.get(n) == "ALARM" for n in names)

    # -- changing capacity ---------------------------------------------------------------------
    def clamp_into_range(self, scope: str, caller: Caller, target: dict[str, Any],
                         resource, current: int) -> None:
        """Spec 1.4.3 / 3.4: a capacity outside [Min, Max] moves to the nearest bound (after
        RegisterScalableTarget or a scheduled action), not while an earlier change is still
        being fulfilled."""
        low, high = target["MinCapacity"], target["MaxCapacity"]
        if current < low:
            clamp_to, cause = low, f"minimum capacity was set to {low}"
        elif current > high:
            clamp_to, cause = high, f"maximum capacity was set to {high}"
        else:
            return
        if not self.activities.in_progress(scope, target):
            self.set_capacity(scope, caller, target, resource, clamp_to, cause)

    def set_capacity(self, scope: str, caller: Caller, target: dict[str, Any],
                     resource: resources.Resource, units: int, cause: str,
                     direction: Optional[str] = None, cooldown: int = 0) -> dict[str, Any]:
        """Start an activity that sets the target's capacity to `units` as the target's role."""
        words = f"{resource.direction.lower()} capacity units to {units}"
        now = self.clock.now()
        previous = self.activities.latest(scope, target)
        activity = self.activities.start(scope, target, f"Setting {words}.", cause, now)
        change = {"read_units": units} if resource.direction == "Read" else {"write_units": units}
        try:
            self.dynamodb.update_provisioned_throughput(caller, resource.table, resource.index,
                                                        **change)
        except AwsError as e:
            message = f"Failed to set {words}. Reason: {e.message}"
            if _same_failure(previous, activity, message):
                # CloudWatch re-invokes the policy each minute the alarm stays in ALARM (spec
                # 2.5.1); a refusal that has not changed (a scale-in held by DynamoDB's decrease
                # quota: the same "Next decrease can be made at" time) is recorded once.
                self.activities.discard(scope, activity)
                return previous
            return self.activities.advance(scope, activity, "failed", message, now)
        self.activities.advance(scope, activity, "accepted",
                                f"Successfully set {words}. Waiting for change to be fulfilled "
                                f"by dynamodb.")
        self.store.put_doc(POLL_KIND, scope, activity["ActivityId"], {
            "namespace": target["ServiceNamespace"], "resource_id": target["ResourceId"],
            "dimension": target["ScalableDimension"], "units": units, "words": words,
            "role_arn": target["RoleARN"], "started": now, "direction": direction,
            "cooldown": cooldown})
        self._schedule_poll(scope, activity["ActivityId"], now + self.poll_seconds)
        return activity

    def _schedule_poll(self, scope: str, activity_id: str, when: float) -> None:
        self.scheduler.call_at(when, lambda: self._poll(scope, activity_id),
                               key=f"aas:poll:{scope}:{activity_id}",
                               priority=Priority.AUTOSCALING_POLL)

    def _poll(self, scope: str, activity_id: str) -> None:
        poll = self.store.get_doc(POLL_KIND, scope, activity_id)
        activity = self.activities.get(scope, activity_id)
        if poll is None or activity is None or activity["StatusCode"] != "InProgress":
            self.store.delete_doc(POLL_KIND, scope, activity_id)
            return
        account, region = split_scope(scope)
        now = self.clock.now()
        resource = resources.parse(poll["namespace"], poll["resource_id"], poll["dimension"])
        try:
            capacity = resources.read_capacity(
                self.dynamodb, Caller(account, region, principal_arn=poll["role_arn"]), resource)
        except AwsError as e:
            self._finish(scope, activity, "failed",
                         f"Failed to set {poll['words']}. Reason: {e.message}", now)
            return
        if capacity.status == "ACTIVE":
            self._finish(scope, activity, "fulfilled",
                         f"Successfully set {poll['words']}. Change successfully fulfilled by "
                         f"dynamodb.", now)
            self._start_cooldown(scope, poll, now)
        elif now - poll["started"] >= UNFULFILLED_AFTER:
            self._finish(scope, activity, "timed_out",
                         f"Failed to set {poll['words']}. Change was not fulfilled by dynamodb.",
                         now)
        else:
            self._schedule_poll(scope, activity_id, now + self.poll_seconds)

    def _finish(self, scope, activity, event, message, now) -> None:
        with self.store.transaction():
            self.activities.advance(scope, activity, event, message, now)
            self.store.delete_doc(POLL_KIND, scope, activity["ActivityId"])

    def _start_cooldown(self, scope: str, poll: dict[str, Any], now: float) -> None:
        if poll.get("direction") not in ("out", "in"):
            return
        target = self.records.get_target(scope, poll["namespace"], poll["resource_id"],
                                         poll["dimension"])
        if target is None:
            return
        target[f"scale_{poll['direction']}_cooldown_until"] = now + (poll.get("cooldown") or 0)
        self.records.put_target(scope, target)

    # -- helpers -------------------------------------------------------------------------------
    def _put_alarms(self, caller: Caller, policy, resource, units: int) -> None:
        try:
            self.alarms.put(caller, policy, resource, units)
        except AwsError:
            log.exception("re-thresholding the alarms of %s failed", policy["PolicyARN"])

    @staticmethod
    def _resource(policy: dict[str, Any]) -> Optional[resources.Resource]:
        try:
            return resources.parse(policy["ServiceNamespace"], policy["ResourceId"],
                                   policy["ScalableDimension"])
        except AwsError:
            return None
