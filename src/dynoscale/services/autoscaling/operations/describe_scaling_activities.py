"""DescribeScalingActivities (spec 3, 1.12): newest first; filters ResourceId and
ScalableDimension; MaxResults 1..50 (default 50); NextToken; not-scaled activities only with
IncludeNotScaledActivities=true (spec 3.5)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.autoscaling import paging
from dynoscale.services.autoscaling.activities import activity_output

MAX_RESULTS = 50


def handle(svc, caller: Caller, request: dict) -> dict:
    found = svc.activities.list(caller.scope, request["ServiceNamespace"],
                                request.get("ResourceId"), request.get("ScalableDimension"),
                                bool(request.get("IncludeNotScaledActivities")), svc.clock.now())
    chunk, token = paging.page(found, request.get("MaxResults"), request.get("NextToken"),
                               MAX_RESULTS)
    out = {"ScalingActivities": [activity_output(a) for a in chunk]}
    if token:
        out["NextToken"] = token
    return out
