"""Shared helpers for the Application Auto Scaling tests: tables, targets, and write traffic driven on
the manual clock (one put per step, then `advance`, so the token bucket refills between writes).
"""

from __future__ import annotations


def kinds(out: dict) -> dict[str, str]:
    names = [a["AlarmName"] for a in out["Alarms"]]
    return dict(zip(["AlarmHigh", "AlarmLow", "ProvisionedCapacityHigh", "ProvisionedCapacityLow"],
                    names))


WRITE_DIM = "dynamodb:table:WriteCapacityUnits"
READ_DIM = "dynamodb:table:ReadCapacityUnits"
SLR_ARN = ("arn:aws:iam::123456789012:role/aws-service-role/"
           "dynamodb.application-autoscaling.amazonaws.com/"
           "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")
TT_CONFIG = {"PredefinedMetricSpecification": {"PredefinedMetricType":
                                               "DynamoDBWriteCapacityUtilization"},
             "ScaleOutCooldown": 60, "ScaleInCooldown": 60, "TargetValue": 50.0}


class Kit:
    def __init__(self, server):
        self.server = server
        self.aas = server.client("application-autoscaling")
        self.ddb = server.client("dynamodb")
        self.cw = server.client("cloudwatch")

    def table(self, name: str, read: int = 5, write: int = 5, gsi: str | None = None) -> str:
        extra = {}
        attrs = [{"AttributeName": "pk", "AttributeType": "N"}]
        if gsi:
            attrs.append({"AttributeName": "g", "AttributeType": "S"})
            extra["GlobalSecondaryIndexes"] = [{
                "IndexName": gsi, "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
                "ProvisionedThroughput": {"ReadCapacityUnits": read, "WriteCapacityUnits": write}}]
        self.ddb.create_table(TableName=name, AttributeDefinitions=attrs,
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              ProvisionedThroughput={"ReadCapacityUnits": read,
                                                     "WriteCapacityUnits": write}, **extra)
        self.wait_active(name)
        return name

    def wait_active(self, name: str) -> dict:
        for _ in range(120):
            table = self.ddb.describe_table(TableName=name)["Table"]
            if table["TableStatus"] == "ACTIVE" and all(
                    g.get("IndexStatus") == "ACTIVE" for g in table.get("GlobalSecondaryIndexes", [])):
                return table
            self.server.advance(1)
        raise AssertionError(f"table {name} never became ACTIVE")

    def register(self, name: str, low: int = 5, high: int = 10, dim: str = WRITE_DIM, **kw):
        return self.aas.register_scalable_target(
            ServiceNamespace="dynamodb", ResourceId=f"table/{name}", ScalableDimension=dim,
            MinCapacity=low, MaxCapacity=high, **kw)

    def policy(self, name: str, config: dict | None = None, dim: str = WRITE_DIM,
               policy_name: str = "MyScalingPolicy"):
        return self.aas.put_scaling_policy(
            ServiceNamespace="dynamodb", ResourceId=f"table/{name}", ScalableDimension=dim,
            PolicyName=policy_name, PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=config or TT_CONFIG)

    def write_units(self, name: str) -> int:
        return self.ddb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"][
            "WriteCapacityUnits"]

    def activities(self, name: str, **kw) -> list[dict]:
        return self.aas.describe_scaling_activities(
            ServiceNamespace="dynamodb", ResourceId=f"table/{name}", **kw)["ScalingActivities"]

    def alarms(self, names: list[str]) -> dict[str, dict]:
        found = self.cw.describe_alarms(AlarmNames=names)["MetricAlarms"]
        return {a["AlarmName"]: a for a in found}

    def drive(self, name: str, seconds: int, units: int, every: int = 1) -> None:
        """Write one item of `units` write units every `every` simulated seconds."""
        filler = "x" * ((units - 1) * 1024 + 512)  # `units` KB once names are counted
        for i in range(0, seconds, every):
            self.ddb.put_item(TableName=name, Item={"pk": {"N": str(i % 50)},
                                                    "filler": {"S": filler}})
            self.server.advance(every)
