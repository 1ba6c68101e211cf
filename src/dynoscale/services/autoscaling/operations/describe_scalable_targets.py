"""DescribeScalableTargets (spec 1.5): filters ResourceIds and ScalableDimension, insertion order,
MaxResults 1..50 (default 50), NextToken; SuspendedState always complete (spec 1.4.11)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import paging, targets_and_policies

MAX_RESULTS = 50


def handle(svc, caller: Caller, request: dict) -> dict:
    resource_ids = set(request.get("ResourceIds") or [])
    dimension = request.get("ScalableDimension")
    found = [t for t in svc.records.list_targets(caller.scope, request["ServiceNamespace"])
             if (not resource_ids or t["ResourceId"] in resource_ids)
             and (dimension is None or t["ScalableDimension"] == dimension)]
    chunk, token = paging.page(found, request.get("MaxResults"), request.get("NextToken"),
                               MAX_RESULTS)
    out = {"ScalableTargets": [targets_and_policies.target_output(t) for t in chunk]}
    if token:
        out["NextToken"] = token
    return out
