"""DescribeAlarmHistory: ConfigurationUpdate / StateUpdate / Action items of metric and composite
alarms (AlarmTypes, default metric alarms only), newest first by default, filtered by AlarmName,
HistoryItemType and [StartDate, EndDate),
MaxRecords 1..100 (default 100) per page (spec 5.5.8, model docs). Items outlive their alarm.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import paging

DEFAULT_MAX_RECORDS = 100


def handle(svc, caller: Caller, request: dict) -> dict:
    types = request.get("AlarmTypes") or ["MetricAlarm"]
    items = svc.history.query(caller.scope, request.get("AlarmName"), request.get("HistoryItemType"),
                              request.get("StartDate"), request.get("EndDate"),
                              newest_first=request.get("ScanBy", "TimestampDescending")
                              == "TimestampDescending", alarm_types=types)
    offset = paging.decode_offset(request["NextToken"]) if request.get("NextToken") else 0
    limit = request.get("MaxRecords") or DEFAULT_MAX_RECORDS
    page = items[offset:offset + limit]
    out = {"AlarmHistoryItems": [item for _, item in page]}
    if offset + limit < len(items):
        out["NextToken"] = paging.encode(str(offset + limit))
    return out
