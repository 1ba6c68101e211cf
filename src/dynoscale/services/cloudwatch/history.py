"""Alarm history (DescribeAlarmHistory): ConfigurationUpdate, StateUpdate and Action items of
metric and composite alarms (AlarmType MetricAlarm | CompositeAlarm, model doc of
AlarmHistoryItem).

Items are documents ordered by time; they survive DeleteAlarms, as on AWS (spec 5.5.8).
HistoryData is compact JSON text, like AWS's.
"""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any, Optional

KIND = "cloudwatch:alarm-history"


def alarm_type(alarm: dict[str, Any]) -> str:
    return "CompositeAlarm" if alarm.get("AlarmRule") is not None else "MetricAlarm"


class History:
    def __init__(self, store: Any):
        self.store = store
        # Orders items written in the same millisecond; the uuid keeps ids unique across restarts.
        self._seq = itertools.count()

    def add(self, scope: str, alarm_name: str, item_type: str, summary: str,
            data: dict[str, Any], when: float, alarm_type: str = "MetricAlarm") -> None:
        item_id = f"{int(round(when * 1000)):015d}-{next(self._seq):09d}-{uuid.uuid4().hex[:8]}"
        self.store.put_doc(KIND, scope, item_id, {
            "AlarmName": alarm_name, "AlarmType": alarm_type, "Timestamp": when,
            "HistoryItemType": item_type, "HistorySummary": summary[:255],
            "HistoryData": json.dumps(data, separators=(",", ":")),
        })

    def query(self, scope: str, alarm_name: Optional[str] = None, item_type: Optional[str] = None,
              start: Optional[float] = None, end: Optional[float] = None,
              newest_first: bool = True,
              alarm_types: Optional[list[str]] = None) -> list[tuple[str, dict[str, Any]]]:
        items = []
        for _, item_id, item in self.store.list_docs(KIND, scope):
            if alarm_types is not None and item.get("AlarmType", "MetricAlarm") not in alarm_types:
                continue
            if alarm_name is not None and item["AlarmName"] != alarm_name:
                continue
            if item_type is not None and item["HistoryItemType"] != item_type:
                continue
            if start is not None and item["Timestamp"] < start:
                continue
            if end is not None and item["Timestamp"] >= end:
                continue
            items.append((item_id, item))
        if newest_first:
            items.reverse()
        return items
