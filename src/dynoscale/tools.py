"""Client commands for a running server: `dynoscale clock`, `advance`, `reset`, `tables`, `top`.

Only public AWS APIs (through botocore, exactly as any SDK would call them) and the admin
endpoints (admin_client.py): these tools work against any Dynoscale, local or in CI.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, Optional, TextIO

from dynoscale import durations
from dynoscale.admin_client import AdminClient, AdminError
from dynoscale.config import credentials

CLOUDWATCH_WINDOW = 3600  # `dynoscale clock` prints the last simulated hour as a query window


def run(command: str, args, out: TextIO = sys.stdout) -> int:
    admin = AdminClient(args.endpoint, timeout=600, credentials=credentials())
    try:
        if command == "clock":
            show_clock(admin.clock(), out)
        elif command == "advance":
            try:
                seconds = durations.parse(args.duration)
            except ValueError as e:
                print(f"dynoscale advance: {e}", file=sys.stderr)
                return 2
            state = admin.advance(seconds)
            print(f"advanced {durations.format(seconds)}: now {state['iso']} "
                  f"({state['jobs_run']} timed jobs ran)", file=out)
        elif command == "reset":
            admin.reset()
            print(f"reset {args.endpoint}: every resource forgotten", file=out)
        elif command == "tables":
            rows = table_rows(Clients(args), admin.clock()["now"], args.minutes)
            if args.json:
                print(json.dumps(rows, indent=2, default=str), file=out)
            else:
                print_tables(rows, args.minutes, out)
        elif command == "top":
            from dynoscale.top import top
            return top(Clients(args), admin, args.interval, args.iterations)
        return 0
    except AdminError as e:
        print(f"dynoscale {command}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a botocore error talking to the server: one line, not a traceback
        print(f"dynoscale {command}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


# -- clock ---------------------------------------------------------------------------------------
def iso(ts: float) -> str:
    """ISO 8601 UTC with a Z, as the aws CLI accepts for --start-time/--end-time."""
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def show_clock(state: dict[str, Any], out: TextIO) -> None:
    now, offset = state["now"], state.get("offset_seconds", 0.0)
    mode = state["mode"] + (f" x{state['time_scale']:g}" if state["mode"] == "scaled" else "")
    if abs(offset) < 1:
        relation = "simulated time is wall time"
    else:
        relation = (f"simulated time is {durations.format(abs(offset))} "
                    f"{'ahead of' if offset > 0 else 'behind'} wall time")
    print(f"mode:    {mode}", file=out)
    print(f"now:     {iso(now)}  ({now:.3f})", file=out)
    print(f"wall:    {iso(state.get('wall_now', now - offset))}  ({relation})", file=out)
    print("CloudWatch, the last simulated hour:", file=out)
    print(f"  --start-time {iso(now - CLOUDWATCH_WINDOW)} --end-time {iso(now)}", file=out)


# -- tables --------------------------------------------------------------------------------------
class Clients:
    """botocore clients of the server, one attempt per call (a tool shows what it gets)."""

    def __init__(self, args):
        import botocore.config
        import botocore.session
        key, secret = credentials()
        session = botocore.session.get_session()
        config = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
        make = lambda name: session.create_client(  # noqa: E731
            name, endpoint_url=args.endpoint, region_name=args.region, aws_access_key_id=key,
            aws_secret_access_key=secret, config=config)
        self.dynamodb = make("dynamodb")
        self.cloudwatch = make("cloudwatch")
        self.autoscaling = make("application-autoscaling")


METRICS = (("read", "ConsumedReadCapacityUnits"), ("write", "ConsumedWriteCapacityUnits"),
           ("read_throttles", "ReadThrottleEvents"), ("write_throttles", "WriteThrottleEvents"))


def table_names(ddb) -> list[str]:
    names: list[str] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = ddb.list_tables(**kwargs)
        names += page["TableNames"]
        if "LastEvaluatedTableName" not in page:
            return names
        kwargs["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]


def table_rows(clients: Clients, now: float, minutes: int) -> list[dict[str, Any]]:
    """One row per table: status, provisioned capacity (None when on demand), units consumed
    and throttle events over the last `minutes` simulated minutes (Sum of the per-minute
    AWS/DynamoDB metrics), and the state of each alarm on the table's metrics."""
    names = table_names(clients.dynamodb)
    alarms = _alarms_by_table(clients.cloudwatch)
    sums = _metric_sums(clients.cloudwatch, names, now, minutes)
    rows = []
    for name in names:
        table = clients.dynamodb.describe_table(TableName=name)["Table"]
        on_demand = table.get("BillingModeSummary", {}).get("BillingMode") == "PAY_PER_REQUEST"
        pt = table.get("ProvisionedThroughput", {})
        rows.append({"table": name, "status": table["TableStatus"],
                     "rcu": None if on_demand else pt.get("ReadCapacityUnits"),
                     "wcu": None if on_demand else pt.get("WriteCapacityUnits"),
                     **{key: sums.get((name, key), 0.0) for key, _ in METRICS},
                     "alarms": alarms.get(name, [])})
    return rows


def _alarms_by_table(cw) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for page in cw.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm"]):
        for alarm in page["MetricAlarms"]:
            dims = {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}
            table = dims.get("TableName")
            if table:
                out.setdefault(table, []).append(
                    {"name": short_alarm_name(alarm["AlarmName"], table),
                     "state": alarm["StateValue"]})
    return out


def short_alarm_name(name: str, table: str) -> str:
    """`TargetTracking-table/T-AlarmHigh-<uuid>` -> `AlarmHigh`; other names as they are."""
    prefix = f"TargetTracking-table/{table}-"
    if name.startswith(prefix):
        return name[len(prefix):].rsplit("-", 5)[0]
    return name


def _metric_sums(cw, names: list[str], now: float, minutes: int) -> dict[tuple[str, str], float]:
    if not names or minutes <= 0:
        return {}
    queries, keys = [], {}
    for i, name in enumerate(names):
        for j, (key, metric) in enumerate(METRICS):
            qid = f"m{i}_{j}"
            keys[qid] = (name, key)
            queries.append({"Id": qid, "ReturnData": True, "MetricStat": {
                "Metric": {"Namespace": "AWS/DynamoDB", "MetricName": metric,
                           "Dimensions": [{"Name": "TableName", "Value": name}]},
                "Period": minutes * 60, "Stat": "Sum"}})
    end = dt.datetime.fromtimestamp(now, dt.timezone.utc)
    start = end - dt.timedelta(minutes=minutes)
    sums: dict[tuple[str, str], float] = {}
    for k in range(0, len(queries), 500):  # GetMetricData takes at most 500 queries
        kwargs: dict[str, Any] = {"MetricDataQueries": queries[k:k + 500], "StartTime": start,
                                  "EndTime": end}
        while True:
            page = cw.get_metric_data(**kwargs)
            for result in page["MetricDataResults"]:
                sums[keys[result["Id"]]] = sums.get(keys[result["Id"]], 0.0) + sum(result["Values"])
            if not page.get("NextToken"):
                break
            kwargs["NextToken"] = page["NextToken"]
    return sums


def _num(value: Optional[float]) -> str:
    if value is None:
        return "on-demand"
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def print_tables(rows: list[dict[str, Any]], minutes: int, out: TextIO) -> None:
    if not rows:
        print("no tables", file=out)
        return
    header = ("TABLE", "STATUS", "RCU", "WCU", f"READ {minutes}m", f"WRITE {minutes}m",
              "THROTTLED r/w", "ALARMS")
    lines = [header] + [(
        r["table"], r["status"], _num(r["rcu"]), _num(r["wcu"]), _num(r["read"]),
        _num(r["write"]), f"{r['read_throttles']:g}/{r['write_throttles']:g}",
        " ".join(f"{a['name']}:{a['state']}" for a in r["alarms"]) or "-") for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip(), file=out)
