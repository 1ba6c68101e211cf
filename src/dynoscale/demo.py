"""`dynoscale demo`: AWS's tutorial "Using the AWS CLI to Manage DynamoDB Auto Scaling" end to end,
against a fresh server in accelerated time, for a newcomer's first minute.

Steps 1-6 as the tutorial has them, through botocore (the calls the aws CLI makes): the service
role and policy, TestTable at 5 WCU, the scalable target (5-10 WCU), the 50% target-tracking
policy, Step 5's 100 writes of ~98 WCU items (retried on throttling, with a progress bar), then
the scale-out activity and the table's new capacity.
"""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from typing import Any

from dynoscale.clock import Clock

TABLE = "TestTable"
ROLE = "MyIAMAutoscalingServiceRole"
POLICY = "MyIAMAutoscalingServicePolicy"
RESOURCE = f"table/{TABLE}"
DIMENSION = "dynamodb:table:WriteCapacityUnits"
FILLER = "x" * 100000
WALL_LIMIT = 120.0    # give up (exit 1) after this many wall seconds
THROTTLE_PAUSE = 0.05  # wall seconds before a throttled write is tried again

TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "application-autoscaling.amazonaws.com"},
    "Action": "sts:AssumeRole"}]}
SERVICE_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Resource": "*",
    "Action": ["dynamodb:DescribeTable", "dynamodb:UpdateTable", "cloudwatch:PutMetricAlarm",
               "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"]}]}
SCALING = {"PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
           "ScaleOutCooldown": 60, "ScaleInCooldown": 60, "TargetValue": 50.0}


def run(args: Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from dynoscale.testing.server import Server

    console = Console(highlight=False)
    started = Clock.wall_elapsed()
    console.print(f"[bold]Dynoscale demo[/bold]: AWS's DynamoDB auto scaling tutorial, with "
                  f"simulated time x{args.time_scale:g}")
    try:
        server = Server(time_scale=args.time_scale, in_memory=True).start()
    except Exception as e:
        console.print(f"[red]could not start a server:[/red] {e}")
        return 1
    try:
        console.print(f"server: {server.endpoint} (a fresh one, in memory)")
        iam, ddb, aas = (_client(server, name) for name in ("iam", "dynamodb",
                                                               "application-autoscaling"))
        step(console, 1, "Create a service role for Application Auto Scaling")
        iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(TRUST))
        arn = iam.create_policy(PolicyName=POLICY,
                                PolicyDocument=json.dumps(SERVICE_POLICY))["Policy"]["Arn"]
        iam.attach_role_policy(RoleName=ROLE, PolicyArn=arn)
        role_arn = iam.get_role(RoleName=ROLE)["Role"]["Arn"]
        step(console, 2, f"Create {TABLE} with 5 read and 5 write capacity units")
        ddb.create_table(TableName=TABLE,
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "N"},
                                               {"AttributeName": "sk", "AttributeType": "N"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                    {"AttributeName": "sk", "KeyType": "RANGE"}],
                         ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
        wait(lambda: ddb.describe_table(TableName=TABLE)["Table"]["TableStatus"] == "ACTIVE",
             started)
        step(console, 3, "Register a scalable target: write capacity between 5 and 10")
        aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=RESOURCE,
                                     ScalableDimension=DIMENSION, MinCapacity=5, MaxCapacity=10,
                                     RoleARN=role_arn)
        step(console, 4, "Create a target-tracking policy: keep consumed writes at 50%")
        alarms = aas.put_scaling_policy(
            ServiceNamespace="dynamodb", ResourceId=RESOURCE, ScalableDimension=DIMENSION,
            PolicyName="MyScalingPolicy", PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=SCALING)["Alarms"]
        console.print(f"   CloudWatch alarms created: {len(alarms)}")
        step(console, 5, "Drive write traffic: 100 items of about 98 write capacity units each")
        throttles = 0
        columns = (TextColumn("   writing"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("throttled {task.fields[throttled]}"))
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("write", total=100, throttled=0)
            for i in range(10):
                for j in range(10):
                    while True:
                        try:
                            ddb.put_item(TableName=TABLE, Item={
                                "pk": {"N": str(i)}, "sk": {"N": str(j)},
                                "filler": {"M": {"S": {"S": FILLER}}}})
                            break
                        except ddb.exceptions.ProvisionedThroughputExceededException:
                            throttles += 1
                            progress.update(task, throttled=throttles)
                            _check_time(started)
                            Clock.wall_sleep(THROTTLE_PAUSE)
                    progress.advance(task)
        console.print(f"   throttled writes (retried): {throttles}")
        step(console, 6, "View Application Auto Scaling actions")
        activity = wait(lambda: _scale_out(aas), started)
        console.print(f"   activity: [green]{activity['Description']}[/green] "
                      f"{activity['StatusCode']}")
        console.print(f"   cause:    {activity['Cause']}")
        wcu = ddb.describe_table(TableName=TABLE)["Table"]["ProvisionedThroughput"]["WriteCapacityUnits"]
        console.print(f"   {TABLE}: WriteCapacityUnits: [bold]{wcu}[/bold]")
        elapsed = Clock.wall_elapsed() - started
        console.print(f"[bold green]done[/bold green] in {elapsed:.0f} s of wall time: {TABLE} "
                      f"was throttled {throttles} times and scaled out from 5 to {wcu} WCU.")
        return 0
    except TimeoutError:
        console.print(f"[red]the demo did not finish within {WALL_LIMIT:g} s of wall time[/red]")
        return 1
    finally:
        server.stop()


def step(console, number: int, text: str) -> None:
    console.print(f"[bold]Step {number}[/bold]: {text}")


def _client(server, service: str):
    import botocore.config
    import botocore.session
    from dynoscale.testing.server import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY
    return botocore.session.get_session().create_client(
        service, endpoint_url=server.endpoint, region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY,
        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def _scale_out(aas) -> Any:
    for a in aas.describe_scaling_activities(ServiceNamespace="dynamodb")["ScalingActivities"]:
        if a["StatusCode"] == "Successful" and "Setting write capacity" in a["Description"]:
            return a
    return None


def _check_time(started: float) -> None:
    if Clock.wall_elapsed() - started > WALL_LIMIT:
        raise TimeoutError


def wait(condition, started: float):
    """Poll `condition()` every 0.1 wall seconds until it gives something true."""
    while True:
        result = condition()
        if result:
            return result
        _check_time(started)
        Clock.wall_sleep(0.1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(Namespace(time_scale=120.0)))
