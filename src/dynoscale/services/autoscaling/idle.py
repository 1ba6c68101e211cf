"""Idle dimensions are scaled in: what AWS does today with a target-tracking policy on a table
(or GSI) that has no traffic.

The evidence, newest first:
- Recent observations on AWS (Dynoscale issue 13, "Idle tables and scale-in"): an idle
  dimension with a target-tracking policy is scaled in to its MinCapacity about 10 minutes
  after the policy is created, and a manual in-bounds UpdateTable on an idle table is reverted
  the same way. Public accounts show the same: an idle lab table's
  `TargetTracking-table/<name>-AlarmLow-<uuid>` listed in ALARM (a public repository's test
  plan), and tables sitting at their minimum once traffic stops.
- The DynamoDB Developer Guide's page "Managing throughput capacity automatically with DynamoDB
  auto scaling" no longer carries the note, present in revisions up to about 2019, that auto
  scaling "doesn't scale down your provisioned capacity if your table's consumed capacity
  becomes zero" (with its workaround of sending requests or lowering the maximum). Dynoscale
  followed that note until now; it is AWS's behaviour no more.
- An idle minute of a provisioned table is not a missing datapoint: DynamoDB publishes one
  Consumed*CapacityUnits sample of 0 for it (Sum 0, SampleCount 1; a real account's
  target-tracking alarm shows `"sampleCount":1.0,"value":0.0`, services/dynamodb/metrics.py).
  So the AlarmLow alarm (Sum < (target-20)% of capacity for 15 one-minute periods) does reach
  ALARM on an idle table after 15 such minutes and scales it in the usual way; this module's
  rule acts earlier, at the ten minutes observed, on consumption that sums to 0.

The rule (inferred from the observations above; AWS documents none of it):
- each minute, a target-tracking policy whose consumed-capacity metric sums to 0 over the
  last IDLE_MINUTES complete one-minute periods (judged `delay` seconds behind, like the alarms:
  timing.py alarm_delay), and whose policy is at least that old and whose capacity has not been
  changed (by anyone) for that long, scales its target in to MinCapacity: the target tracking
  formula at zero load, ceil(0 / target) clamped to the minimum;
- as any policy scale-in it is skipped while DisableScaleIn is set, DynamicScalingInSuspended
  is set, the scale-in cooldown runs, or another activity of the target is unfinished; with
  other scale-in-enabled target-tracking policies on the target, all of them must be idle
  (spec 1.7.4);
- the activity reads as the alarm-driven one AWS records for a policy scale-in: Description
  `Setting write capacity units to <min>.`, Cause `monitor alarm <the policy's AlarmLow> in
  state ALARM triggered policy <name>` (spec 3.3; inferred: the only cause wording AWS uses for
  a policy-driven activity). The AlarmLow alarm itself keeps the state CloudWatch gives it.
There is no setting that restores the old behaviour: DisableScaleIn (or MinCapacity =
MaxCapacity) is how an AWS user keeps an idle table's capacity, here as there.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from dynoscale.clock import Priority
from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.autoscaling import resources
from dynoscale.services.autoscaling.activities import Activities
from dynoscale.services.autoscaling.targets_and_policies import POLICY_KIND, Records
from dynoscale.services.cloudwatch.api import CloudWatchApi

IDLE_MINUTES = 10  # "about 10 minutes after the policy is created" (observed, see above)
JOB_KEY = "aas:idle"
TARGET_TRACKING = "TargetTrackingScaling"


class IdleScaleIn:
    def __init__(self, store, clock, scheduler, records: Records, activities: Activities,
                 cloudwatch: CloudWatchApi, dynamodb, scaler, delay: float = 0.0):
        """`scaler`: starts the activity (scaling.Scaler.set_capacity); `delay`: how far behind
        the minute boundary the consumption is judged (the profile's alarm_delay)."""
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.records = records
        self.activities = activities
        self.cloudwatch = cloudwatch
        self.dynamodb = dynamodb
        self.scaler = scaler
        self.delay = delay

    def arm(self) -> None:
        # After the minute's metrics (DYNAMODB_METRICS) and alarms (ALARM_EVALUATION).
        self.scheduler.every(60, self.run, key=JOB_KEY, priority=Priority.ALARM_SCALING)

    def run(self) -> None:
        now = self.clock.now()
        for scope in sorted({scope for scope, _, _ in self.store.list_docs(POLICY_KIND)}):
            for policy in self.records.list_policies(scope, resources.NAMESPACE):
                try:
                    self._check(scope, policy, now)
                except AwsError:
                    continue  # the table or index is gone: nothing to scale

    def _idle(self, caller: Caller, policy: dict[str, Any], resource: resources.Resource,
              now: float) -> bool:
        end = math.floor((now - self.delay) / 60) * 60
        metric = f"Consumed{policy['metric_direction']}CapacityUnits"
        return self.cloudwatch.sum_of(caller, "AWS/DynamoDB", metric,
                                      resource.metric_dimensions(),
                                      end - IDLE_MINUTES * 60, end) == 0

    def _check(self, scope: str, policy: dict[str, Any], now: float) -> None:
        config = policy.get("TargetTrackingScalingPolicyConfiguration") or {}
        if policy.get("PolicyType") != TARGET_TRACKING or config.get("DisableScaleIn"):
            return
        window = IDLE_MINUTES * 60
        if now - policy["CreationTime"] < window:
            return
        target = self.records.get_target(scope, policy["ServiceNamespace"], policy["ResourceId"],
                                         policy["ScalableDimension"])
        if target is None or target.get("SuspendedState", {}).get("DynamicScalingInSuspended"):
            return
        if now < (target.get("scale_in_cooldown_until") or 0):
            return
        account, region = scope.split("/", 1)
        caller = Caller(account, region)
        resource = resources.parse(policy["ServiceNamespace"], policy["ResourceId"],
                                   policy["ScalableDimension"])
        measured = dataclasses.replace(resource, direction=policy["metric_direction"])
        if not self._idle(caller, policy, measured, now):
            return
        low = target["MinCapacity"]
        role = Caller(account, region, principal_arn=target["RoleARN"])
        capacity = resources.read_capacity(self.dynamodb, role, resource)
        if capacity.units <= low or capacity.status != "ACTIVE":
            return
        if capacity.changed is not None and now - capacity.changed < window:
            return
        if self.activities.in_progress(scope, target) or not self._others_idle(
                scope, caller, target, policy, now):
            return
        cause = (f"monitor alarm {policy['alarm_names']['AlarmLow']} in state ALARM triggered "
                 f"policy {policy['PolicyName']}")
        self.scaler.set_capacity(scope, role, target, resource, low, cause, "in",
                                 config.get("ScaleInCooldown", 0))

    def _others_idle(self, scope: str, caller: Caller, target: dict[str, Any],
                     policy: dict[str, Any], now: float) -> bool:
        for other in self.records.policies_of_target(scope, target):
            config = other.get("TargetTrackingScalingPolicyConfiguration") or {}
            if other["PolicyName"] == policy["PolicyName"] or \
                    other.get("PolicyType") != TARGET_TRACKING or config.get("DisableScaleIn"):
                continue
            resource = resources.parse(other["ServiceNamespace"], other["ResourceId"],
                                       other["ScalableDimension"])
            measured = dataclasses.replace(resource, direction=other["metric_direction"])
            if not self._idle(caller, other, measured, now):
                return False
        return True
