"""What the dashboard shows, read through the services' own operations (DescribeTable,
GetMetricStatistics, DescribeAlarms, DescribeScalingActivities, ...) called in process, so the
page sees exactly what an AWS client would: no second view of the state to keep in step.

Three documents, all JSON (routes.py serves them; the page and the tests read the same ones):
- overview: the clock, every table with its indexes, billing, capacity, counts, stream, TTL and
  scalable targets with their policies, every alarm and the latest scaling activities;
- capacity: for one table or GSI and a window of minutes, per minute: consumed units per second
  (the minute's Sum / 60, as the console's "Consumed" graph), provisioned units, throttle events
  and throttled requests, read and write; the thresholds of the alarms on it (in units per
  second), their state changes, and the scaling activities of its targets;
- capacity per second: the same for the last few minutes second by second, from DynamoDB's
  per-second counters (its port: no AWS API reads them), without throttled requests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from dynoscale.context import Caller
from dynoscale.errors import AwsError

DDB, CW, AAS = "dynamodb", "cloudwatch", "application-autoscaling"
MAX_MINUTES = 24 * 60
MAX_SECONDS = 300  # what DynamoDB keeps per second (services/dynamodb/capacity/seconds.py)
ACTIVITIES = 50


class NotFound(Exception):
    """An unknown table or index: the API answers 404."""


class Views:
    def __init__(self, app):
        self.app = app

    # -- calling the services ------------------------------------------------------------------
    def _call(self, service: str, operation: str, caller: Caller, params: dict) -> dict:
        return self.app.services[service].operations[operation](caller, params)

    def _all(self, service: str, operation: str, caller: Caller, params: dict, items: str,
             token: str = "NextToken", start: Optional[str] = None) -> list:
        """Every page of a listing: `token` is the output member, `start` the input one."""
        out, request = [], dict(params)
        while True:
            page = self._call(service, operation, caller, request)
            out += page.get(items, [])
            if not page.get(token):
                return out
            request[start or token] = page[token]

    def caller(self, account: Optional[str], region: Optional[str]) -> Caller:
        config = self.app.config
        return Caller(account or config.account_id, region or config.region, "dashboard")

    # -- overview ------------------------------------------------------------------------------
    def overview(self, caller: Caller) -> dict:
        names = self._all(DDB, "ListTables", caller, {}, "TableNames",
                          token="LastEvaluatedTableName", start="ExclusiveStartTableName")
        targets = self._all(AAS, "DescribeScalableTargets", caller, {"ServiceNamespace": "dynamodb"},
                            "ScalableTargets")
        policies = self._all(AAS, "DescribeScalingPolicies", caller, {"ServiceNamespace": "dynamodb"},
                             "ScalingPolicies")
        tables = []
        for name in names:
            try:
                tables.append(self._table(caller, name, targets, policies))
            except AwsError:  # deleted between the listing and now
                continue
        alarms = self._all(CW, "DescribeAlarms", caller, {}, "MetricAlarms")
        activities = self._call(AAS, "DescribeScalingActivities", caller,
                                {"ServiceNamespace": "dynamodb", "MaxResults": ACTIVITIES})
        return {"clock": self.clock(), "account": caller.account_id, "region": caller.region,
                "tables": tables, "alarms": [_alarm(a) for a in alarms],
                "activities": [_activity(a) for a in activities["ScalingActivities"]]}

    def clock(self) -> dict:
        clock = self.app.clock
        now = clock.now()
        return {"mode": clock.mode, "now": now, "iso": _iso(now), "time_scale": clock.time_scale}

    def _table(self, caller: Caller, name: str, targets: list, policies: list) -> dict:
        table = self._call(DDB, "DescribeTable", caller, {"TableName": name})["Table"]
        ttl = self._call(DDB, "DescribeTimeToLive", caller, {"TableName": name})
        ttl = ttl.get("TimeToLiveDescription", {})
        stream = table.get("StreamSpecification") or {}
        billing = (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
        indexes = [_index(i, "GSI") for i in table.get("GlobalSecondaryIndexes", [])] + \
                  [_index(i, "LSI") for i in table.get("LocalSecondaryIndexes", [])]
        return {
            "name": name, "status": table["TableStatus"], "billing": billing,
            **_throughput(table, billing),
            "items": table.get("ItemCount", 0), "bytes": table.get("TableSizeBytes", 0),
            "stream": {"enabled": bool(stream.get("StreamEnabled")),
                       "viewType": stream.get("StreamViewType"),
                       "arn": table.get("LatestStreamArn")},
            "ttl": {"status": ttl.get("TimeToLiveStatus", "DISABLED"),
                    "attribute": ttl.get("AttributeName")},
            "indexes": indexes,
            "scaling": _scaling(name, targets, policies),
        }

    # -- capacity ------------------------------------------------------------------------------
    def _described(self, caller: Caller, table: str, index: Optional[str]) -> dict:
        try:
            described = self._call(DDB, "DescribeTable", caller, {"TableName": table})["Table"]
        except AwsError as e:
            raise NotFound(e.message) from None
        if index is not None and index not in {i["IndexName"] for i in
                                               described.get("GlobalSecondaryIndexes", [])}:
            raise NotFound(f"table {table} has no global secondary index {index}")
        return described

    def capacity(self, caller: Caller, table: str, index: Optional[str], minutes: int) -> dict:
        described = self._described(caller, table, index)
        now = self.app.clock.now()
        end = (now // 60 + 1) * 60
        start = end - minutes * 60
        dims = [{"Name": "TableName", "Value": table}]
        if index:
            dims.append({"Name": "GlobalSecondaryIndexName", "Value": index})
        current = _current_throughput(described, index)
        out: dict[str, Any] = {"table": table, "index": index, "resolution": "minute",
                               "start": start, "end": end, "now": now,
                               "minutes": [start + 60 * i for i in range(minutes)]}
        for direction, metric in (("read", "Read"), ("write", "Write")):
            consumed = self._per_minute(caller, f"Consumed{metric}CapacityUnits", dims, start, end,
                                        "Sum")
            # a five-minute metric: its periods from the one the window starts in, carried
            # forward minute by minute (_carried)
            provisioned = self._per_minute(caller, f"Provisioned{metric}CapacityUnits", dims,
                                           start - 300, end, "Maximum", period=300)
            events = self._per_minute(caller, f"{metric}ThrottleEvents", dims, start, end, "Sum")
            out[direction] = {
                "consumed": [None if v is None else v / 60 for v in
                             (consumed.get(m) for m in out["minutes"])],
                "provisioned": _carried(provisioned, out["minutes"], current[direction]),
                "throttleEvents": [events.get(m, 0) for m in out["minutes"]],
                "current": current[direction],
            }
        throttled = self._throttled_requests(caller, table, index, start, end, out["minutes"])
        out["throttledRequests"] = throttled["all"]
        for direction in ("read", "write"):
            out[direction]["throttledRequests"] = throttled[direction]
        out.update(self._marks(caller, table, index, start, end))
        return out

    def capacity_seconds(self, caller: Caller, table: str, index: Optional[str],
                         seconds: int) -> dict:
        """The last `seconds` whole seconds (up to and including the current, partial one),
        from DynamoDB's per-second counters (its port's recent_seconds): CloudWatch has nothing
        finer than a minute for AWS/DynamoDB. Consumed units are the units charged in each
        second, so one 98-unit write is a 98 in its second; ThrottledRequests is not kept per
        second (see the per-minute document)."""
        described = self._described(caller, table, index)
        now = self.app.clock.now()
        end = int(now) + 1
        start = end - seconds
        current = _current_throughput(described, index)
        recent = self._dynamodb().recent_seconds(caller, table, index, start, end)
        out: dict[str, Any] = {"table": table, "index": index, "resolution": "second",
                               "start": start, "end": end, "now": now,
                               "seconds": list(range(start, end))}
        for direction in ("read", "write"):
            series = recent[direction]
            out[direction] = {"consumed": series["consumed"],
                              "provisioned": _filled(series["provisioned"], current[direction]),
                              "throttleEvents": series["throttleEvents"],
                              "current": current[direction]}
        out.update(self._marks(caller, table, index, start, end))
        return out

    def _dynamodb(self):
        """DynamoDB's port (services/dynamodb/api.py), for what no AWS operation shows."""
        return next(c.api for c in self.app.components if c.service.name == DDB)

    def _marks(self, caller: Caller, table: str, index: Optional[str], start: float,
               end: float) -> dict:
        """What the charts draw over the series: the alarms on the table or GSI (thresholds in
        units per second), their state changes in the window, its scaling activities."""
        alarms = [a for a in self._all(CW, "DescribeAlarms", caller, {}, "MetricAlarms")
                  if _on(a, table, index)]
        resource = f"table/{table}" + (f"/index/{index}" if index else "")
        activities = self._call(AAS, "DescribeScalingActivities", caller,
                                {"ServiceNamespace": "dynamodb", "ResourceId": resource,
                                 "MaxResults": ACTIVITIES})["ScalingActivities"]
        return {"alarms": [{**_alarm(a), "direction": _direction(a.get("MetricName", "")),
                            "unitsPerSecond": _per_second(a)} for a in alarms],
                "alarmChanges": self._alarm_changes(caller, [a["AlarmName"] for a in alarms],
                                                    start, end),
                "activities": [_activity(a) for a in activities]}

    def _per_minute(self, caller: Caller, metric: str, dims: list, start: float, end: float,
                    statistic: str, period: int = 60) -> dict:
        points = self._call(CW, "GetMetricStatistics", caller, {
            "Namespace": "AWS/DynamoDB", "MetricName": metric, "Dimensions": dims,
            "StartTime": start, "EndTime": end, "Period": period, "Statistics": [statistic]})
        return {p["Timestamp"]: p[statistic] for p in points["Datapoints"]}

    def _throttled_requests(self, caller: Caller, table: str, index: Optional[str], start: float,
                            end: float, minutes: list) -> dict:
        """ThrottledRequests is per TableName + Operation: the sums over the operations seen,
        in all and split into reads and writes by operation (_operation_direction)."""
        totals = {d: [0.0] * len(minutes) for d in ("all", "read", "write")}
        if index is not None:  # AWS reports it per table only
            return totals
        series = self._all(CW, "ListMetrics", caller, {
            "Namespace": "AWS/DynamoDB", "MetricName": "ThrottledRequests",
            "Dimensions": [{"Name": "TableName", "Value": table}]}, "Metrics")
        for s in series:
            points = self._per_minute(caller, "ThrottledRequests", s["Dimensions"], start, end, "Sum")
            direction = _operation_direction({d["Name"]: d["Value"] for d in s["Dimensions"]})
            for i, m in enumerate(minutes):
                totals["all"][i] += points.get(m, 0)
                totals[direction][i] += points.get(m, 0)
        return totals

    def _alarm_changes(self, caller: Caller, names: list, start: float, end: float) -> list:
        changes = []
        for name in names:
            items = self._all(CW, "DescribeAlarmHistory", caller, {
                "AlarmName": name, "HistoryItemType": "StateUpdate", "StartDate": start,
                "EndDate": end + 60}, "AlarmHistoryItems")
            changes += [{"alarm": name, "time": i["Timestamp"], "summary": i["HistorySummary"]}
                        for i in items]
        return sorted(changes, key=lambda c: c["time"])


# -- shaping ----------------------------------------------------------------------------------------
def _iso(epoch: Optional[float]) -> Optional[str]:
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _throughput(doc: dict, billing: str) -> dict:
    if billing == "PAY_PER_REQUEST":
        limits = doc.get("OnDemandThroughput") or {}
        return {"read": None, "write": None,
                "maxRead": limits.get("MaxReadRequestUnits"),
                "maxWrite": limits.get("MaxWriteRequestUnits")}
    throughput = doc.get("ProvisionedThroughput") or {}
    return {"read": throughput.get("ReadCapacityUnits"),
            "write": throughput.get("WriteCapacityUnits")}


def _index(doc: dict, kind: str) -> dict:
    out = {"name": doc["IndexName"], "kind": kind, "status": doc.get("IndexStatus", "ACTIVE"),
           "items": doc.get("ItemCount", 0), "bytes": doc.get("IndexSizeBytes", 0)}
    if kind == "GSI":
        throughput = doc.get("ProvisionedThroughput") or {}
        out["read"] = throughput.get("ReadCapacityUnits") or None
        out["write"] = throughput.get("WriteCapacityUnits") or None
    return out


def _current_throughput(table: dict, index: Optional[str]) -> dict:
    doc = table
    if index is not None:
        doc = next(i for i in table.get("GlobalSecondaryIndexes", []) if i["IndexName"] == index)
    throughput = doc.get("ProvisionedThroughput") or {}
    return {"read": throughput.get("ReadCapacityUnits") or None,
            "write": throughput.get("WriteCapacityUnits") or None}


def _carried(points: dict, minutes: list, current: Optional[float]) -> list:
    """Provisioned units per minute. The metric is a five-minute one (each period's point
    carries the highest setting of its five minutes), so each value is carried over the minutes
    that follow it; with nothing published yet (a new table), today's setting."""
    if not points:
        return [current] * len(minutes)
    last = None
    for m in sorted(points):
        if m <= minutes[0]:
            last = points[m]
    out = []
    for m in minutes:
        last = points.get(m, last)
        out.append(last)
    return out


def _filled(rates: list, current: Optional[float]) -> list:
    """Provisioned units per second: each second with requests knows the rate it was held to;
    a second without carries the one before it. Seconds before the window's first request take
    that request's rate [inferred: the nearest known setting], and a window without requests
    today's setting."""
    first = next((r for r in rates if r is not None), current)
    out, last = [], first
    for r in rates:
        if r is not None:
            last = r
        out.append(last)
    return out


def _scaling(table: str, targets: list, policies: list) -> list:
    mine = [t for t in targets if t["ResourceId"] == f"table/{table}"
            or t["ResourceId"].startswith(f"table/{table}/index/")]
    out = []
    for t in mine:
        out.append({
            "resource": t["ResourceId"], "dimension": t["ScalableDimension"],
            "min": t["MinCapacity"], "max": t["MaxCapacity"],
            "policies": [_policy(p) for p in policies if p["ResourceId"] == t["ResourceId"]
                         and p["ScalableDimension"] == t["ScalableDimension"]]})
    return out


def _policy(doc: dict) -> dict:
    config = doc.get("TargetTrackingScalingPolicyConfiguration") or {}
    metric = (config.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType")
    return {"name": doc["PolicyName"], "type": doc["PolicyType"], "target": config.get("TargetValue"),
            "metric": metric, "scaleOutCooldown": config.get("ScaleOutCooldown"),
            "scaleInCooldown": config.get("ScaleInCooldown"),
            "alarms": [a["AlarmName"] for a in doc.get("Alarms", [])]}


def _alarm(doc: dict) -> dict:
    return {"name": doc["AlarmName"], "state": doc["StateValue"], "reason": doc.get("StateReason"),
            "updated": doc.get("StateUpdatedTimestamp"), "metric": doc.get("MetricName"),
            "statistic": doc.get("Statistic"), "period": doc.get("Period"),
            "threshold": doc.get("Threshold"), "comparison": doc.get("ComparisonOperator"),
            "dimensions": {d["Name"]: d["Value"] for d in doc.get("Dimensions", [])}}


def _on(alarm: dict, table: str, index: Optional[str]) -> bool:
    dims = {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}
    return (alarm.get("Namespace") == "AWS/DynamoDB" and dims.get("TableName") == table
            and dims.get("GlobalSecondaryIndexName") == index)


READS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}


def _operation_direction(dims: dict) -> str:
    """Whether a ThrottledRequests series (TableName + Operation, and Verb or OperationType for
    PartiQL: DynamoDB developer guide, "Metrics and dimensions") counts reads or writes."""
    operation = dims.get("Operation")
    if operation in READS or dims.get("Verb") == "PartiQLSelect" or \
            dims.get("OperationType") == "Read":
        return "read"
    return "write"


def _direction(metric: str) -> Optional[str]:
    if "Read" in metric:
        return "read"
    if "Write" in metric:
        return "write"
    return None


def _per_second(alarm: dict) -> Optional[float]:
    """A consumption alarm's threshold in units per second (a Sum over the period), the scale
    of the capacity chart; None for alarms on other metrics or statistics."""
    metric, period = alarm.get("MetricName", ""), alarm.get("Period") or 60
    if metric.startswith("Consumed") and alarm.get("Statistic") == "Sum":
        return alarm["Threshold"] / period
    if metric.startswith("Provisioned"):
        return alarm["Threshold"]
    return None


def _activity(doc: dict) -> dict:
    return {"id": doc["ActivityId"], "resource": doc["ResourceId"],
            "dimension": doc["ScalableDimension"], "description": doc["Description"],
            "cause": doc["Cause"], "status": doc["StatusCode"],
            "statusMessage": doc.get("StatusMessage"), "start": doc["StartTime"],
            "end": doc.get("EndTime")}
