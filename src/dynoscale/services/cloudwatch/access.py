"""The IAM permissions each CloudWatch call needs under `--auth enforce` (Service Authorization
Reference, "Actions, resources, and condition keys for Amazon CloudWatch"): `cloudwatch:<Operation>`
on the alarm ARN (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`) for the calls that name
alarms (every alarm for DeleteAlarms and the like), on the ResourceARN for tagging, and on `*`
for metric calls and DescribeAlarms, which have no resource-level permissions."""

from __future__ import annotations

from typing import Any

from dynoscale.services.registry import Access


def alarm_arn(caller, name: str) -> str:
    return f"arn:aws:cloudwatch:{caller.region}:{caller.account_id}:alarm:{name}"


def requests(caller, operation: str, request: dict[str, Any]) -> list[Access]:
    action = f"cloudwatch:{operation}"
    if request.get("ResourceARN"):
        return [Access(action, request["ResourceARN"])]
    if operation != "DescribeAlarms" and request.get("AlarmNames"):
        return [Access(action, alarm_arn(caller, n)) for n in request["AlarmNames"]]
    if request.get("AlarmName"):
        return [Access(action, alarm_arn(caller, request["AlarmName"]))]
    return [Access(action, "*")]
