"""DescribeAlarmHistory: ConfigurationUpdate / StateUpdate / Action items of metric and composite
alarms (AlarmTypes, default metric alarms only), newest first by default, filtered by AlarmName,
HistoryItemType and [StartDate, EndDate),
MaxRecords 1..100 (default 100) per page (spec 5.5.8, model docs). Items outlive their alarm,
for 30 days (history.py).
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services import paging
from dynoscale.services.cloudwatch import errors

DEFAULT_MAX_RECORDS = 100


def handle(svc, caller: Caller, request: dict) -> dict:
    types = request.get("AlarmTypes") or ["MetricAlarm"]
    items = svc.history.query(caller.scope, request.get("AlarmName"), request.get("HistoryItemType"),
                              request.get("StartDate"), request.get("EndDate"),
                              newest_first=request.get("ScanBy", "TimestampDescending")
                              == "TimestampDescending", alarm_types=types,
                              now=svc.clock.now())
    page, token = paging.page(items, request.get("NextToken"),
                              request.get("MaxRecords") or DEFAULT_MAX_RECORDS,
                              errors.invalid_next_token)
    out = {"AlarmHistoryItems": [item for _, item in page]}
    if token:
        out["NextToken"] = token
    return out
