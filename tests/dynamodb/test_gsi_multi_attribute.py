"""Multi-attribute keys for global secondary indexes (AWS, November 2025): up to four HASH and four
RANGE attributes in a GSI key schema, validated at CreateTable and UpdateTable; an item is indexed
only when it carries every key attribute; Query names every partition attribute with `=` and the
sort attributes left to right, with a range condition only on the last one it names.

Rules: DG "Using Global Secondary Indexes" (Multi-attribute key schema) and
GSI.DesignPattern.MultiAttributeKeys; behaviour recorded against AWS in moto's
test_dynamodb_multi_attribute_gsi.py (aws_verified) and scylladb's
test/alternator/test_gsi_composite_keys.py; texts: ack-api-quirks DDB-TABLE-442 (CreateTable) and
DynamoDB Local 3.3.1 as floci-io/floci PR #2471 matched it (Query). The Query matrix compares each
answer with the fixture's items filtered and ordered in Python: by the sort attributes left to
right (numbers numerically, binary bytewise), then by the table key.
"""

from __future__ import annotations

import itertools
import json
from decimal import Decimal

import pytest

from tests.dynamodb.helpers import CREATE_SECONDS, create, raw
from tests.kit import error

ON_DEMAND = {"BillingMode": "PAY_PER_REQUEST"}
TYPES = {"pk": "S", "h": "S", "h1": "S", "h2": "N", "r1": "S", "r2": "N", "r3": "B", "x": "S"}


def defs(*names):
    return [{"AttributeName": n, "AttributeType": TYPES.get(n, "S")} for n in names]


def gsi(name, hashes, ranges, projection="ALL"):
    return {"IndexName": name,
            "KeySchema": [{"AttributeName": n, "KeyType": "HASH"} for n in hashes]
            + [{"AttributeName": n, "KeyType": "RANGE"} for n in ranges],
            "Projection": {"ProjectionType": projection}}


TABLE_KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]
INDEXES = [gsi("h_r3", ["h"], ["r1", "r2", "r3"]), gsi("h2_r2", ["h1", "h2"], ["r1", "r2"]),
           gsi("simple", ["x"], [])]


def _items():
    """Every combination of a few key values, plus items missing one key attribute each."""
    out = []
    n = 0
    for h, r1, r2, r3 in itertools.product(("a", "b"), ("p", "pq", "q"), ("-5", "2", "10"),
                                           (b"\x00", b"\x01\x02")):
        n += 1
        out.append({"pk": {"S": f"i{n:03d}"}, "h": {"S": h}, "h1": {"S": h}, "h2": {"N": "7"},
                    "r1": {"S": r1}, "r2": {"N": r2}, "r3": {"B": r3}})
    # sparse: each lacks one attribute of h_r3's key (and h2_r2's where it is one of its own)
    out.append({"pk": {"S": "s1"}, "h": {"S": "a"}, "r1": {"S": "p"}, "r2": {"N": "2"}})
    out.append({"pk": {"S": "s2"}, "h": {"S": "a"}, "r1": {"S": "p"}, "r3": {"B": b"\x00"}})
    out.append({"pk": {"S": "s3"}, "h1": {"S": "a"}, "r1": {"S": "p"}, "r2": {"N": "2"}})
    return out


ITEMS = _items()


@pytest.fixture(scope="module")
def table(server, ddb):
    name = "MultiAttributeGsi"
    create(server, ddb, name, keys=dict(
        AttributeDefinitions=defs("pk", "h", "h1", "h2", "r1", "r2", "r3", "x"),
        KeySchema=TABLE_KEY), GlobalSecondaryIndexes=INDEXES, **ON_DEMAND)
    for item in ITEMS:
        ddb.put_item(TableName=name, Item=item)
    return name


def _value(v):
    kind, raw = next(iter(v.items()))
    return Decimal(raw) if kind == "N" else raw


def _indexed(index):
    names = [k["AttributeName"] for k in index["KeySchema"]]
    return [i for i in ITEMS if all(n in i for n in names)]


def _order(index, items):
    ranges = [k["AttributeName"] for k in index["KeySchema"] if k["KeyType"] == "RANGE"]
    return sorted(items, key=lambda i: tuple(_value(i[n]) for n in ranges) + (i["pk"]["S"],))


OPS = {"=": lambda a, b: a == b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
       ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _expected(index, conditions, forward=True):
    """conditions: [(name, op, values)] with op one of OPS, BETWEEN, begins_with."""
    def holds(item):
        for name, op, vals in conditions:
            v = _value(item[name])
            args = [_value(x) for x in vals]
            if op == "BETWEEN":
                ok = args[0] <= v <= args[1]
            elif op == "begins_with":
                ok = v.startswith(args[0])
            else:
                ok = OPS[op](v, args[0])
            if not ok:
                return False
        return True
    out = _order(index, [i for i in _indexed(index) if holds(i)])
    return out if forward else out[::-1]


def _expression(conditions):
    parts, values = [], {}
    for k, (name, op, vals) in enumerate(conditions):
        keys = [f":v{k}_{j}" for j in range(len(vals))]
        values.update(zip(keys, vals))
        if op == "BETWEEN":
            parts.append(f"#{name} BETWEEN {keys[0]} AND {keys[1]}")
        elif op == "begins_with":
            parts.append(f"begins_with(#{name}, {keys[0]})")
        else:
            parts.append(f"#{name} {op} {keys[0]}")
    names = {f"#{n}": n for n, _, _ in conditions}
    return dict(KeyConditionExpression=" AND ".join(parts), ExpressionAttributeNames=names,
                ExpressionAttributeValues=values)


LEGACY_OPS = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE", "BETWEEN": "BETWEEN",
              "begins_with": "BEGINS_WITH"}


def _legacy(conditions):
    return dict(KeyConditions={n: {"ComparisonOperator": LEGACY_OPS[op], "AttributeValueList": vals}
                               for n, op, vals in conditions})


def _query_all(ddb, table, index_name, request, limit=None):
    """Every item of a Query, page by page; the LastEvaluatedKeys seen."""
    items, keys, start = [], [], None
    while True:
        args = dict(TableName=table, IndexName=index_name, **request)
        if limit:
            args["Limit"] = limit
        if start:
            args["ExclusiveStartKey"] = start
        out = ddb.query(**args)
        items += out["Items"]
        start = out.get("LastEvaluatedKey")
        if not start:
            return items, keys
        keys.append(start)


S, N, B = (lambda v: {"S": v}), (lambda v: {"N": v}), (lambda v: {"B": v})
A = [("h", "=", [S("a")])]
A2 = [("h1", "=", [S("a")]), ("h2", "=", [N("7")])]
MATRIX = [
    ("h_r3", A),
    ("h_r3", A + [("r1", "=", [S("pq")])]),
    ("h_r3", A + [("r1", ">", [S("p")])]),
    ("h_r3", A + [("r1", "<=", [S("pq")])]),
    ("h_r3", A + [("r1", "BETWEEN", [S("p"), S("pq")])]),
    ("h_r3", A + [("r1", "begins_with", [S("p")])]),
    ("h_r3", A + [("r1", "=", [S("p")]), ("r2", "=", [N("2")])]),
    ("h_r3", A + [("r1", "=", [S("p")]), ("r2", "<", [N("10")])]),
    ("h_r3", A + [("r1", "=", [S("p")]), ("r2", ">=", [N("2")])]),
    ("h_r3", A + [("r1", "=", [S("q")]), ("r2", "BETWEEN", [N("-5"), N("2")])]),
    ("h_r3", A + [("r1", "=", [S("q")]), ("r2", ">", [N("-10")])]),
    ("h_r3", A + [("r1", "=", [S("p")]), ("r2", "=", [N("10")]), ("r3", "=", [B(b"\x00")])]),
    ("h_r3", A + [("r1", "=", [S("p")]), ("r2", "=", [N("10")]), ("r3", ">", [B(b"\x00")])]),
    ("h_r3", A + [("r1", "=", [S("p")]), ("r2", "=", [N("10")]),
                  ("r3", "begins_with", [B(b"\x01")])]),
    ("h_r3", A + [("r1", "=", [S("zz")])]),
    ("h2_r2", A2),
    ("h2_r2", A2 + [("r1", "=", [S("pq")])]),
    ("h2_r2", A2 + [("r1", "=", [S("pq")]), ("r2", "<=", [N("2")])]),
    ("h2_r2", A2 + [("r1", ">=", [S("pq")])]),
    ("h2_r2", [("h1", "=", [S("b")]), ("h2", "=", [N("7")]), ("r1", "=", [S("q")]),
               ("r2", "=", [N("-5")])]),
    ("h2_r2", [("h1", "=", [S("a")]), ("h2", "=", [N("8")])]),
]


def _index(name):
    return next(i for i in INDEXES if i["IndexName"] == name)


@pytest.mark.parametrize("index_name,conditions", MATRIX)
@pytest.mark.parametrize("forward", [True, False])
def test_query_matrix(ddb, table, index_name, conditions, forward):
    expected = _expected(_index(index_name), conditions, forward)
    for request in (_expression(conditions), _legacy(conditions)):
        request["ScanIndexForward"] = forward
        items, _ = _query_all(ddb, table, index_name, request)
        assert [i["pk"]["S"] for i in items] == [i["pk"]["S"] for i in expected]


@pytest.mark.parametrize("index_name,conditions", [MATRIX[0], MATRIX[7], MATRIX[15], MATRIX[18]])
def test_query_pages_carry_every_key_attribute(ddb, table, index_name, conditions):
    index = _index(index_name)
    expected = [i["pk"]["S"] for i in _expected(index, conditions)]
    items, lek = _query_all(ddb, table, index_name, _expression(conditions), limit=2)
    assert [i["pk"]["S"] for i in items] == expected
    names = {"pk"} | {k["AttributeName"] for k in index["KeySchema"]}
    assert lek and all(set(k) == names for k in lek)


def test_reversed_operands_and_legacy_mixed_with_prefix(ddb, table):
    out = ddb.query(TableName=table, IndexName="h_r3",
                    KeyConditionExpression=":r1 = r1 AND :n < r2 AND h = :h",
                    ExpressionAttributeValues={":h": S("a"), ":r1": S("p"), ":n": N("-5")})
    expected = _expected(_index("h_r3"), A + [("r1", "=", [S("p")]), ("r2", ">", [N("-5")])])
    assert [i["pk"]["S"] for i in out["Items"]] == [i["pk"]["S"] for i in expected]


QUERY_ERRORS = [
    ("h_r3", [("r1", "=", [S("p")])], "Query condition missed key schema element: h"),
    ("h2_r2", [("h1", "=", [S("a")])], "Query condition missed key schema element: h2"),
    ("h2_r2", [("h2", "=", [N("7")]), ("r1", "=", [S("p")])],
     "Query condition missed key schema element: h1"),
    ("h2_r2", [("h1", "=", [S("a")]), ("h2", ">", [N("7")])], "Query key condition not supported"),
    ("h2_r2", [("h1", "=", [S("a")]), ("h2", "BETWEEN", [N("1"), N("9")])],
     "Query key condition not supported"),
    ("h2_r2", [("h1", "begins_with", [S("a")]), ("h2", "=", [N("7")])],
     "Query key condition not supported"),
    ("h_r3", A + [("r2", "=", [N("2")])],
     "RANGE key attributes r1 must have equality conditions specified in the query because a "
     "condition is present on key attribute r2"),
    ("h_r3", A + [("r1", "=", [S("p")]), ("r3", "=", [B(b"\x00")])],
     "RANGE key attributes r2 must have equality conditions specified in the query because a "
     "condition is present on key attribute r3"),
    ("h_r3", A + [("r1", ">", [S("p")]), ("r2", "=", [N("2")])],
     "RANGE key attributes r1 must have equality conditions specified in the query because a "
     "condition is present on key attribute r2"),
    ("h_r3", A + [("r1", "begins_with", [S("p")]), ("r2", "=", [N("2")])],
     "RANGE key attributes r1 must have equality conditions specified in the query because a "
     "condition is present on key attribute r2"),
    ("h2_r2", A2 + [("r2", "<", [N("2")])],
     "RANGE key attributes r1 must have equality conditions specified in the query because a "
     "condition is present on key attribute r2"),
    ("h_r3", A + [("x", "=", [S("p")])], "Query key condition not supported"),
    ("h_r3", A + [("r2", "=", [S("2")]), ("r1", "=", [S("p")])],
     "One or more parameter values were invalid: Condition parameter type does not match schema "
     "type"),
    ("h2_r2", [("h1", "=", [S("a")]), ("h2", "=", [S("7")])],
     "One or more parameter values were invalid: Condition parameter type does not match schema "
     "type"),
]


@pytest.mark.parametrize("index_name,conditions,message", QUERY_ERRORS)
def test_query_errors(ddb, table, index_name, conditions, message):
    assert error(ddb.query, TableName=table, IndexName=index_name,
                 **_expression(conditions)) == ("ValidationException", message, 400)


@pytest.mark.parametrize("index_name,conditions,message", QUERY_ERRORS)
def test_legacy_key_condition_errors(ddb, table, index_name, conditions, message):
    # KeyConditions give the same answers (their own NE/IN/NULL/... texts aside)
    assert error(ddb.query, TableName=table, IndexName=index_name,
                 **_legacy(conditions)) == ("ValidationException", message, 400)


def test_legacy_operator_no_key_supports(ddb, table):
    assert error(ddb.query, TableName=table, IndexName="h2_r2", KeyConditions={
        "h1": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a")]},
        "h2": {"ComparisonOperator": "EQ", "AttributeValueList": [N("7")]},
        "r1": {"ComparisonOperator": "NE", "AttributeValueList": [S("a")]}}) == (
        "ValidationException", "Attempted conditional constraint is not an indexable operation",
        400)


def test_filter_and_start_key_follow_every_key_attribute(ddb, table):
    request = dict(TableName=table, IndexName="h2_r2", KeyConditionExpression="h1 = :a AND h2 = :b",
                   ExpressionAttributeValues={":a": S("a"), ":b": N("7")})
    assert error(ddb.query, **dict(request, ExpressionAttributeValues={
        ":a": S("a"), ":b": N("7"), ":c": N("2")}), FilterExpression="r2 = :c") == (
        "ValidationException", "Filter Expression can only contain non-primary key attributes: "
        "Primary key attribute: r2", 400)
    # a starting key without one of the index key attributes, or outside the partition
    assert error(ddb.query, **request, ExclusiveStartKey={
        "pk": S("i001"), "h1": S("a"), "r1": S("p"), "r2": N("2")}) == (
        "ValidationException", "The provided starting key is invalid", 400)
    assert error(ddb.query, **request, ExclusiveStartKey={
        "pk": S("i001"), "h1": S("b"), "h2": N("7"), "r1": S("p"), "r2": N("2")}) == (
        "ValidationException", "The provided starting key is outside query boundaries based on "
        "provided conditions", 400)
    assert error(ddb.query, **request, ConsistentRead=True) == (
        "ValidationException", "Consistent reads are not supported on global secondary indexes",
        400)


@pytest.mark.parametrize("index_name", ["h_r3", "h2_r2"])
def test_scan_of_the_index_pages_through_indexed_items(ddb, table, index_name):
    index = _index(index_name)
    names = {"pk"} | {k["AttributeName"] for k in index["KeySchema"]}
    seen, start = [], None
    while True:
        args = dict(TableName=table, IndexName=index_name, Limit=7)
        if start:
            args["ExclusiveStartKey"] = start
        out = ddb.scan(**args)
        seen += [i["pk"]["S"] for i in out["Items"]]
        start = out.get("LastEvaluatedKey")
        if not start:
            break
        assert set(start) == names
    assert sorted(seen) == sorted(i["pk"]["S"] for i in _indexed(index))
    assert len(seen) == len(set(seen))


def test_sparse_entries_follow_updates(ddb, table):
    key = {"pk": S("moving")}
    ddb.put_item(TableName=table, Item={**key, "h1": S("m"), "h2": N("1"), "r1": S("z")})
    query = dict(TableName=table, IndexName="h2_r2", KeyConditionExpression="h1 = :a AND h2 = :b",
                 ExpressionAttributeValues={":a": S("m"), ":b": N("1")})
    assert ddb.query(**query)["Count"] == 0           # r2 missing
    ddb.update_item(TableName=table, Key=key, UpdateExpression="SET r2 = :v",
                    ExpressionAttributeValues={":v": N("4")})
    assert [i["pk"] for i in ddb.query(**query)["Items"]] == [key["pk"]]
    ddb.update_item(TableName=table, Key=key, UpdateExpression="SET r1 = :v",
                    ExpressionAttributeValues={":v": S("y")})
    out = ddb.query(**query)["Items"]
    assert len(out) == 1 and out[0]["r1"] == S("y")   # re-keyed, not duplicated
    ddb.update_item(TableName=table, Key=key, UpdateExpression="REMOVE h2")
    assert ddb.query(**query)["Count"] == 0
    ddb.delete_item(TableName=table, Key=key)


def test_index_key_types_and_empty_values_are_checked_on_write(ddb, table):
    assert error(ddb.put_item, TableName=table, Item={"pk": S("t"), "h2": S("seven")}) == (
        "ValidationException", "One or more parameter values were invalid: Type mismatch for "
        "Index Key h2 Expected: N Actual: S IndexName: h2_r2", 400)
    code, message, status = error(ddb.put_item, TableName=table,
                                  Item={"pk": S("t"), "h1": S(""), "h2": N("1")})
    assert (code, status) == ("ValidationException", 400)
    assert message.endswith("cannot contain an empty string value. IndexName: h2_r2, IndexKey: h1")


def test_describe_table_keeps_the_key_schema_in_order(ddb, table):
    described = {g["IndexName"]: g for g in
                 ddb.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"]}
    for index in INDEXES:
        assert described[index["IndexName"]]["KeySchema"] == index["KeySchema"]
    counted = ddb.describe_table(TableName=table)["Table"]
    assert counted["TableStatus"] == "ACTIVE"


def test_four_and_four_with_mixed_types(server, ddb, unique):
    name = unique("ma44")
    hashes, ranges = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]
    types = dict(zip(hashes + ranges, "SNBSNSBN"))
    create(server, ddb, name, keys=dict(
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}]
        + [{"AttributeName": n, "AttributeType": t} for n, t in types.items()],
        KeySchema=TABLE_KEY), GlobalSecondaryIndexes=[gsi("g44", hashes, ranges)], **ON_DEMAND)
    desc = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
    assert [k["AttributeName"] for k in desc["KeySchema"]] == hashes + ranges
    sample = {"S": S("s"), "N": N("1"), "B": B(b"\x07")}
    base = {n: sample[t] for n, t in types.items()}
    for i in range(3):
        ddb.put_item(TableName=name, Item={**base, "pk": S(f"p{i}"), "b4": N(str(3 - i))})
    condition = " AND ".join(f"{n} = :{n}" for n in hashes + ranges[:3])
    out = ddb.query(TableName=name, IndexName="g44",
                    KeyConditionExpression=condition + " AND b4 >= :lo",
                    ExpressionAttributeValues={**{f":{n}": base[n] for n in hashes + ranges[:3]},
                                               ":lo": N("2")})
    assert [i["pk"]["S"] for i in out["Items"]] == ["p1", "p0"]   # b4 = 2, 3


# -- CreateTable and UpdateTable ----------------------------------------------------------------
def _create_args(name, key_schema, names):
    return dict(TableName=name, KeySchema=TABLE_KEY, AttributeDefinitions=defs("pk", *names),
                GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": key_schema,
                                         "Projection": {"ProjectionType": "ALL"}}], **ON_DEMAND)


def ks(*pairs):
    return [{"AttributeName": n, "KeyType": t} for n, t in pairs]


INVALID = "One or more parameter values were invalid: "
SCHEMA_ERRORS = [
    (ks(*[(f"a{i}", "HASH") for i in range(5)]),
     INVALID + "The KeySchema exceeds the maximum allowed number of HASH key attributes"),
    (ks(("a0", "HASH"), *[(f"b{i}", "RANGE") for i in range(5)]),
     INVALID + "The KeySchema exceeds the maximum allowed number of RANGE key attributes"),
    (ks(("a", "RANGE"), ("b", "HASH")),
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    (ks(("a", "RANGE"), ("b", "RANGE")),
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    (ks(("a", "HASH"), ("b", "RANGE"), ("c", "HASH")),
     INVALID + "All HASH key attributes must precede RANGE key attributes in the KeySchema"),
    (ks(("a", "HASH"), ("a", "HASH")),
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    (ks(("a", "HASH"), ("b", "HASH"), ("a", "HASH")), "Attribute Name is duplicated: a"),
    (ks(("a", "HASH"), ("b", "RANGE"), ("b", "RANGE")), "Attribute Name is duplicated: b"),
    (ks(("a", "HASH"), ("b", "HASH"), ("a", "RANGE")),
     "The KeySchema contains multiple key attributes with the same name"),
    (ks(("a", "HASH"), ("a", "RANGE")),
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
]


@pytest.mark.parametrize("key_schema,message", SCHEMA_ERRORS)
def test_create_table_rejects_bad_gsi_key_schemas(ddb, unique, key_schema, message):
    names = sorted({k["AttributeName"] for k in key_schema})
    assert error(ddb.create_table, **_create_args(unique("mab"), key_schema, names)) == (
        "ValidationException", message, 400)


@pytest.mark.parametrize("key_schema,message", SCHEMA_ERRORS[:5])
def test_update_table_rejects_bad_gsi_key_schemas(server, ddb, unique, key_schema, message):
    name = unique("mau")
    create(server, ddb, name, keys=dict(AttributeDefinitions=defs("pk"), KeySchema=TABLE_KEY),
           **ON_DEMAND)
    names = sorted({k["AttributeName"] for k in key_schema})
    assert error(ddb.update_table, TableName=name, AttributeDefinitions=defs(*names),
                 GlobalSecondaryIndexUpdates=[{"Create": {
                     "IndexName": "gsi", "KeySchema": key_schema,
                     "Projection": {"ProjectionType": "ALL"}}}]) == (
        "ValidationException", message, 400)


def test_undefined_gsi_key_attribute(ddb, unique):
    args = _create_args(unique("mad"), ks(("a", "HASH"), ("b", "HASH")), ["a"])
    assert error(ddb.create_table, **args) == (
        "ValidationException", INVALID + "Some index key attributes are not defined in "
        "AttributeDefinitions. Keys: [a, b], AttributeDefinitions: [pk, a]", 400)


def test_tables_and_lsis_keep_one_hash_and_one_range(ddb, unique):
    # table: two HASH elements are still "second is not RANGE"; three elements the model bound
    args = dict(TableName=unique("mat"), AttributeDefinitions=defs("pk", "a", "b"), **ON_DEMAND)
    assert error(ddb.create_table, **args, KeySchema=ks(("pk", "HASH"), ("a", "HASH"))) == (
        "ValidationException",
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type", 400)
    code, message, _ = error(ddb.create_table, **args,
                             KeySchema=ks(("pk", "HASH"), ("a", "RANGE"), ("b", "RANGE")))
    assert message.endswith("at 'keySchema' failed to satisfy constraint: Member must have "
                            "length less than or equal to 2")
    code, message, _ = error(
        ddb.create_table, **args, KeySchema=ks(("pk", "HASH"), ("a", "RANGE")),
        LocalSecondaryIndexes=[{"IndexName": "lsi", "KeySchema": ks(("pk", "HASH"), ("a", "RANGE"),
                                                                  ("b", "RANGE")),
                                "Projection": {"ProjectionType": "ALL"}}])
    assert code == "ValidationException"
    assert message.endswith("at 'localSecondaryIndexes.1.member.keySchema' failed to satisfy "
                            "constraint: Member must have length less than or equal to 2")


def test_update_table_adds_a_multi_attribute_gsi_and_backfills(server, ddb, unique):
    name = unique("mabf")
    create(server, ddb, name, keys=dict(AttributeDefinitions=defs("pk"), KeySchema=TABLE_KEY),
           **ON_DEMAND)
    for i in range(6):
        item = {"pk": S(f"p{i}"), "h1": S("t"), "h2": N(str(i % 2)), "r1": S(f"r{5 - i}")}
        if i != 5:
            item["r2"] = N(str(i))
        ddb.put_item(TableName=name, Item=item)
    ddb.update_table(TableName=name, AttributeDefinitions=defs("h1", "h2", "r1", "r2"),
                     GlobalSecondaryIndexUpdates=[{"Create": gsi("late", ["h1", "h2"],
                                                                 ["r1", "r2"])}])
    server.advance(10)
    desc = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
    assert desc["IndexStatus"] == "ACTIVE"
    assert desc["KeySchema"] == gsi("late", ["h1", "h2"], ["r1", "r2"])["KeySchema"]
    out = ddb.query(TableName=name, IndexName="late", KeyConditionExpression="h1 = :a AND h2 = :b",
                    ExpressionAttributeValues={":a": S("t"), ":b": N("0")})
    assert [i["pk"]["S"] for i in out["Items"]] == ["p4", "p2", "p0"]   # r1 = r1, r3, r5
    out = ddb.query(TableName=name, IndexName="late", KeyConditionExpression="h1 = :a AND h2 = :b",
                    ExpressionAttributeValues={":a": S("t"), ":b": N("1")})
    assert [i["pk"]["S"] for i in out["Items"]] == ["p3", "p1"]   # p5 has no r2: not indexed


def test_multi_attribute_gsi_survives_restart(make_server):
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    create(server, ddb, "durable", keys=dict(AttributeDefinitions=defs("pk", "h1", "h2"),
                                             KeySchema=TABLE_KEY),
           GlobalSecondaryIndexes=[gsi("gsi", ["h1", "h2"], [])], **ON_DEMAND)
    ddb.put_item(TableName="durable", Item={"pk": S("p"), "h1": S("a"), "h2": N("1")})
    server.restart()
    ddb = server.client("dynamodb")
    out = ddb.query(TableName="durable", IndexName="gsi", KeyConditionExpression="h1 = :a AND h2 = :b",
                    ExpressionAttributeValues={":a": S("a"), ":b": N("1")})
    assert [i["pk"]["S"] for i in out["Items"]] == ["p"]


def test_more_than_two_conditions_on_a_single_attribute_key(ddb, table):
    # the shape check now admits up to eight conditions; the table's own schema then refuses a
    # third one (inferred: as a condition on a non-key attribute of a hash-only schema)
    assert error(ddb.query, TableName=table, **_expression(
        [("pk", "=", [S("i001")]), ("h", "=", [S("a")]), ("r1", "=", [S("p")])])) == (
        "ValidationException", "Query key condition not supported", 400)
    assert error(ddb.query, TableName=table, IndexName="simple", **_expression(
        [("x", "=", [S("a")]), ("h", "=", [S("a")])])) == (
        "ValidationException", "Query key condition not supported", 400)


def test_partiql_select_on_a_multi_attribute_index(ddb, table):
    out = ddb.execute_statement(
        Statement=f'SELECT pk FROM "{table}"."h2_r2" WHERE h1 = ? AND h2 = ? AND r1 = ?',
        Parameters=[S("b"), N("7"), S("pq")])
    expected = _expected(_index("h2_r2"), [("h1", "=", [S("b")]), ("h2", "=", [N("7")]),
                                           ("r1", "=", [S("pq")])])
    assert sorted(i["pk"]["S"] for i in out["Items"]) == sorted(i["pk"]["S"] for i in expected)


def test_aws_cli_creates_and_queries_a_multi_attribute_gsi(server, ddb, unique):
    name = unique("macli")
    gsis = json.dumps([gsi("by_region", ["h1", "h2"], ["r1"])])
    created = server.aws("dynamodb", "create-table", "--table-name", name,
                         "--attribute-definitions", json.dumps(defs("pk", "h1", "h2", "r1")),
                         "--key-schema", json.dumps(TABLE_KEY), "--billing-mode",
                         "PAY_PER_REQUEST", "--global-secondary-indexes", gsis).json
    assert created["TableDescription"]["GlobalSecondaryIndexes"][0]["KeySchema"] == \
        gsi("by_region", ["h1", "h2"], ["r1"])["KeySchema"]
    server.advance(CREATE_SECONDS)
    for i, r1 in enumerate(("b", "a", "c")):
        ddb.put_item(TableName=name, Item={"pk": S(f"p{i}"), "h1": S("t"), "h2": N("1"),
                                           "r1": S(r1)})
    out = server.aws("dynamodb", "query", "--table-name", name, "--index-name", "by_region",
                     "--key-condition-expression", "h1 = :a AND h2 = :b AND r1 >= :c",
                     "--expression-attribute-values",
                     json.dumps({":a": S("t"), ":b": N("1"), ":c": S("b")})).json
    assert [i["r1"]["S"] for i in out["Items"]] == ["b", "c"]
    failed = server.aws("dynamodb", "query", "--table-name", name, "--index-name", "by_region",
                        "--key-condition-expression", "h1 = :a",
                        "--expression-attribute-values", json.dumps({":a": S("t")}), check=False)
    assert failed.returncode != 0
    assert "Query condition missed key schema element: h2" in failed.stderr


def test_raw_http_error_namespace(server, table):
    status, body = raw(server, "Query", {
        "TableName": table, "IndexName": "h_r3",
        "KeyConditionExpression": "h = :h AND r2 = :r",
        "ExpressionAttributeValues": {":h": S("a"), ":r": N("1")}})
    assert status == 400
    assert body == {"__type": "com.amazon.coral.validate#ValidationException",
                    "message": "RANGE key attributes r1 must have equality conditions specified in "
                               "the query because a condition is present on key attribute r2"}
    status, body = raw(server, "CreateTable", _create_args(
        "raw-multi", ks(*[(f"a{i}", "HASH") for i in range(5)]), [f"a{i}" for i in range(5)]))
    assert status == 400
    assert body["__type"] == "com.amazon.coral.validate#ValidationException"
    assert body["message"] == (INVALID + "The KeySchema exceeds the maximum allowed number of "
                               "HASH key attributes")
