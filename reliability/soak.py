#!/usr/bin/env python3
"""Soak: run a server for a long time under steady load near provisioned capacity and check
that it does not degrade: memory and descriptors flat, tail latency stable, nothing lost from
the stream.

    python reliability/soak.py                               # one hour on the real clock
    python reliability/soak.py --minutes 10 --time-scale 60  # 10 wall minutes = 10 simulated hours

The server (`dynoscale serve`, durable data directory, 127.0.0.1) holds one provisioned table
with a stream and a target-tracking policy on its write capacity (target 80 %, min C, max 2C).
Writers put at 75 % of C per simulated second, except in minutes 10-20 of every 30 simulated
minutes, when they put 1.6 C: AlarmHigh fires, auto scaling takes the table to 2C (the load is then
80 % of it), and in the 20 low minutes that follow AlarmLow scales it back in. Readers do
consistent GetItems at 75 % of the fixed read capacity. A stream reader walks the shards by
lineage (parents before children) with DescribeStream, GetShardIterator and GetRecords following
NextShardIterator. The target-tracking alarms evaluate each simulated minute throughout.

With `--time-scale K` simulated time runs K times faster, so C is chosen to keep the wall-clock
request rate near `--rate` whatever K is (C = rate / (0.75 K), at least 1).

Every `--sample-seconds` it samples the server's resident memory (/proc/<pid>/status VmRSS) and
open descriptors (/proc/<pid>/fd), and it times every request client-side. At the end (writers
stopped, the stream read to its end) it prints the figures and exits 1 if a bound is violated:
memory growth from the first steady sample (after the first tenth of the run) to the last under
5 %; descriptors at the end no more than 5 above the first steady sample; PutItem and GetItem p99
in the last tenth of the run at most twice that of the first tenth plus 10 ms; stream records
read equal to the writes acknowledged (up to the writes left unanswered); no request failed
other than by throttling.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
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

TABLE, KEYS = "SoakItems", 1000          # a bounded key space: the data stops growing, leaks do not
TARGET, LOW, HIGH = 80.0, 0.75, 1.6      # policy target %; load as a fraction of C per sim. second
CYCLE, HIGH_FROM, HIGH_TO = 30, 10, 20   # simulated minutes: high load in [10, 20) of every 30
THROTTLES = {"ProvisionedThroughputExceededException", "ThrottlingException"}
CREDS = dict(aws_access_key_id="soak", aws_secret_access_key="soak", region_name="us-east-1")
# Inferred bounds (AWS promises nothing here): a leak grows with run time, so the slack only has
# to absorb a shared machine's noise and a connection being reopened at a sampling instant.
MAX_GROWTH, FD_SLACK, P99_FACTOR, P99_SLACK_MS = 0.05, 5, 2.0, 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir: str, time_scale: float):
        self.port, self.data_dir = free_port(), data_dir
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "dynoscale", "serve", "--port", str(self.port),
               "--data-dir", data_dir] + (["--time-scale", str(time_scale)] if time_scale != 1 else [])
        self.proc = subprocess.Popen(cmd, stdout=open(Path(data_dir) / "server.log", "ab"),
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited at start (see {data_dir}/server.log)")
            try:
                with urllib.request.urlopen(self.url + "/_dynoscale/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server did not become healthy")

    def sample(self) -> tuple[int, int]:
        """(VmRSS in KiB, open descriptors) of the server process."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        return rss, len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def sim_now(self) -> float:
        with urllib.request.urlopen(self.url + "/_dynoscale/clock", timeout=10) as r:
            return json.loads(r.read())["now"]

    def client(self, service: str):
        config = botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=5,
                                        read_timeout=30)
        return boto3.session.Session(**CREDS).client(service, endpoint_url=self.url, config=config)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


class Run:
    """The shared state of one run: its timeline, the latencies and the counters."""

    def __init__(self, seconds: float, time_scale: float, capacity: int):
        self.seconds, self.scale, self.capacity = seconds, time_scale, capacity
        self.start = time.monotonic()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.latency: dict[tuple[str, str], list[float]] = {}  # (op, "first"|"last") -> ms
        self.counts = {"acked": 0, "unanswered": 0, "throttled": 0, "errors": 0, "read": 0}
        self.error_samples: list[str] = []

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def write_rate(self) -> float:
        """Writes per wall second now: the load profile in simulated minutes, times K."""
        minute = self.elapsed() * self.scale / 60 % CYCLE
        return (HIGH if HIGH_FROM <= minute < HIGH_TO else LOW) * self.capacity * self.scale

    def call(self, op: str, fn, **kw):
        """One request, timed; latencies are kept for the first and last tenth of the run."""
        t0 = time.monotonic()
        try:
            return fn(**kw)
        finally:
            t1 = time.monotonic()
            at = (t0 - self.start) / self.seconds
            window = "first" if at < 0.1 else "last" if 0.9 <= at <= 1 else None
            if window:
                self.latency.setdefault((op, window), []).append((t1 - t0) * 1000)

    def count(self, what: str, n: int = 1, sample: str = "") -> None:
        with self.lock:
            self.counts[what] += n
            if sample and len(self.error_samples) < 5:
                self.error_samples.append(sample)


class Pacer:
    """Hands out request slots at `rate()` per second to any number of threads (at most one
    second of catch-up after a stall, so a slow moment does not turn into a burst)."""

    def __init__(self, rate):
        self.rate, self.lock, self.next = rate, threading.Lock(), time.monotonic()

    def wait(self) -> None:
        with self.lock:
            self.next = max(self.next, time.monotonic() - 1.0) + 1.0 / self.rate()
            due = self.next
        time.sleep(max(0.0, due - time.monotonic()))


def writer(run: Run, ddb, pacer: Pacer, name: str) -> None:
    n = 0
    while not run.stop.is_set():
        pacer.wait()
        n += 1
        item = {"pk": {"S": f"k{random.randrange(KEYS)}"}, "by": {"S": f"{name}-{n}"},
                "pad": {"S": "x" * 300}}  # under 1 KB: one write unit; `by` changes every time
        run.count("unanswered")
        try:
            run.call("PutItem", ddb.put_item, TableName=TABLE, Item=item)
            run.count("acked")
        except ClientError as e:
            code = e.response["Error"]["Code"]
            run.count("throttled" if code in THROTTLES else "errors", sample=f"PutItem {code}")
        except (BotoCoreError, OSError) as e:  # no answer: the write may or may not be there
            run.count("errors", sample=f"PutItem {e!r}")
            continue
        run.count("unanswered", -1)


def reader(run: Run, ddb, pacer: Pacer) -> None:
    while not run.stop.is_set():
        pacer.wait()
        try:
            run.call("GetItem", ddb.get_item, TableName=TABLE, ConsistentRead=True,
                     Key={"pk": {"S": f"k{random.randrange(KEYS)}"}})
        except ClientError as e:
            code = e.response["Error"]["Code"]
            run.count("throttled" if code in THROTTLES else "errors", sample=f"GetItem {code}")
        except (BotoCoreError, OSError) as e:
            run.count("errors", sample=f"GetItem {e!r}")


class StreamReader:
    """Reads every record of a stream once: shards by lineage (a child only after its parent is
    drained, or when the parent has been trimmed away), each from TRIM_HORIZON following
    NextShardIterator; a closed shard is done when GetRecords returns no NextShardIterator."""

    def __init__(self, run: Run, streams, arn: str):
        self.run, self.streams, self.arn = run, streams, arn
        self.iterators: dict[str, str] = {}
        self.last_seq: dict[str, str] = {}
        self.done: set[str] = set()
        self.shards_seen: set[str] = set()

    def shards(self) -> list[dict]:
        shards, start = [], None
        while True:
            desc = self.run.call("DescribeStream", self.streams.describe_stream, StreamArn=self.arn,
                                 **({"ExclusiveStartShardId": start} if start else {}))
            shards += desc["StreamDescription"]["Shards"]
            start = desc["StreamDescription"].get("LastEvaluatedShardId")
            if not start:
                return shards

    def iterator(self, shard: str) -> str:
        where = ({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self.last_seq[shard]}
                 if shard in self.last_seq else {"ShardIteratorType": "TRIM_HORIZON"})
        return self.run.call("GetShardIterator", self.streams.get_shard_iterator,
                             StreamArn=self.arn, ShardId=shard, **where)["ShardIterator"]

    def poll(self) -> int:
        """One pass over the readable shards; returns the records read."""
        shards = self.shards()
        listed = {s["ShardId"] for s in shards}
        self.shards_seen |= listed
        read = 0
        for shard in shards:
            sid, parent = shard["ShardId"], shard.get("ParentShardId")
            if sid in self.done or (parent in listed and parent not in self.done):
                continue
            while True:
                it = self.iterators.pop(sid, None) or self.iterator(sid)
                try:
                    out = self.run.call("GetRecords", self.streams.get_records, ShardIterator=it,
                                        Limit=1000)
                except ClientError as e:
                    if e.response["Error"]["Code"] == "ExpiredIteratorException":
                        continue  # 15 minutes idle (simulated): a new one after the last record
                    raise
                if out["Records"]:
                    self.last_seq[sid] = out["Records"][-1]["dynamodb"]["SequenceNumber"]
                    read += len(out["Records"])
                if "NextShardIterator" not in out:
                    self.done.add(sid)
                    break
                self.iterators[sid] = out["NextShardIterator"]
                if not out["Records"]:
                    break  # an open shard, caught up
        self.run.count("read", read)
        return read


def stream_loop(run: Run, reader: StreamReader) -> None:
    while not run.stop.is_set():
        try:
            if not reader.poll():
                time.sleep(0.5)
        except (ClientError, BotoCoreError, OSError) as e:
            run.count("errors", sample=f"stream {e!r}")
            time.sleep(1)


def monitor(run: Run, server: Server, ddb, samples: list, capacities: list, every: float) -> None:
    while not run.stop.wait(every):
        try:
            samples.append((run.elapsed(),) + server.sample())
            table = run.call("DescribeTable", ddb.describe_table, TableName=TABLE)["Table"]
            capacities.append(table["ProvisionedThroughput"]["WriteCapacityUnits"])
        except (ClientError, BotoCoreError, OSError) as e:
            run.count("errors", sample=f"monitor {e!r}")


def set_up(server: Server, capacity: int) -> str:
    ddb, aas = server.client("dynamodb"), server.client("application-autoscaling")
    table = ddb.create_table(
        TableName=TABLE, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": capacity, "WriteCapacityUnits": capacity},
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    ddb.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 1})
    resource, dimension = f"table/{TABLE}", "dynamodb:table:WriteCapacityUnits"
    aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=resource,
                                 ScalableDimension=dimension, MinCapacity=capacity,
                                 MaxCapacity=2 * capacity)
    aas.put_scaling_policy(
        ServiceNamespace="dynamodb", ResourceId=resource, PolicyName="soak-write",
        ScalableDimension=dimension, PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
            "TargetValue": TARGET})
    return table["TableDescription"]["LatestStreamArn"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


def report(run: Run, server: Server, samples: list, capacities: list, stream: StreamReader,
           sim_hours: float) -> list[str]:
    """Prints the figures; returns the bounds violated."""
    violated = []
    c = run.counts
    steady = [s for s in samples if s[0] >= run.seconds * 0.1] or samples
    first, last = steady[0], steady[-1]
    growth = (last[1] - first[1]) / first[1]
    print(f"memory (VmRSS): {first[1] / 1024:.1f} MiB at {first[0]:.0f} s -> {last[1] / 1024:.1f} MiB"
          f" at {last[0]:.0f} s ({growth:+.1%}; peak {max(s[1] for s in samples) / 1024:.1f} MiB, "
          f"{len(samples)} samples)")
    if growth >= MAX_GROWTH:
        violated.append(f"memory grew {growth:.1%}")
    print(f"open descriptors: {first[2]} -> {last[2]} (max {max(s[2] for s in samples)})")
    if last[2] > first[2] + FD_SLACK:
        violated.append(f"descriptors {first[2]} -> {last[2]}")
    for op in ("PutItem", "GetItem", "GetRecords", "DescribeStream", "DescribeTable"):
        a, b = run.latency.get((op, "first"), []), run.latency.get((op, "last"), [])
        if not a or not b:
            continue
        p99a, p99b = percentile(a, 99), percentile(b, 99)
        print(f"latency {op}: first tenth p50 {percentile(a, 50):.2f} ms p99 {p99a:.2f} ms "
              f"({len(a)}), last tenth p50 {percentile(b, 50):.2f} ms p99 {p99b:.2f} ms ({len(b)})")
        if op in ("PutItem", "GetItem") and p99b > P99_FACTOR * p99a + P99_SLACK_MS:
            violated.append(f"{op} p99 {p99a:.2f} -> {p99b:.2f} ms")
    print(f"stream records read {c['read']}, writes acknowledged {c['acked']} "
          f"(unanswered {c['unanswered']}; {len(stream.shards_seen)} shards, {len(stream.done)} closed "
          f"and drained)")
    if not c["acked"] <= c["read"] <= c["acked"] + c["unanswered"]:
        violated.append(f"stream holds {c['read']} records for {c['acked']} acknowledged writes")
    print(f"throttled requests {c['throttled']}, failed requests {c['errors']}"
          + "".join(f"\n  {e}" for e in run.error_samples))
    if c["errors"]:
        violated.append(f"{c['errors']} requests failed")
    aas, cw = server.client("application-autoscaling"), server.client("cloudwatch")
    activities = [a for page in aas.get_paginator("describe_scaling_activities").paginate(
        ServiceNamespace="dynamodb") for a in page["ScalingActivities"]]
    statuses = sorted({a["StatusCode"] for a in activities})
    by_status = ", ".join(f"{sum(a['StatusCode'] == s for a in activities)} {s}" for s in statuses)
    print(f"scaling activities {len(activities)} ({by_status or 'none'}); write capacity "
          f"{min(capacities, default=run.capacity)}..{max(capacities, default=run.capacity)} WCU")
    for a in sorted(activities, key=lambda a: a["StartTime"])[-6:]:
        print(f"  {a['StartTime']:%Y-%m-%d %H:%M} {a['StatusCode']}: {a['Description']}")
    alarms = cw.describe_alarms()["MetricAlarms"]
    updates = sum(len(page["AlarmHistoryItems"]) for page in cw.get_paginator(
        "describe_alarm_history").paginate(HistoryItemType="StateUpdate"))
    print(f"alarms {len(alarms)} ({', '.join(sorted(a['StateValue'] for a in alarms))}), "
          f"{updates} state changes; {sim_hours:.2f} simulated hours")
    return violated


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="wall minutes of load")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="simulated seconds per wall second (default 1: the real clock)")
    parser.add_argument("--rate", type=float, default=40.0,
                        help="writes per wall second at the low load level (default 40)")
    parser.add_argument("--sample-seconds", type=float, default=5.0)
    parser.add_argument("--data-dir", default=None, help="default: a new temporary directory")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="dynoscale-soak-")
    os.makedirs(data_dir, exist_ok=True)
    capacity = max(1, round(args.rate / (LOW * args.time_scale)))
    server = Server(data_dir, args.time_scale)
    try:
        arn = set_up(server, capacity)
        sim_start = server.sim_now()
        print(f"soak: {args.minutes:g} min at time scale {args.time_scale:g}, capacity {capacity} "
              f"(max {2 * capacity}) WCU, {capacity} RCU, server pid {server.proc.pid}, "
              f"data {data_dir}", flush=True)
        clients = [server.client("dynamodb") for _ in range(7)]  # made before the clock starts:
        streams = server.client("dynamodbstreams")                # each takes a while to build
        run = Run(args.minutes * 60, args.time_scale, capacity)
        stream = StreamReader(run, streams, arn)
        samples, capacities = [(0.0,) + server.sample()], []
        puts = Pacer(run.write_rate)
        gets = Pacer(lambda: LOW * capacity * args.time_scale)
        threads = [threading.Thread(target=writer, args=(run, clients[i], puts, f"w{i}"))
                   for i in range(4)]
        threads += [threading.Thread(target=reader, args=(run, clients[4 + i], gets))
                    for i in range(2)]
        threads += [threading.Thread(target=stream_loop, args=(run, stream)),
                    threading.Thread(target=monitor, args=(run, server, clients[6], samples,
                                                           capacities, args.sample_seconds))]
        for t in threads:
            t.start()
        run.stop.wait(run.seconds)
        run.stop.set()
        for t in threads:
            t.join()
        samples.append((run.elapsed(),) + server.sample())
        # drain: read the stream until a pass finds nothing and every acknowledged write is in
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not stream.poll() and run.counts["read"] >= run.counts["acked"]:
                break
            time.sleep(0.2)
        violated = report(run, server, samples, capacities, stream,
                          (server.sim_now() - sim_start) / 3600)
    finally:
        server.stop()
    if violated:
        print("soak FAILED: " + "; ".join(violated), flush=True)
        return 1
    print("soak passed: memory, descriptors and p99 latency within bounds, every acknowledged "
          "write read from the stream", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
