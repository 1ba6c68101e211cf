"""Application Auto Scaling (botocore name `application-autoscaling`, awsJson1_1, target prefix
AnyScaleFrontendService) for DynamoDB: scalable targets, target tracking policies, scaling
activities. Facts: docs/behaviour/autoscaling-cloudwatch-iam.md §1-§3 (from the botocore model and
the Application Auto Scaling User Guide, as each entry says).

It reaches CloudWatch (alarms, alarm actions), DynamoDB (capacity) and IAM (the service-linked
role) only through their ports. Everything lives in the store; `start()` registers the alarm
action handler and the capacity listener, and re-arms the polls of unfinished activities.
"""

from __future__ import annotations

from dynoscale.services.autoscaling.activities import Activities
from dynoscale.services.autoscaling.alarms import PolicyAlarms
from dynoscale.services.autoscaling.idle import IdleScaleIn
from dynoscale.services.autoscaling.linked_role import RoleCloudWatch, RoleDynamoDB
from dynoscale.services.autoscaling.operations import OPERATIONS
from dynoscale.services.autoscaling.targets_and_policies import Records
from dynoscale.services.autoscaling.scaling import Scaler
from dynoscale.services.autoscaling.scheduled_actions import ScheduledActions
from dynoscale.services.autoscaling.wire import WIRE
from dynoscale.services.autoscaling import access
from dynoscale.services.registry import Parts, Service, bind
from dynoscale.timing import FAST, TimingProfile

POLICY_ACTION_PREFIX = "arn:aws:autoscaling:"
# Spec 1.4.7-1.4.9: the DynamoDB service-linked role AAS uses (and reports) for dynamodb targets.
SLR_SERVICE = "dynamodb.application-autoscaling.amazonaws.com"
SLR_NAME = "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"


class AutoScalingService:
    def __init__(self, store, clock, scheduler, config, cloudwatch_api, dynamodb_api, iam_api,
                 timing: TimingProfile = FAST):
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.config = config
        # Everything AAS does on CloudWatch and DynamoDB it does as the service-linked role,
        # within that role's AWS-managed policy (linked_role.py).
        cloudwatch_api = RoleCloudWatch(cloudwatch_api)
        dynamodb_api = RoleDynamoDB(dynamodb_api)
        self.cloudwatch = cloudwatch_api
        self.dynamodb = dynamodb_api
        self.iam = iam_api
        self.records = Records(store)
        self.activities = Activities(store, self.records)
        self.alarms = PolicyAlarms(cloudwatch_api)
        self.scaler = Scaler(store, clock, scheduler, self.records, self.activities, self.alarms,
                             dynamodb_api, poll_seconds=timing.scaling_poll)
        self.idle = IdleScaleIn(store, clock, scheduler, self.records, self.activities,
                                cloudwatch_api, dynamodb_api, self.scaler,
                                delay=timing.alarm_delay)
        self.scheduled = ScheduledActions(store, clock, scheduler, self.records, self.activities,
                                          self.scaler)
        self.service = Service(name=WIRE.name, operations=bind(OPERATIONS, self),
                               access=access.Requests(iam_api, SLR_SERVICE, SLR_NAME))

    def start(self) -> None:
        self.cloudwatch.register_action_handler(POLICY_ACTION_PREFIX, self.scaler.on_alarm)
        self.dynamodb.add_capacity_listener(self.scaler.on_capacity_change)
        self.scaler.rearm()
        self.idle.arm()
        self.scheduled.rearm()

    def service_linked_role(self, account_id: str) -> str:
        return self.iam.ensure_service_linked_role(account_id, SLR_SERVICE, SLR_NAME)


def build(parts: Parts) -> AutoScalingService:
    return AutoScalingService(parts.store, parts.clock, parts.scheduler, parts.config,
                              parts.ports["cloudwatch"], parts.ports["dynamodb"], parts.ports["iam"],
                              parts.timing)
