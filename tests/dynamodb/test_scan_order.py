"""Scan order: DynamoDB scans partition by partition in the order of a hash of the partition key
(the items of one partition together, in sort-key order), and a parallel-scan segment is one
contiguous stretch of that hash space.

The hash is reimplemented here, independently of the server, from dynalite's source
(architect/dynalite db/index.js `hashPrefix`, `numToBuffer`, `createKey`; actions/scan.js for the
segment ranges): MD5 over b"Outliers" + the key's bytes (UTF-8 for S, raw for B, DynamoDB's
serialized number for N), ordered by its first 6 hex digits, then by the key; segment k of T holds
the 12-bit prefixes h with ceil(4096 k / T) <= h < ceil(4096 (k + 1) / T). dynalite's test suite
runs against live DynamoDB; its recorded orders and segment assignments (test/scan.js "should
return items in string hash order", "... number hash order", "... from correct string hash
segments", "... from correct number hash segments") are rows below.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from tests.dynamodb.helpers import create

HASH_ONLY = {"S": dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}])}
for _type in ("N", "B"):
    HASH_ONLY[_type] = dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": _type}],
                            KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}])
COMPOSITE = dict(  # table pk S + sk N; GSI g S + r N (KEYS_ONLY)
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                          {"AttributeName": "sk", "AttributeType": "N"},
                          {"AttributeName": "g", "AttributeType": "S"},
                          {"AttributeName": "r", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
               {"AttributeName": "sk", "KeyType": "RANGE"}],
    GlobalSecondaryIndexes=[{
        "IndexName": "byG", "Projection": {"ProjectionType": "KEYS_ONLY"},
        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                      {"AttributeName": "r", "KeyType": "RANGE"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 1000, "WriteCapacityUnits": 1000}}])


# -- dynalite's hash, reimplemented from its source ------------------------------------------------
def dynamodb_number_bytes(text: str) -> bytes:
    """numToBuffer: exponent byte floor((e + pad) / 2) - 64 (complemented if negative), then the
    digits in pairs aligned on the decimal point, each pair + 1 (negative: 101 - pair, then 102
    when fewer than 20 pairs); zero is 0x80."""
    number = Decimal(text)
    if number == 0:
        return b"\x80"
    sign, digit_tuple, exp = number.as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    point = len(digits) + exp            # number = 0.digits * 10**point
    digits = digits.rstrip("0")
    pad = point % 2
    digits = "0" * pad + digits
    digits += "0" * (len(digits) % 2)
    pairs = [int(digits[i:i + 2]) for i in range(0, len(digits), 2)]
    head = (point + pad) // 2 - 64
    if sign:
        return bytes([~head & 0xFF] + [101 - p for p in pairs] + ([102] if len(pairs) < 20 else []))
    return bytes([head & 0xFF] + [p + 1 for p in pairs])


def hash_hex(value: dict) -> str:
    (type_name, raw), = value.items()
    data = (raw.encode() if type_name == "S" else raw if type_name == "B"
            else dynamodb_number_bytes(raw))
    return hashlib.md5(b"Outliers" + data).hexdigest()[:6]


def tie_key(value: dict):
    (type_name, raw), = value.items()
    return Decimal(raw) if type_name == "N" else raw.encode() if type_name == "S" else raw


def expected_order(items: list, hash_name: str, range_name=None) -> list:
    def order(item):
        rank = (hash_hex(item[hash_name]), tie_key(item[hash_name]))
        return rank + ((tie_key(item[range_name]),) if range_name else ())
    return sorted(items, key=order)


def segment_of(value: dict, total: int) -> int:
    h = int(hash_hex(value)[:3], 16)
    return next(k for k in range(total) if -(-4096 * k // total) <= h < -(-4096 * (k + 1) // total))


# -- helpers -----------------------------------------------------------------------------------
def scan_all(ddb, **request) -> list:
    out, start = [], None
    while True:
        page = ddb.scan(**request, **({"ExclusiveStartKey": start} if start else {}))
        out += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return out


def put_all(ddb, table: str, items: list) -> None:
    for i in range(0, len(items), 25):
        ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": item}}
                                                   for item in items[i:i + 25]]})


@pytest.fixture(scope="module")
def composite(server, ddb):
    """12 partitions of 4 items; the GSI groups them into 5 `g` partitions."""
    name = "ScanOrder"
    create(server, ddb, name, read=1000, write=1000, keys=COMPOSITE)
    items = [{"pk": {"S": f"user#{p}"}, "sk": {"N": sk}, "g": {"S": f"group-{(p * 4 + i) % 5}"},
              "r": {"N": str(p * 10 + i)}, "pad": {"S": "x" * 50}}
             for p in range(12) for i, sk in enumerate(["-5", "0", "2.5", "100"])]
    put_all(ddb, name, items)
    return name, items


# -- order -------------------------------------------------------------------------------------
def test_table_scan_runs_in_partition_hash_order_with_sort_keys_in_order(ddb, composite):
    name, items = composite
    assert scan_all(ddb, TableName=name) == expected_order(items, "pk", "sk")


@pytest.mark.parametrize("type_name,values", [
    ("S", ["a", "b", "zzz", "äáöü", "0", "10", "user#1", "x" * 300]),
    ("N", ["0", "1", "-1", "0.5", "-0.09", "999.9", "12345678901234567890", "-1E-5", "1E+100",
           "3.14159", "-12345678901234567890123456789012345678", "7E-130"]),
    ("B", [b"\x00", b"\xff", b"abc", b"\x00\x01\x02", bytes(range(40))]),
])
def test_hash_order_for_each_key_type(server, ddb, unique, type_name, values):
    name = unique("order")
    create(server, ddb, name, read=1000, write=1000, keys=HASH_ONLY[type_name])
    items = [{"a": {type_name: v}} for v in values]
    put_all(ddb, name, items)
    got = scan_all(ddb, TableName=name)
    if type_name == "N":  # the server returns numbers normalised; compare them as numbers
        assert [Decimal(i["a"]["N"]) for i in got] == \
            [Decimal(i["a"]["N"]) for i in expected_order(items, "a")]
    else:
        assert got == expected_order(items, "a")


# Recorded against live DynamoDB by dynalite's test suite (test/scan.js).
AWS_ORDERS = [
    ("S", [str(i) for i in range(10)] + ["aardman", "hello", "zapf", "äáöü"],
     ["2", "8", "9", "1", "6", "hello", "0", "5", "4", "äáöü", "aardman", "7", "3", "zapf"]),
    ("N", [str(i) for i in range(10)] + ["-0.09", "999.9", "0.012345", "-999.9"],
     ["7", "999.9", "8", "3", "2", "-999.9", "9", "4", "-0.09", "6", "1", "0", "0.012345", "5"]),
]


@pytest.mark.parametrize("type_name,keys,order", AWS_ORDERS)
def test_recorded_aws_scan_order(server, ddb, unique, type_name, keys, order):
    name = unique("aws")
    create(server, ddb, name, read=1000, write=1000, keys=HASH_ONLY[type_name])
    put_all(ddb, name, [{"a": {type_name: k}} for k in keys])
    assert [i["a"][type_name] for i in scan_all(ddb, TableName=name)] == order
    assert [i["a"][type_name] for i in expected_order(
        [{"a": {type_name: k}} for k in keys], "a")] == order  # our reimplementation agrees


@pytest.mark.parametrize("type_name,key,segment", [  # TotalSegments 4096, recorded against AWS
    ("S", "3635", 0), ("S", "228", 0), ("S", "1668", 1), ("S", "3435", 4),
    ("N", "251", 1), ("N", "2388", 4095)])
def test_recorded_aws_segments(server, ddb, unique, type_name, key, segment):
    name = unique("seg")
    create(server, ddb, name, keys=HASH_ONLY[type_name])
    ddb.put_item(TableName=name, Item={"a": {type_name: key}})
    found = [k for k in {segment - 1, segment, segment + 1} if 0 <= k < 4096
             if ddb.scan(TableName=name, Segment=k, TotalSegments=4096)["Items"]]
    assert found == [segment] and segment_of({type_name: key}, 4096) == segment


def test_gsi_scan_runs_in_index_partition_hash_order(ddb, composite):
    name, items = composite
    got = scan_all(ddb, TableName=name, IndexName="byG")
    keys_only = [{k: i[k] for k in ("pk", "sk", "g", "r")} for i in items]
    assert got == expected_order(keys_only, "g", "r")
    assert [i["g"] for i in got] == sorted((i["g"] for i in got), key=lambda g: hash_hex(g))


# -- parallel scan and paging --------------------------------------------------------------------
@pytest.mark.parametrize("total", [2, 3, 5, 16])
@pytest.mark.parametrize("index", [None, "byG"])
def test_segments_are_contiguous_hash_ranges_in_scan_order(ddb, composite, total, index):
    name, _ = composite
    extra = {"IndexName": index} if index else {}
    hash_name = "g" if index else "pk"
    full = scan_all(ddb, TableName=name, **extra)
    parts = [scan_all(ddb, TableName=name, Segment=k, TotalSegments=total, Limit=3, **extra)
             for k in range(total)]
    assert [i for part in parts for i in part] == full
    for k, part in enumerate(parts):
        assert all(segment_of(i[hash_name], total) == k for i in part)


@pytest.mark.parametrize("limit", [1, 4, 7, 48])
def test_paging_with_limit_keeps_the_order(ddb, composite, limit):
    name, items = composite
    assert scan_all(ddb, TableName=name, Limit=limit) == expected_order(items, "pk", "sk")
    assert scan_all(ddb, TableName=name, IndexName="byG", Limit=limit) == \
        scan_all(ddb, TableName=name, IndexName="byG")


def test_last_evaluated_key_is_the_plain_key(ddb, composite):
    name, items = composite
    first = expected_order(items, "pk", "sk")[0]
    page = ddb.scan(TableName=name, Limit=1)
    assert page["LastEvaluatedKey"] == {"pk": first["pk"], "sk": first["sk"]}
    page = ddb.scan(TableName=name, IndexName="byG", Limit=1)
    assert set(page["LastEvaluatedKey"]) == {"pk", "sk", "g", "r"}


def test_query_still_reads_one_partition_in_sort_key_order(ddb, composite):
    name, items = composite
    out = ddb.query(TableName=name, KeyConditionExpression="pk = :p AND sk > :s",
                    ExpressionAttributeValues={":p": {"S": "user#3"}, ":s": {"N": "-5"}},
                    ScanIndexForward=False)
    assert [i["sk"]["N"] for i in out["Items"]] == ["100", "2.5", "0"]
    out = ddb.query(TableName=name, IndexName="byG", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "group-2"}})
    assert [i["r"]["N"] for i in out["Items"]] == sorted(
        (i["r"]["N"] for i in items if i["g"]["S"] == "group-2"), key=int)


# -- upgrade of a data directory written before the hash prefix -----------------------------------
def _component(raw: bytes) -> bytes:
    return raw.replace(b"\x00", b"\x00\xff") + b"\x00\x01"


def write_format_1(db_path: Path, table_name: str, items: list) -> None:
    """Rewrite the table's rows in the layout Dynoscale used before partition hash order (storage
    format 1, no "dynamodb.storage" document): table rows keyed (table id, UTF-8 of the S
    partition key, UTF-8 of the S sort key); entries of index `byG` (g S hash, r S range) keyed
    (table id + "/index/byG", UTF-8 of g, escaped-terminated r + escaped-terminated table pk +
    table sk); values the compact DynamoDB JSON of the item (the entry: its projection, ALL)."""
    db = sqlite3.connect(db_path)
    with db:
        (body,), = db.execute("SELECT body FROM docs WHERE kind='dynamodb.table' AND id=?",
                              (table_name,))
        table_id = json.loads(body)["id"]
        index_id = f"{table_id}/index/byG"
        db.execute("DELETE FROM docs WHERE kind='dynamodb.storage'")
        db.execute("DELETE FROM items WHERE tbl IN (?, ?)", (table_id, index_id))
        for item in items:
            pk, sk = item["pk"]["S"].encode(), item["sk"]["S"].encode()
            value = json.dumps(item, separators=(",", ":")).encode()
            db.execute("INSERT INTO items VALUES (?,?,?,?)", (table_id, pk, sk, value))
            db.execute("INSERT INTO items VALUES (?,?,?,?)",
                       (index_id, item["g"]["S"].encode(),
                        _component(item["r"]["S"].encode()) + _component(pk) + sk, value))
    db.close()


def test_data_written_before_hash_order_is_upgraded_at_start(make_server):
    s = make_server("--clock", "manual")
    ddb = s.client("dynamodb")
    keys = dict(AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                                      for n in ("pk", "sk", "g", "r")],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                           {"AttributeName": "sk", "KeyType": "RANGE"}],
                GlobalSecondaryIndexes=[{
                    "IndexName": "byG", "Projection": {"ProjectionType": "ALL"},
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                  {"AttributeName": "r", "KeyType": "RANGE"}],
                    "ProvisionedThroughput": {"ReadCapacityUnits": 100,
                                              "WriteCapacityUnits": 100}}])
    create(s, ddb, "Old", read=100, write=100, keys=keys)
    items = [{"pk": {"S": f"p{p}"}, "sk": {"S": f"s{i}"}, "g": {"S": f"g{(p + i) % 3}"},
              "r": {"S": f"r{p}{i}"}, "n": {"N": str(p * 10 + i)}}
             for p in range(7) for i in range(3)]
    s.stop()
    write_format_1(Path(s.data_dir) / "dynoscale.sqlite3", "Old", items)
    s.start()

    for restart in range(2):  # the second start must leave upgraded data alone
        for item in items:
            key = {"pk": item["pk"], "sk": item["sk"]}
            assert ddb.get_item(TableName="Old", Key=key)["Item"] == item
        assert scan_all(ddb, TableName="Old", Limit=5) == expected_order(items, "pk", "sk")
        assert scan_all(ddb, TableName="Old", IndexName="byG") == expected_order(items, "g", "r")
        out = ddb.query(TableName="Old", KeyConditionExpression="pk = :p",
                        ExpressionAttributeValues={":p": {"S": "p4"}})
        assert out["Items"] == [i for i in items if i["pk"]["S"] == "p4"]
        out = ddb.query(TableName="Old", IndexName="byG", KeyConditionExpression="g = :g",
                        ExpressionAttributeValues={":g": {"S": "g1"}})
        assert out["Items"] == sorted((i for i in items if i["g"]["S"] == "g1"),
                                      key=lambda i: i["r"]["S"])
        s.restart()
    # writes after the upgrade keep the index in step with the upgraded entries
    ddb.update_item(TableName="Old", Key={"pk": {"S": "p0"}, "sk": {"S": "s0"}},
                    UpdateExpression="SET g = :g", ExpressionAttributeValues={":g": {"S": "g2"}})
    ddb.delete_item(TableName="Old", Key={"pk": {"S": "p1"}, "sk": {"S": "s1"}})
    in_g2 = ddb.query(TableName="Old", IndexName="byG", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": "g2"}})["Items"]
    assert {(i["pk"]["S"], i["sk"]["S"]) for i in in_g2} == \
        {(i["pk"]["S"], i["sk"]["S"]) for i in items if i["g"]["S"] == "g2"
         and (i["pk"]["S"], i["sk"]["S"]) != ("p1", "s1")} | {("p0", "s0")}
    assert len(scan_all(ddb, TableName="Old", IndexName="byG")) == len(items) - 1
