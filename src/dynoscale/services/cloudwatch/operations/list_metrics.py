"""ListMetrics: metrics with data in the last two weeks, filtered by Namespace, MetricName and
dimension filters (a metric with extra dimensions still matches); RecentlyActive=PT3H keeps
metrics with data in the last three hours; 500 per page (spec 5.6.5, model docs).
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services import paging
from dynoscale.services.cloudwatch import errors

PAGE = 500
TWO_WEEKS = 14 * 86400
THREE_HOURS = 3 * 3600


def _matches(meta: dict, request: dict) -> bool:
    if request.get("Namespace") and meta["Namespace"] != request["Namespace"]:
        return False
    if request.get("MetricName") and meta["MetricName"] != request["MetricName"]:
        return False
    dims = {d["Name"]: d["Value"] for d in meta["Dimensions"]}
    for f in request.get("Dimensions") or []:
        if f["Name"] not in dims or (f.get("Value") is not None and dims[f["Name"]] != f["Value"]):
            return False
    return True


def handle(svc, caller: Caller, request: dict) -> dict:
    now = svc.clock.now()
    since = now - (THREE_HOURS if request.get("RecentlyActive") == "PT3H" else TWO_WEEKS)
    seen, metrics = set(), []
    for meta in svc.metrics.list_series(since):
        if meta["scope"] != caller.scope or meta["metric"] in seen or not _matches(meta, request):
            continue
        seen.add(meta["metric"])
        metrics.append({"Namespace": meta["Namespace"], "MetricName": meta["MetricName"],
                        "Dimensions": meta["Dimensions"]})
    page, token = paging.page(metrics, request.get("NextToken"), PAGE, errors.invalid_next_token)
    out = {"Metrics": page}
    if token:
        out["NextToken"] = token
    return out
