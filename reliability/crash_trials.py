#!/usr/bin/env python3
"""Crash safety, measured: SIGKILL the server at random moments under concurrent mixed load and
check, after each restart, that nothing acknowledged was lost and nothing unacknowledged was
half-applied.

    python reliability/crash_trials.py --trials 100          # the full run (a few minutes)
    python reliability/crash_trials.py --trials 3 --seed 7   # what CI runs (tests/e2e)

Each trial restarts the server on the same data directory, drives four writers for a random
0.3-1.5 s while a fifth thread advances the manual clock (alarms evaluate, metrics publish,
auto scaling acts: each trial raises the scaled table's MinCapacity, so an activity is under
way), kills the server with SIGKILL, restarts it and checks:
- every acknowledged PutItem, UpdateItem (counter increments), BatchWriteItem and
  TransactWriteItems is there; the counter is at least the acknowledged increments and at most
  those plus the unanswered ones; each transaction's two items are both there or both absent;
- the table and its GSI agree (same keys), and the stream holds exactly one INSERT record per
  item written (no record of a write that did not commit, none missing);
- tables, alarms, scalable targets and policies are intact, and every scaling activity read
  back after an earlier restart is still there; the clock did not go back; timed work resumes
  (a write after restart is published as a metric at its simulated minute, an alarm judges a
  datapoint put after the restart at the end of its minute, the TTL sweep deletes an expired
  item at its time, and no activity is left InProgress three simulated minutes after the
  restart).
Prints one line per trial and the totals; exits 1 on the first violation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import boto3
import botocore.config
from botocore.exceptions import BotoCoreError, ClientError

TABLE, SCALED, TTL_TABLE = "CrashItems", "CrashScaled", "CrashTtl"
PROBE_ALARM = "CrashProbe"
MAX_UNITS = 1000  # the scaled table's MaxCapacity: above 5 + the trials' raised minimums
CREDS = dict(aws_access_key_id="crash", aws_secret_access_key="crash", region_name="us-east-1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir: str, durability: str):
        self.data_dir, self.durability = data_dir, durability
        self.port = free_port()
        self.proc = None
        self.env = None  # the server's environment, None: ours (power_loss_trials.py adds its shim)
        self.clients: dict = {}
        self.log = open(Path(data_dir) / "server.log", "ab")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [sys.executable, "-m", "dynoscale", "serve", "--port", str(self.port),
               "--data-dir", self.data_dir, "--clock", "manual", "--durability", self.durability]
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + 120  # generous: a loaded CI machine starts slowly
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited at start (see {self.data_dir}/server.log)")
            try:
                with urllib.request.urlopen(self.url + "/_dynoscale/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server did not become healthy")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def clock(self, advance: float | None = None) -> float:
        data = json.dumps({"advance_seconds": advance}).encode() if advance else None
        req = urllib.request.Request(self.url + "/_dynoscale/clock", data=data,
                                     method="POST" if data else "GET")
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())["now"]

    def client(self, service: str):
        """One client per service, reused across restarts (the port does not change); the
        writers make their own."""
        if service not in self.clients:
            self.clients[service] = self.new_client(service)
        return self.clients[service]

    def new_client(self, service: str):
        config = botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=2,
                                        read_timeout=10)
        return boto3.session.Session(**CREDS).client(service, endpoint_url=self.url, config=config)


# -- what the writers were told ------------------------------------------------------------------
class Ledger:
    """Acknowledged and attempted writes, across trials (the data directory keeps them all)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.puts: dict[str, int] = {}          # acknowledged key -> value
        self.attempted: set[str] = set()        # every key a put, batch or transaction tried
        self.batches: list[list[str]] = []      # acknowledged batches (no UnprocessedItems)
        self.transactions: list[tuple[str, str, bool]] = []  # (key a, key b, acknowledged)
        self.counter_acked = 0
        self.counter_unanswered = 0
        self.activities: set[str] = set()       # scaling activities seen after a restart

    def checked(self) -> int:
        return len(self.puts) + sum(map(len, self.batches)) + \
            2 * sum(1 for *_, acked in self.transactions if acked) + self.counter_acked


def writer(ddb, ledger: Ledger, name: str, stop: threading.Event, rng: random.Random):
    n = 0
    while not stop.is_set():
        n += 1
        kind = rng.randrange(4)
        try:
            if kind == 0:
                key = f"{name}-p{n}-{rng.randrange(10**9)}"
                with ledger.lock:
                    ledger.attempted.add(key)
                ddb.put_item(TableName=TABLE, Item={"pk": {"S": key}, "v": {"N": str(n)},
                                                    "g": {"S": "all"}})
                with ledger.lock:
                    ledger.puts[key] = n
            elif kind == 1:
                with ledger.lock:
                    ledger.counter_unanswered += 1
                ddb.update_item(TableName=TABLE, Key={"pk": {"S": "counter"}},
                                UpdateExpression="ADD c :one",
                                ExpressionAttributeValues={":one": {"N": "1"}})
                with ledger.lock:
                    ledger.counter_unanswered -= 1
                    ledger.counter_acked += 1
            elif kind == 2:
                keys = [f"{name}-b{n}-{i}-{rng.randrange(10**9)}" for i in range(5)]
                with ledger.lock:
                    ledger.attempted.update(keys)
                out = ddb.batch_write_item(RequestItems={TABLE: [
                    {"PutRequest": {"Item": {"pk": {"S": k}, "g": {"S": "all"}}}} for k in keys]})
                if not out.get("UnprocessedItems"):
                    with ledger.lock:
                        ledger.batches.append(keys)
            else:
                a, b = (f"{name}-t{n}-{side}-{rng.randrange(10**9)}" for side in "ab")
                with ledger.lock:
                    ledger.attempted.update((a, b))
                    ledger.transactions.append((a, b, False))
                    slot = len(ledger.transactions) - 1
                ddb.transact_write_items(TransactItems=[
                    {"Put": {"TableName": TABLE, "Item": {"pk": {"S": k}, "g": {"S": "all"}}}}
                    for k in (a, b)])
                with ledger.lock:
                    ledger.transactions[slot] = (a, b, True)
            if rng.random() < 0.3:  # traffic on the auto-scaled table too
                ddb.put_item(TableName=SCALED, Item={"pk": {"S": f"{name}-{n % 50}"},
                                                     "pad": {"S": "x" * 2000}})
        except (ClientError, BotoCoreError, OSError):
            if stop.is_set():
                return
            time.sleep(0.01)  # throttled or refused: carry on


def advancer(server: Server, stop: threading.Event, seen: list):
    while not stop.is_set():
        try:
            seen.append(server.clock(advance=15))
        except OSError:
            return
        time.sleep(0.05)


# -- setup and checks ----------------------------------------------------------------------------
def set_up(server: Server) -> dict:
    ddb, aas = server.client("dynamodb"), server.client("application-autoscaling")
    ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                              "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                                            {"AttributeName": "pk", "KeyType": "RANGE"}]}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    ddb.create_table(TableName=SCALED, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    ddb.create_table(TableName=TTL_TABLE, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    server.clock(advance=60)
    ddb.update_time_to_live(TableName=TTL_TABLE, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "exp"})
    resource = f"table/{SCALED}"
    aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=resource,
                                 ScalableDimension="dynamodb:table:WriteCapacityUnits",
                                 MinCapacity=5, MaxCapacity=MAX_UNITS)
    aas.put_scaling_policy(
        ServiceNamespace="dynamodb", ResourceId=resource, PolicyName="crash-write",
        ScalableDimension="dynamodb:table:WriteCapacityUnits", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
            "TargetValue": 50.0, "ScaleOutCooldown": 60, "ScaleInCooldown": 60})
    # an alarm of its own for the checks' probe: ALARM for the minute a datapoint is put in,
    # OK again at the next evaluation (missing data is not breaching)
    server.client("cloudwatch").put_metric_alarm(
        AlarmName=PROBE_ALARM, Namespace="Crash/Probe", MetricName="Probe", Statistic="Maximum",
        Period=60, EvaluationPeriods=1, Threshold=0.5, ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching")
    return control_plane(server)


def control_plane(server: Server) -> dict:
    ddb, aas, cw = (server.client(s) for s in ("dynamodb", "application-autoscaling", "cloudwatch"))
    return {
        "tables": sorted(ddb.list_tables()["TableNames"]),
        "alarms": sorted(a["AlarmName"] for a in cw.describe_alarms()["MetricAlarms"]),
        "targets": [(t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]) for t in
                    aas.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]],
        "policies": [p["PolicyName"] for p in
                     aas.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"]],
        "gsi": [i["IndexName"] for i in
                ddb.describe_table(TableName=TABLE)["Table"]["GlobalSecondaryIndexes"]],
    }


def scan_keys(ddb, **kw) -> list[str]:
    keys, start = [], None
    while True:
        page = ddb.scan(TableName=TABLE, **kw, **({"ExclusiveStartKey": start} if start else {}))
        keys += [i["pk"]["S"] for i in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            return keys


def stream_inserts(server: Server) -> list[str]:
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    arn = ddb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shards, start = [], None
    while True:
        desc = streams.describe_stream(StreamArn=arn, **({"ExclusiveStartShardId": start} if start else {}))
        shards += desc["StreamDescription"]["Shards"]
        start = desc["StreamDescription"].get("LastEvaluatedShardId")
        if not start:
            break
    keys = []
    for shard in shards:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            out = streams.get_records(ShardIterator=it, Limit=1000)
            keys += [r["dynamodb"]["Keys"]["pk"]["S"] for r in out["Records"]
                     if r["eventName"] == "INSERT"]
            if not out["Records"]:
                break  # an open shard, drained
            it = out.get("NextShardIterator")
    return keys


def activities(server: Server) -> dict[str, str]:
    """Every scaling activity of the namespace: id -> StatusCode."""
    aas, out, token = server.client("application-autoscaling"), {}, None
    while True:
        page = aas.describe_scaling_activities(ServiceNamespace="dynamodb",
                                               **({"NextToken": token} if token else {}))
        out.update({a["ActivityId"]: a["StatusCode"] for a in page["ScalingActivities"]})
        token = page.get("NextToken")
        if not token:
            return out


def check(server: Server, ledger: Ledger, expected_control: dict, clock_before: float) -> list[str]:
    problems = []
    # scaling activities read back after an earlier restart were stored: a kill keeps them
    recorded = activities(server)
    lost = ledger.activities - recorded.keys()
    if lost:
        problems.append(f"scaling activities lost: {sorted(lost)[:3]}")
    ddb = server.client("dynamodb")
    items = {}
    start = None
    while True:
        page = ddb.scan(TableName=TABLE, ConsistentRead=True,
                        **({"ExclusiveStartKey": start} if start else {}))
        items.update({i["pk"]["S"]: i for i in page["Items"]})
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    for key, value in ledger.puts.items():
        if key not in items or items[key].get("v", {}).get("N") != str(value):
            problems.append(f"acknowledged put lost: {key}")
    for keys in ledger.batches:
        problems += [f"acknowledged batch write lost: {k}" for k in keys if k not in items]
    for a, b, acked in ledger.transactions:
        if (a in items) != (b in items):
            problems.append(f"transaction half-applied: {a} {b}")
        if acked and a not in items:
            problems.append(f"acknowledged transaction lost: {a}")
    counter = int(items.get("counter", {}).get("c", {}).get("N", "0"))
    if not ledger.counter_acked <= counter <= ledger.counter_acked + ledger.counter_unanswered:
        problems.append(f"counter {counter} outside [{ledger.counter_acked}, "
                        f"{ledger.counter_acked + ledger.counter_unanswered}]")
    written = {k for k in items if k != "counter"}
    strays = written - ledger.attempted
    if strays:
        problems.append(f"items nobody wrote: {sorted(strays)[:3]}")
    index_keys = scan_keys(ddb, IndexName="by-g")
    if sorted(index_keys) != sorted(written):
        problems.append(f"GSI and table differ: {len(index_keys)} vs {len(written)} keys")
    inserts = stream_inserts(server)
    if sorted(inserts) != sorted(written | ({"counter"} if "counter" in items else set())):
        problems.append(f"stream INSERT records ({len(inserts)}) do not match the items "
                        f"({len(written) + ('counter' in items)})")
    control = control_plane(server)
    if control != expected_control:
        problems.append(f"control plane changed: {control} != {expected_control}")
    now = server.clock()
    if now < clock_before:
        problems.append(f"clock went back: {now} < {clock_before}")
    # timed work resumes: a write now is published at its simulated minute (after a minute in
    # which the scaled table's bucket refills, so the probe is not throttled)
    now = server.clock(advance=60)
    minute = (now // 60 + 1) * 60
    server.clock(advance=minute + 1 - now)
    ddb.put_item(TableName=SCALED, Item={"pk": {"S": "probe"}})
    cw = server.client("cloudwatch")
    cw.put_metric_data(Namespace="Crash/Probe", MetricData=[{
        "MetricName": "Probe", "Value": 1.0,
        "Timestamp": dt.datetime.fromtimestamp(minute + 1, dt.timezone.utc)}])
    # TTL resumes: an expired item put now is deleted by the sweep at :30 (ttl.py), not before
    ttl_key = {"pk": {"S": f"expired-{minute}"}}
    ddb.put_item(TableName=TTL_TABLE, Item={**ttl_key, "exp": {"N": str(int(minute) - 60)}})
    server.clock(advance=28)
    if "Item" not in ddb.get_item(TableName=TTL_TABLE, Key=ttl_key, ConsistentRead=True):
        problems.append("an expired item was deleted before the TTL sweep's time")
    server.clock(advance=32)
    if "Item" in ddb.get_item(TableName=TTL_TABLE, Key=ttl_key, ConsistentRead=True):
        problems.append("the TTL sweep did not run at :30 after a restart")
    # alarm evaluation resumes at the minute: the probe's minute is judged at its end
    [alarm] = cw.describe_alarms(AlarmNames=[PROBE_ALARM])["MetricAlarms"]
    if (alarm["StateValue"], alarm["StateUpdatedTimestamp"].timestamp()) != ("ALARM", minute + 60):
        problems.append(f"probe alarm {alarm['StateValue']} since "
                        f"{alarm['StateUpdatedTimestamp']}, not ALARM since the minute's end")
    server.clock(advance=60)
    points = server.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName="ConsumedWriteCapacityUnits",
        Dimensions=[{"Name": "TableName", "Value": SCALED}],
        StartTime=dt.datetime.fromtimestamp(minute, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(minute + 60, dt.timezone.utc),
        Period=60, Statistics=["SampleCount"])["Datapoints"]
    if not points:
        problems.append("no metric published for a write after restart")
    # scaling resumes: an activity the kill caught InProgress is settled by auto scaling's
    # checks in the three simulated minutes since the restart
    recorded = activities(server)
    stuck = [a for a, status in recorded.items() if status in ("Pending", "InProgress")]
    if stuck:
        problems.append(f"scaling activities still unfinished after a restart: {stuck[:3]}")
    ledger.activities |= recorded.keys()
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--durability", choices=["normal", "full"], default="normal")
    parser.add_argument("--data-dir", default=None, help="default: a new temporary directory")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="dynoscale-crash-")
    os.makedirs(data_dir, exist_ok=True)
    server = Server(data_dir, args.durability)
    ledger = Ledger()
    server.start()
    expected = set_up(server)
    clock_seen = [server.clock()]
    print(f"crash trials: seed {seed}, durability {args.durability}, data {data_dir}", flush=True)
    clients = [server.new_client("dynamodb") for _ in range(4)]  # one per writer, kept: the port
    try:                                                       # stays the same across restarts
        for trial in range(1, args.trials + 1):
            # scaling in progress under the load: a raised MinCapacity makes auto scaling set the
            # table to it (an activity, InProgress until its check 5 simulated seconds later);
            # the writers' traffic alone is too light to move the target-tracking alarms
            minimum = min(5 + trial, MAX_UNITS)
            server.client("application-autoscaling").register_scalable_target(
                ServiceNamespace="dynamodb", ResourceId=f"table/{SCALED}",
                ScalableDimension="dynamodb:table:WriteCapacityUnits", MinCapacity=minimum)
            expected["targets"] = [(f"table/{SCALED}", minimum, MAX_UNITS)]
            stop = threading.Event()
            threads = [threading.Thread(target=writer, args=(clients[i], ledger, f"w{trial}x{i}",
                                                              stop, random.Random(rng.random())))
                       for i in range(4)]
            threads.append(threading.Thread(target=advancer, args=(server, stop, clock_seen)))
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.3, 1.5))
            server.kill()
            stop.set()
            for t in threads:
                t.join()
            server.start()
            try:
                problems = check(server, ledger, expected, max(clock_seen))
            except (ClientError, BotoCoreError, OSError) as e:  # a table or stream gone
                problems = [f"check failed: {e}"]
            clock_seen.append(server.clock())
            print(f"trial {trial}: {ledger.checked()} acknowledged writes checked, "
                  f"{len(ledger.transactions)} transactions, "
                  f"{len(ledger.activities)} scaling activities, "
                  f"{'OK' if not problems else 'FAILED'}", flush=True)
            if problems:
                for p in problems[:20]:
                    print("  " + p)
                return 1
    finally:
        server.stop()
    print(f"crash trials passed: {args.trials} SIGKILLs, {ledger.checked()} acknowledged writes "
          f"checked, nothing lost, no transaction half-applied, {len(ledger.activities)} "
          f"scaling activities kept", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
