"""Alarm history (DescribeAlarmHistory): ConfigurationUpdate, StateUpdate and Action items of
metric and composite alarms (AlarmType MetricAlarm | CompositeAlarm, model doc of
AlarmHistoryItem).

Items are documents ordered by time; they survive DeleteAlarms, as on AWS (spec 5.5.8).
HistoryData is compact JSON text, like AWS's.

Retention: items older than RETENTION_SECONDS of simulated time are not listed and are deleted
(checked at most once per simulated hour per account and Region, when an item is added). The
CloudWatch CLI reference (docs.aws.amazon.com/AmazonCloudWatch/latest/cli/
cli-mon-describe-alarm-history.html) documented two weeks; the current API reference
(API_DescribeAlarmHistory.html) gives no figure, and tools written against CloudWatch today
describe 30 days. Inferred: 30 days, the longer, so nothing AWS may still list is dropped early.
"""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any, Optional

KIND = "cloudwatch:alarm-history"
RETENTION_SECONDS = 30 * 86400
PRUNE_EVERY = 3600.0


def alarm_type(alarm: dict[str, Any]) -> str:
    return "CompositeAlarm" if alarm.get("AlarmRule") is not None else "MetricAlarm"


class History:
    def __init__(self, store: Any):
        self.store = store
        # Orders items written in the same millisecond; the uuid keeps ids unique across restarts.
        self._seq = itertools.count()
        self._pruned: dict[str, float] = {}   # scope -> when expired items were last deleted

    def add(self, scope: str, alarm_name: str, item_type: str, summary: str,
            data: dict[str, Any], when: float, alarm_type: str = "MetricAlarm") -> None:
        item_id = f"{int(round(when * 1000)):015d}-{next(self._seq):09d}-{uuid.uuid4().hex[:8]}"
        self.store.put_doc(KIND, scope, item_id, {
            "AlarmName": alarm_name, "AlarmType": alarm_type, "Timestamp": when,
            "HistoryItemType": item_type, "HistorySummary": summary[:255],
            "HistoryData": json.dumps(data, separators=(",", ":")),
        })
        if when - self._pruned.get(scope, float("-inf")) >= PRUNE_EVERY:
            self._pruned[scope] = when
            self._prune(scope, when - RETENTION_SECONDS)

    def _prune(self, scope: str, before: float) -> None:
        for _, item_id, item in self.store.list_docs(KIND, scope):   # in time order (the id)
            if item["Timestamp"] >= before:
                break
            self.store.delete_doc(KIND, scope, item_id)

    def query(self, scope: str, alarm_name: Optional[str] = None, item_type: Optional[str] = None,
              start: Optional[float] = None, end: Optional[float] = None,
              newest_first: bool = True, alarm_types: Optional[list[str]] = None,
              now: Optional[float] = None) -> list[tuple[str, dict[str, Any]]]:
        """Matching items in time order (newest first by default); none older than the
        retention before `now`."""
        if now is not None:
            start = max(start if start is not None else float("-inf"), now - RETENTION_SECONDS)
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
