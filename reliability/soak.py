#!/usr/bin/env python3
"""Soak: hours of load near provisioned capacity, with auto scaling, a stream reader and alarms
at work, must leave the server's memory, descriptors and tail latency flat and lose no record.

    python reliability/soak.py                               # one hour on the real clock
    python reliability/soak.py --minutes 10 --time-scale 60  # 10 wall minutes = 10 simulated hours

One table of C WCU and C RCU, with a stream and a target-tracking policy (80 %, C..2C) on writes.
Writers put 0.75 C per simulated second, 1.6 C in minutes 10-20 of every 30 (auto scaling goes to
2C, the load is then 80 % of it, and back in afterwards); readers GetItem at 0.75 C; the stream
is read by shard lineage. C = --rate / (0.75 K) keeps the wall request rate the same at any
--time-scale K. The figures and bounds (below) are printed at the end; exit status 1 if any fails.
"""

from __future__ import annotations

import argparse
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


class Server:
    def __init__(self, data_dir: str, time_scale: float):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "dynoscale", "serve", "--port", str(port),
               "--data-dir", data_dir] + (["--time-scale", str(time_scale)] if time_scale != 1 else [])
        self.proc = subprocess.Popen(cmd, stdout=open(Path(data_dir) / "server.log", "ab"),
                                     stderr=subprocess.STDOUT)
        for _ in range(1200):  # up to a minute or two: a loaded machine starts slowly
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited at start (see {data_dir}/server.log)")
            try:
                return urllib.request.urlopen(self.url + "/_dynoscale/health", timeout=1).close()
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server did not become healthy")

    def sample(self) -> tuple[int, int]:
        """(VmRSS in KiB, open descriptors) of the server process."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        return rss, len(os.listdir(f"/proc/{self.proc.pid}/fd"))

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
            ms, at = (time.monotonic() - t0) * 1000, (t0 - self.start) / self.seconds
            window = "first" if at < 0.1 else "last" if 0.9 <= at <= 1 else None
            if window:
                self.latency.setdefault((op, window), []).append(ms)

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


def attempt(run: Run, op: str, fn, **kw) -> dict | None:
    """One request: its answer, or None after counting the error (an error answer did nothing;
    a request left unanswered may have: it widens the stream bound)."""
    try:
        return run.call(op, fn, **kw)
    except ClientError as e:
        code = e.response["Error"]["Code"]
        run.count("throttled" if code in THROTTLES else "errors", sample=f"{op} {code}")
    except (BotoCoreError, OSError) as e:
        run.count("errors", sample=f"{op} {e!r}")
        run.count("unanswered")
    return None


def writer(run: Run, ddb, pacer: Pacer, name: str) -> None:
    n = 0
    while not run.stop.is_set():
        pacer.wait()
        n += 1
        item = {"pk": {"S": f"k{random.randrange(KEYS)}"}, "by": {"S": f"{name}-{n}"},
                "pad": {"S": "x" * 300}}  # under 1 KB: one write unit; `by` changes every time
        if attempt(run, "PutItem", ddb.put_item, TableName=TABLE, Item=item) is not None:
            run.count("acked")


def reader(run: Run, ddb, pacer: Pacer) -> None:
    while not run.stop.is_set():
        pacer.wait()
        attempt(run, "GetItem", ddb.get_item, TableName=TABLE, ConsistentRead=True,
                Key={"pk": {"S": f"k{random.randrange(KEYS)}"}})


class StreamReader:
    """Reads every record of a stream once: shards by lineage (a child only after its parent is
    drained, or when the parent has been trimmed away), each from TRIM_HORIZON following
    NextShardIterator; a closed shard is done when GetRecords returns no NextShardIterator."""

    def __init__(self, run: Run, streams, arn: str):
        self.run, self.streams, self.arn = run, streams, arn
        self.iterators: dict[str, str] = {}  # shard -> where to read next
        self.last_seq: dict[str, str] = {}   # shard -> last sequence number read
        self.done, self.shards_seen = set(), set()

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
    """Samples the server process, and the table's write capacity as auto scaling moves it."""
    while not run.stop.wait(every):
        samples.append((run.elapsed(),) + server.sample())
        table = attempt(run, "DescribeTable", ddb.describe_table, TableName=TABLE)
        if table:
            capacities.append(table["Table"]["ProvisionedThroughput"]["WriteCapacityUnits"])


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


def report(run: Run, server: Server, samples: list, capacities: list,
           stream: StreamReader) -> list[str]:
    """Prints the figures; returns the bounds violated."""
    c, bounds = run.counts, []
    steady = [s for s in samples if s[0] >= run.seconds * 0.1] or samples
    (t0, rss0, fd0), (t1, rss1, fd1) = steady[0], steady[-1]
    growth = (rss1 - rss0) / rss0
    print(f"memory (VmRSS): {rss0 / 1024:.1f} MiB at {t0:.0f} s -> {rss1 / 1024:.1f} MiB at "
          f"{t1:.0f} s ({growth:+.1%}; peak {max(s[1] for s in samples) / 1024:.1f} MiB, "
          f"{len(samples)} samples)")
    tenths = [next((s for s in samples if s[0] >= run.seconds * i / 10), samples[-1])
              for i in range(1, 10)]
    print("  by tenth of the run (MiB): " + " ".join(f"{s[1] / 1024:.1f}" for s in tenths + [steady[-1]]))
    print(f"open descriptors: {fd0} -> {fd1} (max {max(s[2] for s in samples)})")
    bounds += [(growth < MAX_GROWTH, f"memory grew {growth:.1%}"),
               (fd1 <= fd0 + FD_SLACK, f"descriptors {fd0} -> {fd1}")]
    for op in ("PutItem", "GetItem", "GetRecords", "DescribeStream", "DescribeTable"):
        a, b = run.latency.get((op, "first"), []), run.latency.get((op, "last"), [])
        if a and b:
            p99a, p99b = percentile(a, 99), percentile(b, 99)
            print(f"latency {op}: first tenth p50 {percentile(a, 50):.2f} ms p99 {p99a:.2f} ms "
                  f"({len(a)}), last tenth p50 {percentile(b, 50):.2f} ms p99 {p99b:.2f} ms ({len(b)})")
            if op in ("PutItem", "GetItem"):
                bounds.append((p99b <= P99_FACTOR * p99a + P99_SLACK_MS,
                               f"{op} p99 {p99a:.2f} -> {p99b:.2f} ms"))
    print(f"stream records read {c['read']}, writes acknowledged {c['acked']} (unanswered "
          f"{c['unanswered']}; {len(stream.shards_seen)} shards, {len(stream.done)} closed and drained)")
    print(f"throttled requests {c['throttled']}, failed requests {c['errors']}"
          + "".join(f"\n  {e}" for e in run.error_samples))
    bounds += [(c["acked"] <= c["read"] <= c["acked"] + c["unanswered"],
                f"stream holds {c['read']} records for {c['acked']} acknowledged writes"),
               (not c["errors"], f"{c['errors']} requests failed")]
    aas, cw = server.client("application-autoscaling"), server.client("cloudwatch")
    activities = [a for page in aas.get_paginator("describe_scaling_activities").paginate(
        ServiceNamespace="dynamodb") for a in page["ScalingActivities"]]
    statuses = sorted({a["StatusCode"] for a in activities})
    print(f"scaling activities {len(activities)} ("
          + (", ".join(f"{sum(a['StatusCode'] == s for a in activities)} {s}" for s in statuses)
             or "none")
          + f"); write capacity {min(capacities, default=run.capacity)}.."
            f"{max(capacities, default=run.capacity)} WCU")
    alarms = cw.describe_alarms()["MetricAlarms"]
    changes = sum(len(page["AlarmHistoryItems"]) for page in cw.get_paginator(
        "describe_alarm_history").paginate(HistoryItemType="StateUpdate"))
    print(f"alarms {len(alarms)} ({', '.join(sorted(a['StateValue'] for a in alarms))}), "
          f"{changes} state changes; {run.seconds * run.scale / 3600:.2f} simulated hours of load")
    return [what for held, what in bounds if not held]


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
        jobs = [(writer, clients[i], puts, f"w{i}") for i in range(4)]
        jobs += [(reader, clients[i], gets) for i in (4, 5)] + [(stream_loop, stream)]
        jobs += [(monitor, server, clients[6], samples, capacities, args.sample_seconds)]
        threads = [threading.Thread(target=fn, args=(run, *rest)) for fn, *rest in jobs]
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
        violated = report(run, server, samples, capacities, stream)
    finally:
        server.stop()
    if violated:
        print("soak FAILED: " + "; ".join(violated), flush=True)
        return 1
    print("soak passed: every bound held", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
