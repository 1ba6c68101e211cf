"""DescribeScheduledActions (spec 1.10.2): filters ScheduledActionNames, ResourceId,
ScalableDimension; creation order; MaxResults 1..50 (default 50), NextToken. Actions that have
run stay listed (spec 4.8)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import paging, scheduled_actions

MAX_RESULTS = 50


def handle(svc, caller: Caller, request: dict) -> dict:
    names = set(request.get("ScheduledActionNames") or [])
    resource_id, dimension = request.get("ResourceId"), request.get("ScalableDimension")
    found = [a for a in svc.scheduled.list(caller.scope, request["ServiceNamespace"])
             if (not names or a["ScheduledActionName"] in names)
             and (resource_id is None or a["ResourceId"] == resource_id)
             and (dimension is None or a["ScalableDimension"] == dimension)]
    chunk, token = paging.page(found, request.get("MaxResults"), request.get("NextToken"),
                               MAX_RESULTS)
    out = {"ScheduledActions": [scheduled_actions.action_output(a) for a in chunk]}
    if token:
        out["NextToken"] = token
    return out
