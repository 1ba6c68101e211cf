"""The dashboard's JSON API (/_dynoscale/ui/api/...), which the page polls: its shapes, its time
windows, empty and unknown tables, and the static files the page loads (issue: "The JSON API
behind the page has its own tests (shapes, time windows, empty tables)")."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.dynamodb.helpers import create

WCU = "dynamodb:table:WriteCapacityUnits"


def get(server, path):
    try:
        with urllib.request.urlopen(server.url + path, timeout=30) as r:
            body = r.read()
            return r.status, r.headers.get("content-type"), body
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("content-type"), e.read()


def api(server, path):
    status, ctype, body = get(server, "/_dynoscale/ui/api/" + path)
    assert ctype == "application/json"
    return status, json.loads(body)


@pytest.fixture(scope="module")
def scaled(server, ddb):
    """A 5/5 table with the tutorial's write policy, driven at its full 5 WCU (twice the 50 %
    target) for a few minutes, so that AlarmHigh fires and auto scaling sets 10 WCU."""
    name = "DashScaled"
    create(server, ddb, name, read=5, write=5)
    aas = server.client("application-autoscaling")
    aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                 ScalableDimension=WCU, MinCapacity=5, MaxCapacity=10)
    aas.put_scaling_policy(
        ServiceNamespace="dynamodb", ResourceId=f"table/{name}", ScalableDimension=WCU,
        PolicyName="dash-policy", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
            "TargetValue": 50.0, "ScaleOutCooldown": 60, "ScaleInCooldown": 60})
    start = server.now()
    for _ in range(4):  # 4 minutes at 5 WCU/s: 100 % of 5, twice the target: 10 WCU
        for i in range(300):
            ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "pad": {"S": "x" * 900}})
        server.advance(60)
    server.advance(180)
    return name, start


def test_the_page_and_its_files_are_served(server):
    status, ctype, body = get(server, "/_dynoscale/ui")
    assert status == 200 and ctype.startswith("text/html") and b"dashboard.js" in body
    for name, kind in (("dashboard.js", "text/javascript"), ("dashboard.css", "text/css"),
                       ("plotly.min.js", "text/javascript")):
        status, ctype, body = get(server, f"/_dynoscale/ui/static/{name}")
        assert status == 200 and ctype.startswith(kind) and len(body) > 1000
    assert get(server, "/_dynoscale/ui/static/../admin.py")[0] == 404


def test_the_chart_library_is_the_declared_package_s_served_locally(server):
    """Plotly is a declared dependency of the package (pyproject's [project] dependencies), the
    served plotly.min.js is byte for byte the one that package installs, and the page loads
    nothing from anywhere else (no CDN)."""
    import importlib.metadata
    import importlib.resources
    import re
    required = importlib.metadata.requires("dynoscale") or []
    assert any(re.match(r"plotly\b", r) and "extra ==" not in r for r in required), required
    installed = (importlib.resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()
    assert get(server, "/_dynoscale/ui/static/plotly.min.js")[2] == installed
    page = get(server, "/_dynoscale/ui")[2].decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(src.startswith("/_dynoscale/ui/static/") for src in sources), sources
    for name in ("dashboard.js", "dashboard.css"):
        text = get(server, f"/_dynoscale/ui/static/{name}")[2].decode()
        # no fetch, import or url() of another origin (the only URLs are in messages)
        assert not re.search(r"(import|fetch|url)\(\s*[\"']?(https?:)?//", text), name
    assert get(server, "/_dynoscale/ui/api/nothing")[0] == 404


def test_an_account_without_tables(server):
    status, doc = api(server, "overview?account=999999999999&region=eu-west-3")
    assert status == 200
    assert (doc["account"], doc["region"], doc["tables"], doc["alarms"], doc["activities"]) == \
        ("999999999999", "eu-west-3", [], [], [])
    assert doc["clock"]["mode"] == "manual" and doc["clock"]["now"] == server.now()


def test_overview_of_a_scaled_table(server, scaled):
    name, _ = scaled
    status, doc = api(server, "overview")
    assert status == 200
    table = next(t for t in doc["tables"] if t["name"] == name)
    assert (table["status"], table["billing"], table["read"], table["write"]) == \
        ("ACTIVE", "PROVISIONED", 5, 10)
    assert table["stream"] == {"enabled": False, "viewType": None, "arn": None}
    assert table["ttl"] == {"status": "DISABLED", "attribute": None}
    [target] = table["scaling"]
    assert (target["resource"], target["dimension"], target["min"], target["max"]) == \
        (f"table/{name}", WCU, 5, 10)
    [policy] = target["policies"]
    assert (policy["name"], policy["target"], policy["metric"]) == \
        ("dash-policy", 50.0, "DynamoDBWriteCapacityUtilization")
    assert len(policy["alarms"]) == 4
    mine = [a for a in doc["alarms"] if a["name"] in policy["alarms"]]
    assert len(mine) == 4 and all(a["state"] in ("OK", "ALARM", "INSUFFICIENT_DATA") for a in mine)
    activity = next(a for a in doc["activities"] if a["resource"] == f"table/{name}")
    assert activity["description"] == "Setting write capacity units to 10."
    assert activity["status"] == "Successful" and "AlarmHigh" in activity["cause"]


def test_capacity_per_minute(server, scaled):
    name, start = scaled
    status, doc = api(server, f"capacity?table={name}&minutes=10")
    assert status == 200 and doc["table"] == name and doc["index"] is None
    minutes = doc["minutes"]
    assert len(minutes) == 10 and all(b - a == 60 for a, b in zip(minutes, minutes[1:]))
    assert doc["end"] == minutes[-1] + 60 and minutes[0] <= doc["now"] - 9 * 60
    write = doc["write"]
    assert len(write["consumed"]) == len(write["provisioned"]) == len(write["throttleEvents"]) == 10
    busy = [v for v in write["consumed"] if v]   # idle minutes: the zero sample, 0.0
    assert busy and all(v == 5.0 for v in busy)  # 300 one-unit writes a minute: 5 per second
    assert write["current"] == 10 and write["provisioned"][-1] == 10
    assert doc["read"]["current"] == 5 and not any(doc["read"]["consumed"])
    high = next(a for a in doc["alarms"] if "AlarmHigh" in a["name"])
    assert (high["direction"], high["unitsPerSecond"]) == ("write", high["threshold"] / 60)
    assert any(c["alarm"] == high["name"] and "to ALARM" in c["summary"] for c in doc["alarmChanges"])
    assert [a["description"] for a in doc["activities"]] == ["Setting write capacity units to 10."]


def test_capacity_window_bounds_and_unknown_names(server, scaled):
    name, _ = scaled
    assert api(server, f"capacity?table={name}&minutes=0")[0] == 400
    assert api(server, f"capacity?table={name}&minutes=abc")[0] == 400
    assert api(server, f"capacity?table={name}&minutes=1441")[0] == 400
    status, doc = api(server, f"capacity?table={name}&minutes=1440")
    assert status == 200 and len(doc["minutes"]) == 1440
    assert api(server, "capacity")[0] == 400
    status, doc = api(server, "capacity?table=NoSuchTable")
    assert status == 404 and "not found" in doc["error"]
    assert api(server, f"capacity?table={name}&index=nope")[0] == 404


def test_an_idle_table_and_its_gsi(server, ddb):
    name = "DashIdle"
    create(server, ddb, name, read=3, write=4, keys=dict(
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}]), GlobalSecondaryIndexes=[{
            "IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1}}])
    status, doc = api(server, f"capacity?table={name}&index=by-g&minutes=5")
    assert status == 200 and doc["index"] == "by-g"
    assert doc["write"]["consumed"] == [None] * 5 and doc["write"]["throttleEvents"] == [0] * 5
    assert (doc["read"]["current"], doc["write"]["current"]) == (2, 1)
    assert doc["alarms"] == [] and doc["activities"] == []
    table = next(t for t in api(server, "overview")[1]["tables"] if t["name"] == name)
    assert table["indexes"] == [{"name": "by-g", "kind": "GSI", "status": "ACTIVE", "items": 0,
                                 "bytes": 0, "read": 2, "write": 1}]


def test_only_get(server):
    req = urllib.request.Request(server.url + "/_dynoscale/ui/api/overview", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    assert e.value.code == 405


# -- per second ---------------------------------------------------------------------------------
def test_capacity_per_second_on_the_manual_clock(server, ddb):
    """Each whole second of simulated time holds the units charged in it and the provisioned
    rate; the window is the last `seconds` seconds up to the current one."""
    name = "DashSeconds"
    create(server, ddb, name, read=2, write=1)
    t0 = int(server.now())
    for i in range(3):  # 3 one-unit writes in second t0
        ddb.put_item(TableName=name, Item={"id": {"S": f"a{i}"}})
    server.advance(1)
    ddb.put_item(TableName=name, Item={"id": {"S": "b"}, "pad": {"S": "x" * 1500}})  # 2 WCU
    ddb.get_item(TableName=name, Key={"id": {"S": "b"}})  # 0.5 RCU
    server.advance(2)
    now = server.now()
    status, doc = api(server, f"capacity?table={name}&resolution=second&seconds=10")
    assert status == 200 and doc["resolution"] == "second" and doc["table"] == name
    seconds = doc["seconds"]
    assert seconds == list(range(int(now) - 9, int(now) + 1))
    assert (doc["start"], doc["end"]) == (seconds[0], seconds[-1] + 1)
    at = {s: i for i, s in enumerate(seconds)}
    write, read = doc["write"], doc["read"]
    assert len(write["consumed"]) == len(write["provisioned"]) == len(write["throttleEvents"]) == 10
    assert write["consumed"][at[t0]] == 3 and write["consumed"][at[t0 + 1]] == 2
    assert [v for s, v in zip(seconds, write["consumed"]) if s not in (t0, t0 + 1)] == [None] * 8
    assert read["consumed"][at[t0 + 1]] == 0.5 and sum(v is not None for v in read["consumed"]) == 1
    assert write["provisioned"] == [1] * 10 and read["provisioned"] == [2] * 10
    assert write["throttleEvents"] == [0] * 10 and (write["current"], read["current"]) == (1, 2)
    assert "throttledRequests" not in doc  # kept per minute only
    assert doc["alarms"] == [] and doc["alarmChanges"] == [] and doc["activities"] == []
    # the default window is five minutes; what is older than that has gone
    status, doc = api(server, f"capacity?table={name}&resolution=second")
    assert status == 200 and len(doc["seconds"]) == 300 and doc["seconds"][-1] == int(now)
    server.advance(300)
    status, doc = api(server, f"capacity?table={name}&resolution=second")
    assert doc["write"]["consumed"] == [None] * 300 and doc["write"]["provisioned"] == [1] * 300


def test_throttle_events_per_second(server, ddb):
    """A 1 WCU table holds 300 units of burst: a 390 KB write (381 units) takes it into debt,
    and the next write is throttled: one throttle event in that second, nothing consumed by it."""
    name = "DashSecondsThrottled"
    create(server, ddb, name, read=1, write=1)
    big = {"id": {"S": "big"}, "pad": {"S": "x" * 390_000}}
    t0 = int(server.now())
    ddb.put_item(TableName=name, Item=big)
    server.advance(1)
    with pytest.raises(ddb.exceptions.ProvisionedThroughputExceededException):
        ddb.put_item(TableName=name, Item={"id": {"S": "small"}})
    status, doc = api(server, f"capacity?table={name}&resolution=second&seconds=2")
    assert status == 200 and doc["seconds"] == [t0, t0 + 1]
    assert doc["write"]["consumed"] == [381, 0]  # a second of requests, all throttled
    assert doc["write"]["throttleEvents"] == [0, 1] and doc["write"]["provisioned"] == [1, 1]
    # per minute: the throttled write counted as a write's throttled request, then a read one
    for _ in range(4):  # 4 strongly consistent reads of 96 units: the 300-unit burst overdrawn
        ddb.get_item(TableName=name, Key={"id": {"S": "big"}}, ConsistentRead=True)
    with pytest.raises(ddb.exceptions.ProvisionedThroughputExceededException):
        ddb.get_item(TableName=name, Key={"id": {"S": "big"}}, ConsistentRead=True)
    server.advance(60)
    status, doc = api(server, f"capacity?table={name}&minutes=3")
    write, read = doc["write"], doc["read"]
    assert (sum(write["throttleEvents"]), sum(write["throttledRequests"])) == (1, 1)
    assert (sum(read["throttleEvents"]), sum(read["throttledRequests"])) == (1, 1)
    assert sum(doc["throttledRequests"]) == 2
    assert len(write["throttledRequests"]) == len(doc["minutes"]) == 3


def test_a_gsi_per_second_and_an_on_demand_table(server, ddb):
    name = "DashSecondsGsi"
    create(server, ddb, name, read=3, write=4, keys=dict(
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}]), GlobalSecondaryIndexes=[{
            "IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 6}}])
    ddb.put_item(TableName=name, Item={"id": {"S": "1"}, "g": {"S": "x"}})
    status, doc = api(server, f"capacity?table={name}&index=by-g&resolution=second&seconds=1")
    assert status == 200 and doc["index"] == "by-g"
    assert (doc["write"]["consumed"], doc["write"]["provisioned"]) == ([1], [6])
    assert (doc["read"]["consumed"], doc["read"]["provisioned"]) == ([None], [2])
    status, doc = api(server, f"capacity?table={name}&resolution=second&seconds=1")
    assert (doc["write"]["consumed"], doc["write"]["provisioned"]) == ([1], [4])
    ondemand = "DashSecondsOnDemand"
    create(server, ddb, ondemand, BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=ondemand, Item={"id": {"S": "1"}})
    status, doc = api(server, f"capacity?table={ondemand}&resolution=second&seconds=1")
    assert (doc["write"]["consumed"], doc["write"]["provisioned"], doc["write"]["current"]) == \
        ([1], [None], None)


def test_capacity_per_second_bounds(server, ddb):
    name = "DashSecondsBounds"
    create(server, ddb, name)
    for query in ("resolution=second&seconds=0", "resolution=second&seconds=301",
                  "resolution=second&seconds=x", "resolution=hour"):
        status, doc = api(server, f"capacity?table={name}&{query}")
        assert status == 400, query
    assert "seconds must be a whole number from 1 to 300" in \
        api(server, f"capacity?table={name}&resolution=second&seconds=0")[1]["error"]
    assert api(server, "capacity?table=NoSuchTable&resolution=second")[0] == 404
    assert api(server, f"capacity?table={name}&index=nope&resolution=second")[0] == 404
    status, doc = api(server, f"capacity?table={name}&resolution=minute&minutes=2")
    assert status == 200 and doc["resolution"] == "minute" and len(doc["minutes"]) == 2


def test_a_throttled_batch_per_second(server, ddb):
    """BatchWriteItem on a table in debt: every item is throttled (the request fails, spec
    2.1.6), one throttle event per item, in the second it was refused."""
    name = "DashSecondsBatch"
    create(server, ddb, name, read=1, write=1)
    ddb.put_item(TableName=name, Item={"id": {"S": "big"}, "pad": {"S": "x" * 390_000}})
    server.advance(1)
    t1 = int(server.now())
    with pytest.raises(ddb.exceptions.ProvisionedThroughputExceededException):
        ddb.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": {"id": {"S": str(i)}}}} for i in range(3)]})
    status, doc = api(server, f"capacity?table={name}&resolution=second&seconds=1")
    assert status == 200 and doc["seconds"] == [t1]
    assert (doc["write"]["consumed"], doc["write"]["throttleEvents"]) == ([0], [3])  # throttled only


def test_overview_of_an_on_demand_table_with_stream_ttl_and_indexes(server, ddb):
    """Scope 1: billing mode and on-demand limits, status, item count and size (as DescribeTable
    reports them), the stream, TTL, and each index (GSI and LSI)."""
    name = "DashOnDemand"
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
           OnDemandThroughput={"MaxReadRequestUnits": 40, "MaxWriteRequestUnits": 30},
           keys=dict(AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                           {"AttributeName": "s", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"},
                                {"AttributeName": "s", "KeyType": "RANGE"}]),
           StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
           GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
                                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}],
           LocalSecondaryIndexes=[{"IndexName": "by-id-g", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                   "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                                                 {"AttributeName": "g", "KeyType": "RANGE"}]}])
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True,
                                                                     "AttributeName": "expires"})
    for i in range(3):
        ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "s": {"S": str(i)}, "g": {"S": "x"}})
    server.advance(6 * 3600)  # DescribeTable's counts are refreshed about every six hours
    described = ddb.describe_table(TableName=name)["Table"]
    table = next(t for t in api(server, "overview")[1]["tables"] if t["name"] == name)
    assert (table["status"], table["billing"], table["read"], table["write"],
            table["maxRead"], table["maxWrite"]) == ("ACTIVE", "PAY_PER_REQUEST", None, None, 40, 30)
    assert (table["items"], table["bytes"]) == (described["ItemCount"], described["TableSizeBytes"])
    assert table["items"] == 3 and table["bytes"] > 0
    assert table["stream"] == {"enabled": True, "viewType": "NEW_IMAGE",
                               "arn": described["LatestStreamArn"]}
    assert table["ttl"] == {"status": "ENABLED", "attribute": "expires"}
    kinds = {i["name"]: (i["kind"], i["status"], i["items"]) for i in table["indexes"]}
    assert kinds == {"by-g": ("GSI", "ACTIVE", 3), "by-id-g": ("LSI", "ACTIVE", 3)}
    assert table["scaling"] == []


def test_the_start_line_prints_the_dashboard_s_address(server):
    """The issue: "serve a web dashboard ... at /_dynoscale/ui (and print its address at start)":
    the address printed is one that answers the page."""
    import re
    log = server.log_path.read_text()
    [address] = re.findall(r"\| dashboard: (http://\S+/_dynoscale/ui)$", log, re.M)
    assert address == f"http://127.0.0.1:{server.port}/_dynoscale/ui"
    with urllib.request.urlopen(address, timeout=30) as r:
        assert r.status == 200 and b"dashboard.js" in r.read()
