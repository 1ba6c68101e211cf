"""Partitions, hot keys, adaptive capacity, split for heat and on-demand peaks (issue 13), on the
manual clock, counting admitted requests and simulated minutes.

Every write is an UpdateItem of a stored 409,600-byte item whose condition fails: 400 WCU each
(spec 1.3.7, 1.3.10), so a partition's 1,000 WCU per second is 2.5 writes, and a minute of it 150.
Which partition a key lands on is computed here from the partition hash DynamoDB orders Scan by
(MD5 of "Outliers" + the key's UTF-8 bytes, first 24 bits; dynalite db/index.js, recorded against
AWS), over N equal stretches of the hash space, N = ceil(RCU / 3,000 + WCU / 1,000).
"""

from __future__ import annotations

import hashlib
import math

import pytest

from tests.dynamodb.helpers import DDB_NS, UPDATE_SECONDS, create, raw
from tests.kit import raised

UNITS = 400
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/"
KEY_RANGE_PROVISIONED = ("ProvisionedThroughputExceededException",
                         "The level of configured provisioned throughput for the table was "
                         "exceeded. Consider increasing your provisioning level with the "
                         "UpdateTable API.")
ON_DEMAND_TEXT = ("Throughput exceeds the current capacity of your table or index. DynamoDB is "
                  "automatically scaling your table or index so please try again shortly. If "
                  "exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/"
                  "amazondynamodb/latest/developerguide/bp-partition-key-design.html")


def s(v: str) -> dict:
    return {"S": v}


def hash_of(key: str) -> int:
    return int.from_bytes(hashlib.md5(b"Outliers" + key.encode()).digest()[:3], "big")


def partition_of(key: str, count: int) -> int:
    h = hash_of(key)
    return max(i for i in range(count) if (1 << 24) * i // count <= h)


def keys_by_partition(count: int, per_partition: int, prefix: str = "k") -> dict[int, list]:
    out: dict[int, list] = {i: [] for i in range(count)}
    n = 0
    while any(len(v) < per_partition for v in out.values()):
        key = f"{prefix}{n:04}"
        n += 1
        bucket = out[partition_of(key, count)]
        if len(bucket) < per_partition:
            bucket.append(key)
    return out


def big_item(key: str) -> dict:
    # "id" + key, "b" + value, "n" + 1 (2 bytes): exactly 409,600 bytes -> 400 WCU
    return {"id": s(key), "b": s("x" * (409_600 - 2 - len(key) - 1 - 1 - 2)), "n": {"N": "1"}}


def bump(ddb, name: str, key: str) -> None:
    """A 400 WCU write that stores nothing: a conditional write that fails still consumes the
    item's units (spec 1.3.10), and the server is spared writing 400 KB each time."""
    try:
        ddb.update_item(TableName=name, Key={"id": s(key)}, UpdateExpression="SET n = :v",
                        ConditionExpression="attribute_not_exists(id)",
                        ExpressionAttributeValues={":v": {"N": "2"}})
    except ddb.exceptions.ConditionalCheckFailedException:
        return
    raise AssertionError("the condition held")


def bump_until_throttled(ddb, name: str, keys: list, limit: int = 5000) -> tuple[int, dict]:
    """Writes round-robin over `keys` until one is throttled: (admitted, the error response)."""
    for n in range(limit):
        try:
            bump(ddb, name, keys[n % len(keys)])
        except ddb.exceptions.ClientError as e:
            return n, e.response
    raise AssertionError(f"{limit} writes, none throttled")


def reasons(response: dict) -> list:
    return response.get("ThrottlingReasons") or response.get("throttlingReasons")


def metric_sum(cw, table: str, metric: str, start: float, end: float) -> float:
    import datetime as dt
    out = cw.get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName=metric,
        Dimensions=[{"Name": "TableName", "Value": table}],
        StartTime=dt.datetime.fromtimestamp(start, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(end, dt.timezone.utc), Period=60,
        Statistics=["Sum"])
    # every throttle-event metric AWS publishes is a Count (DG "DynamoDB Metrics and dimensions")
    assert {p["Unit"] for p in out["Datapoints"]} <= {"Count"}, out["Datapoints"]
    return sum(p["Sum"] for p in out["Datapoints"])


def test_hot_key_held_to_the_partition_maximum(make_server, unique):
    # 5,000 WCU, 1 RCU: ceil(1/3000 + 5000/1000) = 6 partitions, each at most 1,000 WCU/s and
    # saving at most 300 s of it
    server = make_server("--clock", "manual")
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    name = unique("Hot")
    create(server, ddb, name, read=1, write=5000)
    start = server.now() // 60 * 60
    hot = "hot"
    others = keys_by_partition(6, 2)
    hot_p = partition_of(hot, 6)
    mate = others[hot_p][0]                       # shares the hot key's partition
    elsewhere = [k for p, ks in others.items() if p != hot_p for k in ks]
    for key in [hot, mate] + elsewhere:
        ddb.put_item(TableName=name, Item=big_item(key))
    # the hot partition: 300,000 saved - 800 for its two puts; a write is admitted while the
    # balance is >= 0: 749 writes, then in debt
    admitted, response = bump_until_throttled(ddb, name, [hot])
    assert admitted == 749
    assert (response["Error"]["Code"], response["Error"]["Message"]) == KEY_RANGE_PROVISIONED
    status, body = raw(server, "UpdateItem", {
        "TableName": name, "Key": {"id": s(hot)}, "UpdateExpression": "SET n = :v",
        "ExpressionAttributeValues": {":v": {"N": "2"}}})
    assert status == 400 and body["__type"] == DDB_NS + "ProvisionedThroughputExceededException"
    assert body["ThrottlingReasons"] == [{"reason": "TableWriteKeyRangeThroughputExceeded",
                                          "resource": ARN + name}]
    # its partition-mate waits too; every other key proceeds: the table has spare capacity
    assert raised(bump, ddb, name, mate)["Error"]["Code"] == KEY_RANGE_PROVISIONED[0]
    for key in elsewhere:
        bump(ddb, name, key)
    # held to 1,000 WCU/s: each minute refills 60,000 units = 150 writes (debt -400 -> 59,600)
    for _ in range(2):
        server.advance(60)
        assert bump_until_throttled(ddb, name, [hot])[0] == 150
        for key in elsewhere:
            bump(ddb, name, key)
    server.advance(120)   # publish the minutes
    end = server.now()
    # throttles: 749th+1, the raw call, the mate, one per minute: 5
    assert metric_sum(cw, name, "WriteKeyRangeThroughputThrottleEvents", start, end) == 5
    assert metric_sum(cw, name, "WriteThrottleEvents", start, end) == 5
    assert metric_sum(cw, name, "WriteProvisionedThroughputThrottleEvents", start, end) == 0
    # the partition map and its debt survive a restart (persisted with the table record)
    assert bump_until_throttled(ddb, name, [hot])[0] == 300   # 120 s of refill, minus 400
    server.advance(61)
    server.restart()
    ddb = server.client("dynamodb")
    assert bump_until_throttled(ddb, name, [hot])[0] == 152   # 61 s: -400 + 61,000


def test_uniform_load_uses_the_whole_table(server, ddb, cw, unique):
    # 1,500 WCU: 2 partitions of at most 1,000 WCU/s each; spread over both, the table's own
    # rate binds, and it is more than one partition could serve
    name = unique("Uniform")
    create(server, ddb, name, read=1, write=1500)
    groups = keys_by_partition(2, 10)
    keys = [k for pair in zip(groups[0], groups[1]) for k in pair]
    for key in keys:
        ddb.put_item(TableName=name, Item=big_item(key))   # 8,000 of the table's 450,000
    start = server.now() // 60 * 60
    admitted, response = bump_until_throttled(ddb, name, keys)
    assert admitted == 1106                                # (450,000 - 8,000) / 400 + 1
    assert reasons(response) == [{"reason": "TableWriteProvisionedThroughputExceeded",
                                  "resource": ARN + name}]
    server.advance(60)   # +90,000 for the table: 225 writes = 1,500 WCU/s
    assert bump_until_throttled(ddb, name, keys)[0] == 225
    server.advance(60)
    assert metric_sum(cw, name, "WriteProvisionedThroughputThrottleEvents", start,
                      server.now()) == 2
    assert metric_sum(cw, name, "WriteKeyRangeThroughputThrottleEvents", start,
                      server.now()) == 0


def test_split_for_heat_after_sustained_load(server, ddb, unique):
    # 10,000 WCU: 11 partitions. Keys a and b share partition P. Adaptive capacity is instant:
    # from the first second P gets its full 1,000 WCU/s (not 10,000 / 11 = 909). Each minute a
    # and b drive P into throttling; after 10 such minutes (SPLIT_MINUTES, inferred) P splits
    # between a and b, and each has 1,000 WCU/s of its own.
    name = unique("Heat")
    create(server, ddb, name, read=1, write=10000)
    a, b = keys_by_partition(11, 2)[3]
    for key in (a, b):
        ddb.put_item(TableName=name, Item=big_item(key))
    now = server.now()
    server.advance(math.ceil(now / 60) * 60 + 1 - now)   # one second into a minute
    # minute 0: P spends its saved 300,000 (the puts' 800 refilled meanwhile): 751 writes
    assert bump_until_throttled(ddb, name, [a, b])[0] == 751
    per_minute = []
    for minute in range(1, 12):
        server.advance(60)
        per_minute.append(bump_until_throttled(ddb, name, [a, b])[0])
    # minutes 0-9 were hot: P splits at the boundary ending minute 9, so from minute 10 a and b
    # each have their own 1,000 WCU/s (each half starting from P's debt of -400)
    assert per_minute == [150] * 9 + [300, 300]


def test_on_demand_absorbs_double_its_peak_and_adapts(server, ddb, cw, unique):
    # a new on-demand table: previous peak 2,000 WRU/s, so 4,000 WRU in one second are served
    # at once; a second of 6,000 (three times the peak) is throttled above 4,000 (plus the
    # request that crossed it) until, 30 minutes after the first second above the old peak,
    # the new peak (4,400) takes effect: 8,800 per second
    name = unique("OdPeak")
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST")
    groups = keys_by_partition(8, 2)   # 12,000 RRU/3,000 + 4,000 WRU/1,000 = 8 partitions
    keys = [k for ks in groups.values() for k in ks][:15]
    for i, key in enumerate(keys):
        if i % 5 == 0:
            server.advance(1)   # 5 puts a second: 2,000 WRU, not above the previous peak
        ddb.put_item(TableName=name, Item=big_item(key))
    now = server.now()
    server.advance(math.ceil(now) + 1 - now)
    first = server.now()
    for key in keys[:10]:                    # 4,000 WRU: double the previous peak
        bump(ddb, name, key)
    server.advance(1)
    admitted, response = bump_until_throttled(ddb, name, keys)   # 6,000 asked
    assert admitted == 11
    assert response["Error"]["Code"] == "ThrottlingException"
    assert response["Error"]["Message"] == ON_DEMAND_TEXT
    status, body = raw(server, "UpdateItem", {
        "TableName": name, "Key": {"id": s(keys[0])}, "UpdateExpression": "SET n = :v",
        "ExpressionAttributeValues": {":v": {"N": "2"}}})
    assert body["__type"] == "com.amazon.coral.availability#ThrottlingException"
    assert body["throttlingReasons"] == [{"reason": "TableWriteKeyRangeThroughputExceeded",
                                          "resource": ARN + name}]
    server.advance(first + 1799 - server.now())
    assert bump_until_throttled(ddb, name, keys)[0] == 11   # not adapted yet
    server.advance(1)
    for key in keys:                                        # 6,000 WRU in one second
        bump(ddb, name, key)
    server.advance(120)
    assert metric_sum(cw, name, "WriteKeyRangeThroughputThrottleEvents", first // 60 * 60,
                      server.now()) == 3


def test_switch_to_on_demand_keeps_half_the_provisioned_peak_within_the_quota(server, ddb, cw,
                                                                               unique):
    # provisioned at 40,000 WCU, then switched: previous peak max(2,000, 40,000 / 2) = 20,000,
    # so 40,000 WRU in one second at once; that is the per-table quota, which binds:
    # RequestLimitExceeded with TableWriteAccountLimitExceeded (DG-ERR)
    name = unique("OdSwitch")
    create(server, ddb, name, read=1, write=40000)
    keys = [f"q{i:03}" for i in range(101)]
    for key in keys:
        ddb.put_item(TableName=name, Item=big_item(key))
    ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    server.advance(UPDATE_SECONDS)
    start = server.now() // 60 * 60
    admitted, response = bump_until_throttled(ddb, name, keys)
    assert admitted == 101                    # 40,000 / 400, and the one that crossed it
    assert response["Error"]["Code"] == "RequestLimitExceeded"
    assert response["Error"]["Message"] == (
        "Throughput exceeds the current throughput limit for your account. To request a limit "
        "increase, contact AWS Support at https://aws.amazon.com/support.")
    assert reasons(response) == [{"reason": "TableWriteAccountLimitExceeded",
                                  "resource": ARN + name}]
    server.advance(61)
    assert metric_sum(cw, name, "WriteAccountLimitThrottleEvents", start, server.now()) == 1
    assert metric_sum(cw, name, "WriteThrottleEvents", start, server.now()) == 1


def test_cause_metrics_of_an_on_demand_maximum(server, ddb, cw, unique):
    name = unique("OdCap")
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
           OnDemandThroughput={"MaxWriteRequestUnits": 1})
    start = server.now() // 60 * 60
    ddb.put_item(TableName=name, Item={"id": s("a")})          # 1 -> 0
    ddb.put_item(TableName=name, Item={"id": s("a")})          # 0 -> -1
    assert raised(ddb.put_item, TableName=name, Item={"id": s("a")})[
        "throttlingReasons"] == [{"reason": "TableWriteMaxOnDemandThroughputExceeded",
                                  "resource": ARN + name}]
    server.advance(61)
    assert metric_sum(cw, name, "WriteMaxOnDemandThroughputThrottleEvents", start,
                      server.now()) == 1
    assert metric_sum(cw, name, "WriteKeyRangeThroughputThrottleEvents", start,
                      server.now()) == 0


def hot_gsi_table(server, ddb, name) -> list[str]:
    """A 10,000 WCU table with a 2,000 WCU GSI on "gk", and 10 big items whose keys lie on 10 of
    the table's 11 partitions, all with gk = "ACTIVE": every GSI entry on one of the GSI's 3
    partitions (ceil(1/3000 + 2000/1000)). -> the 10 keys."""
    create(server, ddb, name, read=1, write=10000,
           keys={"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                                          {"AttributeName": "gk", "AttributeType": "S"}],
                 "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]},
           GlobalSecondaryIndexes=[{
               "IndexName": "status", "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
               "Projection": {"ProjectionType": "ALL"},
               "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2000}}])
    keys = [k for ks in keys_by_partition(11, 1).values() for k in ks][:10]
    for key in keys:
        item = big_item(key)
        item["b"] = s(item["b"]["S"][:-8])              # room for "gk": "ACTIVE" (8 bytes)
        ddb.put_item(TableName=name, Item={**item, "gk": s("ACTIVE")})   # GSI: 4,000
    return keys


def test_hot_gsi_key_throttles_the_table_write(make_server, unique):
    # a GSI on a low-cardinality key: every entry lands on one of the GSI's 3 partitions
    # (ceil(1/3000 + 2000/1000)), which holds at most 300,000 saved units; the table (11
    # partitions, writes spread over 10 keys) has plenty: IndexWriteKeyRangeThroughputExceeded
    server = make_server("--clock", "manual", durable=False)
    ddb = server.client("dynamodb")
    name = unique("HotGsi")
    keys = hot_gsi_table(server, ddb, name)
    n = 0
    while True:   # each write changes the projected n: 400 WCU on the table and on the GSI
        try:
            ddb.update_item(TableName=name, Key={"id": s(keys[n % 10])},
                            UpdateExpression="SET n = :v",
                            ExpressionAttributeValues={":v": {"N": str(1 + (n // 10 + 1) % 2)}})
        except ddb.exceptions.ClientError as e:
            response = e.response
            break
        n += 1
    assert n == 741                                         # (300,000 - 4,000) / 400 + 1
    assert (response["Error"]["Code"], response["Error"]["Message"]) == (
        "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for one or more global secondary "
        "indexes of the table was exceeded. Consider increasing your provisioning level for the "
        "under-provisioned global secondary indexes with the UpdateTable API.")
    assert reasons(response) == [{"reason": "IndexWriteKeyRangeThroughputExceeded",
                                  "resource": ARN + name + "/index/status"}]


def test_warm_throughput_takes_effect(server, ddb, unique):
    # an on-demand table created warm at 10,000 WRU/s serves that at once (not 4,000); a raise
    # by UpdateTable takes effect; a decrease is refused (spec 3.6.2)
    name = unique("Warm")
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
           WarmThroughput={"WriteUnitsPerSecond": 10000})
    table = ddb.describe_table(TableName=name)["Table"]
    assert (table["WarmThroughput"]["ReadUnitsPerSecond"],
            table["WarmThroughput"]["WriteUnitsPerSecond"]) == (12000, 10000)
    # 14 partitions (12,000 / 3,000 + 10,000 / 1,000), each saving at most the table's 10,000
    keys = [k for ks in keys_by_partition(14, 4).values() for k in ks][:51]
    for i, key in enumerate(keys):
        if i % 10 == 0:
            server.advance(1)
        ddb.put_item(TableName=name, Item=big_item(key))
    server.advance(1)
    assert bump_until_throttled(ddb, name, keys[:26])[0] == 26     # 10,000 / 400, and one more
    ddb.update_table(TableName=name, WarmThroughput={"WriteUnitsPerSecond": 20000})
    assert ddb.describe_table(TableName=name)["Table"]["WarmThroughput"][
        "WriteUnitsPerSecond"] == 20000
    server.advance(1)
    assert bump_until_throttled(ddb, name, keys)[0] == 51           # 20,000 / 400, and one more
    assert raised(ddb.update_table, TableName=name,
                  WarmThroughput={"WriteUnitsPerSecond": 15000})["Error"]["Message"] == (
        "One or more parameter values were invalid: Requested WriteUnitsPerSecond for "
        "WarmThroughput for table is lower than current WarmThroughput, decreasing "
        "WarmThroughput is not supported")


def test_partitions_split_when_capacity_grows_and_are_never_merged(server, ddb, unique):
    # 500 WCU, 1 RCU: one partition. Raised to 10,000 WCU: 11 partitions, made by halving the
    # widest stretch (first of equals) until there are 11: eight of 1/8 of the hash space, the
    # first three of them halved, so [0, 1/16) and [1/16, 1/8) are partitions 0 and 1. Lowered to
    # 1,500 WCU (which alone needs 2 partitions, [0, 1/2) and [1/2, 1)): still 11, "only split,
    # never merged" (AWS Database Blog, "Scaling DynamoDB", Part 3). Key a on partition 0 and b
    # on 1 would share a partition if the table had one or two.
    name = unique("Grow")
    create(server, ddb, name, read=1, write=500)
    a = next(f"g{n}" for n in range(10_000) if hash_of(f"g{n}") < (1 << 24) // 16)
    b = next(f"g{n}" for n in range(10_000)
             if (1 << 24) // 16 <= hash_of(f"g{n}") < (1 << 24) // 8)
    for key in (a, b):
        ddb.put_item(TableName=name, Item=big_item(key))
    ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                            "WriteCapacityUnits": 10000})
    ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                            "WriteCapacityUnits": 1500})
    table = ddb.describe_table(TableName=name)["Table"]
    assert (table["TableStatus"], table["ProvisionedThroughput"]["WriteCapacityUnits"]) == (
        "ACTIVE", 1500)
    server.advance(300)   # every bucket full: the table's 450,000, each partition's 300,000
    # a's partition: 750 writes to 0, one more into debt; the table (450,000) has room, so the
    # reason is the key range's (one partition: the table's bucket would bind, at 1,126)
    admitted, response = bump_until_throttled(ddb, name, [a])
    assert admitted == 751
    assert reasons(response) == [{"reason": "TableWriteKeyRangeThroughputExceeded",
                                  "resource": ARN + name}]
    bump(ddb, name, b)    # b's partition is another one (merged into two, b would wait)


def test_new_on_demand_table_serves_twelve_thousand_reads_a_second(server, ddb, unique):
    # "new on-demand tables will be able to sustain up to 4,000 writes per second and 12,000
    # reads per second" (DG on-demand-capacity-mode.html): a previous read peak of 6,000, doubled.
    # A consistent GetItem of a 409,600-byte item is 100 RRU: 120 of them in one second are
    # served at once, one more (the balance is still >= 0) crosses, the next is throttled.
    name = unique("OdReads")
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST")
    keys = [k for ks in keys_by_partition(8, 2).values() for k in ks][:15]   # 8 partitions
    for i, key in enumerate(keys):
        if i % 5 == 0:
            server.advance(1)   # 2,000 WRU a second: within the write peak
        ddb.put_item(TableName=name, Item=big_item(key))
    server.advance(1)
    served = 0
    while True:
        try:
            ddb.get_item(TableName=name, Key={"id": s(keys[served % 15])}, ConsistentRead=True,
                         ProjectionExpression="id")
        except ddb.exceptions.ClientError as e:
            response = e.response
            break
        served += 1
        assert served < 1000
    assert served == 121
    assert (response["Error"]["Code"], response["Error"]["Message"]) == (
        "ThrottlingException", ON_DEMAND_TEXT)
    assert reasons(response) == [{"reason": "TableReadKeyRangeThroughputExceeded",
                                  "resource": ARN + name}]


@pytest.mark.parametrize("case", ["one key", "stream"])
def test_no_split_for_heat_of_one_key_or_with_a_stream(server, ddb, unique, case):
    # As test_split_for_heat_after_sustained_load, but what split for heat never divides: the
    # heat of a single key ("can't push a single key past the partition ceiling", DG
    # burst-adaptive-capacity.html), and a provisioned table with a stream, whose hot items
    # adaptive capacity does not isolate (DG-BP "Understanding DynamoDB adaptive capacity"):
    # 150 writes a minute (1,000 WCU/s) before minute 10 and after it.
    stream = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}}
    name = unique("NoSplit")
    create(server, ddb, name, read=1, write=10000, **(stream if case == "stream" else {}))
    a, b = keys_by_partition(11, 2)[3]
    keys = [a] if case == "one key" else [a, b]
    for key in keys:
        ddb.put_item(TableName=name, Item=big_item(key))
    now = server.now()
    server.advance(math.ceil(now / 60) * 60 + 1 - now)
    assert bump_until_throttled(ddb, name, keys)[0] == 751
    per_minute = []
    for minute in range(1, 12):
        server.advance(60)
        per_minute.append(bump_until_throttled(ddb, name, keys)[0])
    assert per_minute == [150] * 11
