"""DescribeScalingPolicies (spec 1.8): filters ResourceId, ScalableDimension, PolicyNames;
MaxResults 1..10, default 10 (not 50, spec 1.8.1); each policy lists its four alarms."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import paging, targets_and_policies

MAX_RESULTS = 10


def handle(svc, caller: Caller, request: dict) -> dict:
    names = set(request.get("PolicyNames") or [])
    dimension = request.get("ScalableDimension")
    found = [p for p in svc.records.list_policies(caller.scope, request["ServiceNamespace"],
                                                  request.get("ResourceId"))
             if (not names or p["PolicyName"] in names)
             and (dimension is None or p["ScalableDimension"] == dimension)]
    chunk, token = paging.page(found, request.get("MaxResults"), request.get("NextToken"),
                               MAX_RESULTS)
    out = {"ScalingPolicies": [targets_and_policies.policy_output(p) for p in chunk]}
    if token:
        out["NextToken"] = token
    return out
