"""ExecuteStatement: every statement form, literal type, parameters, paging, capacity and the
error texts, over HTTP with boto3 and the aws CLI.

Expected texts and behaviours are AWS's as recorded by dynamodb-conformance (nubo-db and
paritysuite: tests/tier2/partiql/*.test.ts and tests/tier3/error-messages/partiql*.test.ts,
pinned against real AWS in eu-west-2, 2026) unless a test names another source; the DynamoDB
developer guide "PartiQL - a SQL-compatible query language for Amazon DynamoDB" for the forms.
"""

from __future__ import annotations

import json

import pytest

from tests.dynamodb.helpers import DDB_NS, VALIDATE_NS, create, raw
from tests.kit import error, raised

NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "
HASH = "PqHash"
COMP = "PqComp"
IDX = "PqIdx"


def s(v):
    return {"S": v}


def n(v):
    return {"N": str(v)}


@pytest.fixture(scope="module")
def tables(server, ddb):
    create(server, ddb, HASH, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]))
    create(server, ddb, COMP, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}]))
    create(server, ddb, IDX, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"},
                                           {"AttributeName": "l", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}]),
           GlobalSecondaryIndexes=[
               {"IndexName": "gsi-all", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1000, "WriteCapacityUnits": 1000}},
               {"IndexName": "gsi-inc", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["proj"]},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1000, "WriteCapacityUnits": 1000}}],
           LocalSecondaryIndexes=[
               {"IndexName": "lsi-keys", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                       {"AttributeName": "l", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    for i in range(1, 5):
        ddb.put_item(TableName=IDX, Item={"pk": s("p"), "sk": s(f"s{i}"), "g": s("x" if i % 2 else "z"),
                                          "l": s(f"l{i}"), "proj": s(f"proj{i}"),
                                          "nonproj": s(f"np{i}")})
    ddb.put_item(TableName=IDX, Item={"pk": s("p"), "sk": s("s5"), "nonproj": s("np5")})
    return True


def run(ddb, statement, **kw):
    out = ddb.execute_statement(Statement=statement, **kw)
    out.pop("ResponseMetadata")
    return out


def rows(ddb, statement, **kw):
    return run(ddb, statement, **kw)["Items"]


def get(ddb, table, key):
    return ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


# -- INSERT and every literal type -----------------------------------------------------------------
LITERALS = [
    ("'text'", s("text")),
    ("'it''s'", s("it's")),
    ("''", s("")),
    ("42", n(42)),
    ("-7.50", n("-7.5")),
    ("7.31e6", n(7310000)),              # grammar.test.ts: exponents
    (".73e1", n("7.3")),
    ("12345678901234567890123456789012345678", n("12345678901234567890123456789012345678")),
    ("TRUE", {"BOOL": True}),
    ("false", {"BOOL": False}),
    ("NULL", {"NULL": True}),
    ("[1, 'a', [true]]", {"L": [n(1), s("a"), {"L": [{"BOOL": True}]}]}),
    ("{'a': 1, 'b': {'c': 'd'}}", {"M": {"a": n(1), "b": {"M": {"c": s("d")}}}}),
    ("<<'x', 'y'>>", {"SS": ["x", "y"]}),
    ("<<3, 1.5>>", {"NS": ["3", "1.5"]}),
]


@pytest.mark.parametrize("literal,stored", LITERALS, ids=[x[0] for x in LITERALS])
def test_insert_stores_each_literal_type(ddb, tables, unique, literal, stored):
    key = unique("lit")
    assert run(ddb, f"INSERT INTO \"{HASH}\" VALUE {{'pk': '{key}', 'v': {literal}}}") == {"Items": []}
    assert get(ddb, HASH, {"pk": s(key)}) == {"pk": s(key), "v": stored}


def test_insert_with_parameters_of_every_type(ddb, tables, unique):
    key = unique("par")
    params = [s(key), n("1.0"), {"B": b"\x00\x01"}, {"BS": [b"a"]}, {"NULL": True},
              {"M": {"x": {"L": [n(2)]}}}]
    run(ddb, f"INSERT INTO \"{HASH}\" VALUE {{'pk': ?, 'n': ?, 'b': ?, 'bs': ?, 'z': ?, 'm': ?}}",
        Parameters=params)
    assert get(ddb, HASH, {"pk": s(key)}) == {"pk": s(key), "n": n(1), "b": {"B": b"\x00\x01"},
                                             "bs": {"BS": [b"a"]}, "z": {"NULL": True},
                                             "m": {"M": {"x": {"L": [n(2)]}}}}


def test_insert_of_an_existing_key_is_a_duplicate(ddb, tables, unique):
    key = unique("dup")
    run(ddb, f"INSERT INTO \"{HASH}\" VALUE {{'pk': '{key}', 'v': 'first'}}")
    assert error(ddb.execute_statement,
                 Statement=f"INSERT INTO \"{HASH}\" VALUE {{'pk': '{key}', 'v': 'second'}}") == (
        "DuplicateItemException", "Duplicate primary key exists in table", 400)
    assert get(ddb, HASH, {"pk": s(key)})["v"] == s("first")
    run(ddb, f"DELETE FROM \"{HASH}\" WHERE pk = '{key}'")
    run(ddb, f"INSERT INTO \"{HASH}\" VALUE {{'pk': '{key}', 'v': 'again'}}")  # no upsert, re-insert
    assert get(ddb, HASH, {"pk": s(key)})["v"] == s("again")


def test_duplicate_item_namespace(server, tables, unique):
    key = unique("ns")
    body = {"Statement": f"INSERT INTO \"{HASH}\" VALUE {{'pk': '{key}'}}"}
    assert raw(server, "ExecuteStatement", body)[0] == 200
    status, doc = raw(server, "ExecuteStatement", body)
    assert (status, doc["__type"]) == (400, DDB_NS + "DuplicateItemException")
    status, doc = raw(server, "ExecuteStatement", {"Statement": "SELEC"})
    assert (status, doc["__type"]) == (400, VALIDATE_NS + "ValidationException")


# -- SELECT --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def comp_rows(ddb, tables):
    """pk 'w': sk 1..6 with attributes for every operator."""
    items = [
        {"pk": s("w"), "sk": n(1), "a": n(10), "t": s("apple"), "l": {"L": [s("x"), n(1)]},
         "m": {"M": {"b": {"L": [{"M": {"c": s("deep")}}]}}}, "ss": {"SS": ["red", "blue"]}},
        {"pk": s("w"), "sk": n(2), "a": n(20), "t": s("apricot"), "flag": {"BOOL": True}},
        {"pk": s("w"), "sk": n(3), "a": n(30), "t": s("banana"), "z": {"NULL": True}},
        {"pk": s("w"), "sk": n(4), "a": s("forty"), "t": s("cherry"), "l": {"L": [s("y")]}},
        {"pk": s("w"), "sk": n(5), "t": s("date"), "ss": {"SS": ["green"]}},
        {"pk": s("w"), "sk": n(6), "a": n(60), "t": s("elderberry")},
    ]
    for item in items:
        ddb.put_item(TableName=COMP, Item=item)
    return items


PREDICATES = [
    ("a = 20", [2]),
    ("a <> 20", [1, 3, 4, 5, 6]),           # a missing attribute is not equal (4: S, 5: missing)
    ("a != 20", [1, 3, 4, 5, 6]),
    ("a < 30", [1, 2]),
    ("a <= 30", [1, 2, 3]),
    ("a > 30", [6]),
    ("a >= 30", [3, 6]),
    ("a BETWEEN 15 AND 30", [2, 3]),
    ("a NOT BETWEEN 15 AND 30", [1, 4, 5, 6]),
    ("a IN [10, 60, 'forty']", [1, 4, 6]),
    ("a NOT IN [10, 60]", [2, 3, 4, 5]),
    ("a = 10 OR a = 60", [1, 6]),
    ("a > 10 AND a < 60", [2, 3]),
    ("NOT a = 10", [2, 3, 4, 5, 6]),
    ("NOT (a > 10 OR a IS MISSING)", [1, 4]),
    ("a IS MISSING", [5]),
    ("a IS NOT MISSING", [1, 2, 3, 4, 6]),
    ("z IS NULL", [3]),
    ("z IS NOT NULL", [1, 2, 4, 5, 6]),
    ("flag IS BOOLEAN", [2]),
    ("a IS STRING", [4]),
    ("a IS NUMERIC", [1, 2, 3, 6]),
    ("l IS LIST", [1, 4]),
    ("m IS STRUCT", [1]),
    ("begins_with(t, 'ap')", [1, 2]),
    ("contains(t, 'an')", [3]),
    ("contains(ss, 'red')", [1]),
    ("contains(l, 'y')", [4]),
    ("attribute_type(a, 'S')", [4]),
    ("attribute_exists(flag)", [2]),
    ("attribute_not_exists(a)", [5]),
    ("size(t) > 7", [6]),
    ("size(ss) = 1", [5]),
    ("l[0] = 'x'", [1]),
    ("l[1] = 1", [1]),
    ("m.b[0].c = 'deep'", [1]),
    ('"m"."b"[0]."c" = \'deep\'', [1]),
    ("m['b'][0].c = 'deep'", [1]),
    ("sk > 4", [5, 6]),                     # a sort key condition: a Query range
    ("sk BETWEEN 2 AND 3", [2, 3]),
    ("sk IN [1, 6]", [1, 6]),               # not a key condition: a filter
    ("sk <> 1 AND sk <> 6", [2, 3, 4, 5]),
    ("(sk = 1 OR sk = 5) AND t <> 'date'", [1]),
]


@pytest.mark.parametrize("predicate,expected", PREDICATES, ids=[p for p, _ in PREDICATES])
def test_where_operators(ddb, comp_rows, predicate, expected):
    got = rows(ddb, f"SELECT sk FROM \"{COMP}\" WHERE pk = 'w' AND {predicate}")
    assert [int(r["sk"]["N"]) for r in got] == expected


@pytest.mark.parametrize("predicate,expected", PREDICATES[:12], ids=[p for p, _ in PREDICATES[:12]])
def test_where_without_the_key_scans(ddb, comp_rows, predicate, expected):
    got = rows(ddb, f"SELECT pk, sk FROM \"{COMP}\" WHERE {predicate}")
    assert sorted(int(r["sk"]["N"]) for r in got if r["pk"] == s("w")) == expected


def test_select_star_and_projection_shapes(ddb, comp_rows):
    assert rows(ddb, f"SELECT * FROM \"{COMP}\" WHERE pk = 'w' AND sk = 1") == [comp_rows[0]]
    # projected paths come back under their last name (executeStatement.test.ts "nested map path")
    assert rows(ddb, f"SELECT t, m.b[0].c, l[1], nope FROM \"{COMP}\" WHERE pk = 'w' AND sk = 1") == [
        {"t": s("apple"), "c": s("deep"), "l[1]": n(1)}]
    assert rows(ddb, f"SELECT nope FROM \"{COMP}\" WHERE pk = 'w' AND sk = 1") == [{}]
    assert rows(ddb, f"select \"t\" from {COMP} where \"pk\" = 'w' and sk = 2") == [{"t": s("apricot")}]


def test_order_by_the_sort_key(ddb, comp_rows):
    asc = rows(ddb, f"SELECT sk FROM \"{COMP}\" WHERE pk = 'w' ORDER BY sk ASC")
    desc = rows(ddb, f"SELECT sk FROM \"{COMP}\" WHERE pk = 'w' ORDER BY sk DESC")
    assert [r["sk"]["N"] for r in asc] == ["1", "2", "3", "4", "5", "6"]
    assert [r["sk"]["N"] for r in desc] == ["6", "5", "4", "3", "2", "1"]
    assert [r["sk"]["N"] for r in rows(ddb, f"SELECT sk FROM \"{COMP}\" WHERE pk = 'w' AND sk < 3 "
                                            "ORDER BY pk, sk DESC")] == ["2", "1"]


def test_comments_semicolon_and_case(ddb, comp_rows):
    statement = (f"-- a note\nselect SK from \"{COMP}\" /* between */ where PK = 'w' -- tail\n"
                 "AND sk = 1;")
    assert rows(ddb, statement) == []  # names are case-sensitive: SK and PK are other attributes
    assert rows(ddb, f"-- a\nSELECT sk FROM \"{COMP}\" /* b */ WHERE pk = 'w' AND sk = 1;") == [
        {"sk": n(1)}]


def test_parameters_bind_in_order(ddb, comp_rows):
    got = rows(ddb, f"SELECT sk FROM \"{COMP}\" WHERE pk = ? AND a BETWEEN ? AND ? AND t <> ?",
               Parameters=[s("w"), n(10), n(30), s("banana")])
    assert [r["sk"]["N"] for r in got] == ["1", "2"]


def test_index_reads(ddb, tables):
    via_gsi = rows(ddb, f"SELECT pk, sk FROM \"{IDX}\".\"gsi-all\" WHERE g = 'x'")
    assert sorted(r["sk"]["S"] for r in via_gsi) == ["s1", "s3"]
    # SELECT * on a non-ALL index is the index's projection
    for item in rows(ddb, f"SELECT * FROM \"{IDX}\".\"gsi-inc\" WHERE g = 'z'"):
        assert sorted(item) == ["g", "pk", "proj", "sk"]
    for item in rows(ddb, f"SELECT * FROM \"{IDX}\".\"lsi-keys\" WHERE pk = 'p'"):
        assert sorted(item) == ["l", "pk", "sk"]
    # an LSI reaches back to the table for attributes it lacks (charged to the table)
    out = run(ddb, f"SELECT nonproj FROM \"{IDX}\".\"lsi-keys\" WHERE pk = 'p'",
              ReturnConsumedCapacity="INDEXES")
    assert sorted(r["nonproj"]["S"] for r in out["Items"]) == ["np1", "np2", "np3", "np4"]
    assert out["ConsumedCapacity"]["Table"]["CapacityUnits"] > 0
    # an unkeyed index read is a scan of the index; s5 carries no index key
    got = rows(ddb, f"SELECT sk FROM \"{IDX}\".\"gsi-all\" WHERE pk = 'p'")
    assert sorted(r["sk"]["S"] for r in got) == ["s1", "s2", "s3", "s4"]
    assert rows(ddb, f"SELECT pk FROM \"{IDX}\".\"gsi-inc\" WHERE nonproj = 'np1'") == []


def test_index_capacity_lands_on_the_index(ddb, tables):
    out = run(ddb, f"SELECT pk FROM \"{IDX}\".\"gsi-all\" WHERE g = 'x'", ReturnConsumedCapacity="INDEXES")
    cc = out["ConsumedCapacity"]
    assert cc["Table"]["CapacityUnits"] == 0
    assert cc["GlobalSecondaryIndexes"]["gsi-all"]["CapacityUnits"] == cc["CapacityUnits"] > 0
    eventual = run(ddb, f"SELECT pk FROM \"{IDX}\".\"lsi-keys\" WHERE pk = 'p'",
                   ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    consistent = run(ddb, f"SELECT pk FROM \"{IDX}\".\"lsi-keys\" WHERE pk = 'p'", ConsistentRead=True,
                     ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert consistent["LocalSecondaryIndexes"]["lsi-keys"]["CapacityUnits"] == \
        2 * eventual["LocalSecondaryIndexes"]["lsi-keys"]["CapacityUnits"]


# -- capacity: charged as the equivalent item operation ----------------------------------------------
def test_capacity_matches_the_item_api(ddb, comp_rows, unique):
    for mode in ("TOTAL", "INDEXES"):
        for consistent in (False, True):
            pq = run(ddb, f"SELECT * FROM \"{COMP}\" WHERE pk = 'w' AND sk >= 2", ConsistentRead=consistent,
                     ReturnConsumedCapacity=mode)["ConsumedCapacity"]
            query = ddb.query(TableName=COMP, KeyConditionExpression="pk = :p AND sk >= :s",
                              ExpressionAttributeValues={":p": s("w"), ":s": n(2)},
                              ConsistentRead=consistent, ReturnConsumedCapacity=mode)["ConsumedCapacity"]
            assert pq == query
            pq = run(ddb, f"SELECT * FROM \"{COMP}\" WHERE a > 0", ReturnConsumedCapacity=mode,
                     ConsistentRead=consistent)["ConsumedCapacity"]
            scan = ddb.scan(TableName=COMP, FilterExpression="a > :z", ConsistentRead=consistent,
                            ExpressionAttributeValues={":z": n(0)}, ReturnConsumedCapacity=mode)
            assert pq == scan["ConsumedCapacity"]
    key = unique("cap")
    big = "x" * 3000
    insert = run(ddb, f"INSERT INTO \"{HASH}\" VALUE {{'pk': '{key}', 'v': '{big}'}}",
                 ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    put = ddb.put_item(TableName=HASH, Item={"pk": s(key + "2"), "v": s(big)},
                       ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert insert == put == {"TableName": HASH, "CapacityUnits": 3.0}
    update = run(ddb, f"UPDATE \"{HASH}\" SET w = 1 WHERE pk = '{key}'",
                 ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    assert update == {"TableName": HASH, "CapacityUnits": 3.0}
    delete = run(ddb, f"DELETE FROM \"{HASH}\" WHERE pk = '{key}'", ReturnConsumedCapacity="INDEXES")
    assert delete["ConsumedCapacity"] == {"TableName": HASH, "CapacityUnits": 3.0,
                                          "Table": {"CapacityUnits": 3.0}}


# -- paging ----------------------------------------------------------------------------------------
def test_limit_and_next_token(ddb, comp_rows):
    statement = f"SELECT sk FROM \"{COMP}\" WHERE pk = 'w' AND t <> 'banana'"
    seen, token, pages = [], None, 0
    while True:
        kw = {"Limit": 2, **({"NextToken": token} if token else {})}
        out = run(ddb, statement, **kw)
        pages += 1
        seen += [r["sk"]["N"] for r in out["Items"]]
        token = out.get("NextToken")
        if token is None:
            break
        assert out["LastEvaluatedKey"]["pk"] == s("w")
    assert seen == ["1", "2", "4", "5", "6"]
    # Limit counts items evaluated, before the filter (page 2 holds sk 4 only); a page that
    # stops on Limit has a NextToken even when nothing is left (the 4th page is empty)
    assert pages == 4
    # another Limit may continue a token; another statement or parameters may not
    first = run(ddb, statement, Limit=1)
    assert [r["sk"]["N"] for r in run(ddb, statement, Limit=5, NextToken=first["NextToken"])["Items"]] == [
        "2", "4", "5", "6"]
    assert error(ddb.execute_statement, Statement=statement + " AND sk > 0",
                 NextToken=first["NextToken"]) == (
        "ValidationException", "NextToken does not match request", 400)
    assert error(ddb.execute_statement, Statement=statement, NextToken="bm90IGEgdG9rZW4=") == (
        "ValidationException", "Invalid NextToken", 400)


def test_pages_stop_at_one_megabyte(ddb, tables, unique):
    key = unique("mb")
    blob = "y" * 300_000
    for i in range(8):
        ddb.put_item(TableName=COMP, Item={"pk": s(key), "sk": n(i), "v": s(blob)})
    out = run(ddb, f"SELECT sk FROM \"{COMP}\" WHERE pk = '{key}'", ReturnConsumedCapacity="TOTAL")
    assert [r["sk"]["N"] for r in out["Items"]] == ["0", "1", "2", "3"]  # 4 x 300 KB reach 1 MB
    assert out["LastEvaluatedKey"] == {"pk": s(key), "sk": n(3)}
    rest = run(ddb, f"SELECT sk FROM \"{COMP}\" WHERE pk = '{key}'", NextToken=out["NextToken"])
    assert [r["sk"]["N"] for r in rest["Items"]] == ["4", "5", "6", "7"]
    assert "NextToken" in rest  # the second page reached 1 MB too; its continuation is empty
    assert run(ddb, f"SELECT sk FROM \"{COMP}\" WHERE pk = '{key}'", NextToken=rest["NextToken"]) == {
        "Items": []}


# -- UPDATE and DELETE ------------------------------------------------------------------------------
def test_update_forms_and_returning(ddb, tables, unique):
    key = unique("upd")
    ddb.put_item(TableName=HASH, Item={"pk": s(key), "a": n(1), "b": s("bee"),
                                       "l": {"L": [n(1)]}, "ss": {"SS": ["a", "b"]},
                                       "m": {"M": {"x": n(1)}}})
    cases = [
        ("SET a = a + 1 SET c = 'new' RETURNING MODIFIED NEW *", [{"a": n(2), "c": s("new")}]),
        ("SET a = a - 2, m.x = 9 RETURNING MODIFIED OLD *", [{"a": n(2), "m": {"M": {"x": n(1)}}}]),
        ("SET l = list_append(l, [2]), d = if_not_exists(d, 5) RETURNING MODIFIED NEW *",
         [{"l": {"L": [n(1), n(2)]}, "d": n(5)}]),
        ("SET ss = set_add(ss, <<'c'>>) RETURNING MODIFIED NEW *", [{"ss": {"SS": ["a", "b", "c"]}}]),
        ("SET ss = SET_DELETE(ss, <<'a', 'b'>>) RETURNING MODIFIED NEW *", [{"ss": {"SS": ["c"]}}]),
        ("REMOVE b, l[0] RETURNING MODIFIED NEW *", [{"l": {"L": [n(2)]}}]),
        ("REMOVE c", []),
    ]
    for clause, expected in cases:
        assert rows(ddb, f"UPDATE \"{HASH}\" {clause.split(' RETURNING')[0]} WHERE pk = '{key}'"
                         + (" RETURNING" + clause.split(" RETURNING")[1] if " RETURNING" in clause else "")) \
            == expected, clause
    item = get(ddb, HASH, {"pk": s(key)})
    assert item == {"pk": s(key), "a": n(0), "l": {"L": [n(2)]}, "ss": {"SS": ["c"]},
                    "m": {"M": {"x": n(9)}}, "d": n(5)}
    assert rows(ddb, f"UPDATE \"{HASH}\" SET a = 7 WHERE pk = '{key}' RETURNING ALL OLD *") == [item]
    assert rows(ddb, f"UPDATE \"{HASH}\" SET a = 8 WHERE pk = '{key}' RETURNING ALL NEW *") == [
        {**item, "a": n(8)}]
    # the FROM-first form (fromFirstUpdate.test.ts)
    expected = {k: v for k, v in item.items() if k != "d"}
    assert rows(ddb, f"from \"{HASH}\" where pk = ? set e = ? remove d returning all new *",
                Parameters=[s(key), n(4)]) == [{**expected, "a": n(8), "e": n(4)}]


def test_update_conditions(ddb, tables, unique):
    key = unique("cond")
    ddb.put_item(TableName=HASH, Item={"pk": s(key), "val": s("here")})
    run(ddb, f"UPDATE \"{HASH}\" SET t = 'yes' WHERE pk = '{key}' AND val = 'here'")
    assert get(ddb, HASH, {"pk": s(key)})["t"] == s("yes")
    response = raised(ddb.execute_statement,
                      Statement=f"UPDATE \"{HASH}\" SET t = 'no' WHERE pk = ? AND val = ?",
                      Parameters=[s(key), s("wrong")], ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert response["Error"] == {"Code": "ConditionalCheckFailedException",
                                 "Message": "The conditional request failed"}
    assert response["Item"] == {"pk": s(key), "val": s("here"), "t": s("yes")}
    # an UPDATE of a missing item fails its condition and creates nothing
    missing = unique("none")
    assert error(ddb.execute_statement,
                 Statement=f"UPDATE \"{HASH}\" SET c = 1 WHERE pk = '{missing}'")[0] == \
        "ConditionalCheckFailedException"
    assert get(ddb, HASH, {"pk": s(missing)}) is None
    # a comparison on non-scalar values, as a condition (comparison.test.ts)
    ddb.put_item(TableName=HASH, Item={"pk": s(key + "ss"), "val": {"SS": ["a", "b"]}})
    run(ddb, f"UPDATE \"{HASH}\" SET t = 'y' WHERE pk = ? AND val = ?",
        Parameters=[s(key + "ss"), {"SS": ["b", "a"]}])
    assert get(ddb, HASH, {"pk": s(key + "ss")})["t"] == s("y")


def test_delete_forms(ddb, tables, unique):
    key = unique("del")
    ddb.put_item(TableName=HASH, Item={"pk": s(key), "v": n(1)})
    assert error(ddb.execute_statement, Statement=f"DELETE FROM \"{HASH}\" WHERE pk = '{key}' AND v = 2")[0] \
        == "ConditionalCheckFailedException"
    assert rows(ddb, f"DELETE FROM \"{HASH}\" WHERE pk = '{key}' AND v = 1 RETURNING ALL OLD *") == [
        {"pk": s(key), "v": n(1)}]
    assert get(ddb, HASH, {"pk": s(key)}) is None
    assert rows(ddb, f"DELETE FROM \"{HASH}\" WHERE pk = '{key}'") == []  # a missing item is fine


def at(statement: str, token: str, length: int = 0, after: str = "") -> str:
    """`1:<column>:<length>` of the first `token` after `after` (partiqlFunctions.test.ts)."""
    index = statement.index(token, statement.index(after) if after else 0)
    return f"1:{index + 1}:{length or len(token)}"


def positioned(statement: str, message: str, token: str, length: int = 0, after: str = ""):
    return statement, f"{message} at {at(statement, token, length, after)}"


WHERE_X = f"SELECT * FROM \"{HASH}\" WHERE pk = 'x' AND "
UPDATE_X = "UPDATE \"" + HASH + "\" SET {} WHERE pk = 'x'"


# -- errors --------------------------------------------------------------------------------------
ERRORS = [
    # syntax (partiqlGrammar.test.ts)
    (f'SELECT * FROM "{HASH}" WHERE pk = 1 foo', NOT_WELL_FORMED + "Unexpected token after expression"),
    (f'SELECT * FROM "{HASH}" WHERE pk = 1 e5', NOT_WELL_FORMED + "Unexpected token after expression"),
    (f'SELECT * FROM "{HASH}" WHERE pk = 1)', NOT_WELL_FORMED + "Unexpected token after expression"),
    (f'DELETE FROM "{HASH}" WHERE pk = 1 ORDER BY pk', NOT_WELL_FORMED + "Unexpected token after expression"),
    (f'SELECT * FROM "{HASH}" ORDER BY pk WHERE pk = 1', NOT_WELL_FORMED + "Unexpected token after expression"),
    (f"INSERT INTO \"{HASH}\" t VALUE {{'pk': 'x'}}", NOT_WELL_FORMED + "Unexpected token after expression"),
    (f'SELECT * FROM "{HASH}" WHERE pk = 1e2147483648', NOT_WELL_FORMED),
    (f'SELECT * FROM "{HASH}" WHERE pk = 1.5e-2147483647', NOT_WELL_FORMED),
    (f'SELECT * FROM "{HASH}" WHERE pk = 1 # note', NOT_WELL_FORMED),
    (f'SELECT * FROM "{HASH}" WHERE pk = 1 /* note', NOT_WELL_FORMED),
    (f'SELECT * FROM "{HASH}', NOT_WELL_FORMED),
    (f'SELECT * FROM "{HASH}" WHERE', NOT_WELL_FORMED + "Unexpected term"),
    (f'SELECT * FROM "{HASH}" WHERE;', NOT_WELL_FORMED + "Unexpected term"),
    (f'SELECT * FROM "{HASH}" WHERE NOT', NOT_WELL_FORMED + "Unexpected term"),
    (f'SELECT * FROM "{HASH}" WHERE (', NOT_WELL_FORMED + "Unexpected term"),
    (f'UPDATE "{HASH}" SET a = 1 WHERE', NOT_WELL_FORMED + "Unexpected term"),
    ('SELECT * FROM "never-created-table" WHERE', NOT_WELL_FORMED + "Unexpected term"),
    ("SELECT * FROM", NOT_WELL_FORMED + "Unexpected term"),
    (f"SELECT * FROM \"{HASH}\" WHERE pk = 'p1' AND", NOT_WELL_FORMED + "Missing right-hand side expression of infix operator"),
    (f"SELECT * FROM \"{HASH}\" WHERE pk = 'p1' OR", NOT_WELL_FORMED + "Missing right-hand side expression of infix operator"),
    (f'SELECT * FROM "{HASH}" WHERE ORDER BY pk', NOT_WELL_FORMED + "Unexpected keyword"),
    (f"SELECT * FROM \"{HASH}\" WHERE pk = 'a' AND x IS FOO", NOT_WELL_FORMED + "Expected type name"),
    (f'SELECT * FROM "{HASH}" WHERE IS NULL', NOT_WELL_FORMED + "Unexpected operator"),
    (f'SELECT * FROM "{HASH}" WHERE pk = LIKE', NOT_WELL_FORMED + "Unexpected operator"),
    ("DELETE FROM", NOT_WELL_FORMED + "Expected identifier for simple path"),
    ("DELETE FROM;", NOT_WELL_FORMED + "Expected identifier for simple path"),
    ("DELETE FROM WHERE pk = 'a'", NOT_WELL_FORMED + "Expected identifier for simple path"),
    (f"SLECT * FROM \"{HASH}\" WHERE pk = 'x'", NOT_WELL_FORMED + "Expected data manipulation"),
    (f"SELECT * FROM \"{HASH}\" WHERE pk = 'x' AND attribute_exists(m.inner)", NOT_WELL_FORMED + "Invalid path dot component"),
    ("x IS INT4", "Unsupported operation: IsType"),
    ("x IS DOUBLE PRECISION", "Unsupported operation: IsType"),
    # aliases, FROM paths, indexes (partiqlGrammar, partiqlIndexQualifier)
    (f"SELECT * FROM \"{HASH}\" t WHERE pk = 'x'", "Aliasing is not supported"),
    (f"SELECT * FROM \"{HASH}\" AS t WHERE pk = 'x'", "Aliasing is not supported"),
    (f"UPDATE \"{HASH}\" t SET a = 3 WHERE pk = 'x'", "Aliasing is not supported"),
    (f"DELETE FROM \"{HASH}\" t WHERE pk = 'x'", "Aliasing is not supported"),
    (f"SELECT * FROM \"{IDX}\".\"no-such-index\" WHERE pk = 'p'", "The table does not have the specified index"),
    (f"SELECT * FROM \"{IDX}\".\"{IDX}\" WHERE pk = 'p'", "The table does not have the specified index"),
    (f"SELECT * FROM \"{IDX}\".\"gsi-all\".\"extra\" WHERE pk = 'p'", "A path may contain at most 2 components in the FROM clause"),
    (f"SELECT * FROM \"{IDX}\".\"\" WHERE pk = 'p'", "Path component cannot be an empty string"),
    ("SELECT * FROM \"\" WHERE pk = 'p'", "Path component cannot be an empty string"),
    (f"INSERT INTO \"{IDX}\".\"gsi-all\" VALUE {{'pk': 'w1', 'sk': 'w1'}}", "FROM clause may only contain a single table name in data manipulation statements"),
    (f"UPDATE \"{IDX}\".\"gsi-all\" SET proj = 'z' WHERE pk = 'p' AND sk = 's1'", "This operation is not supported on an index"),
    (f"DELETE FROM \"{IDX}\".\"gsi-all\" WHERE pk = 'p' AND sk = 's1'", "This operation is not supported on an index"),
    (f"SELECT pk FROM \"{IDX}\".\"gsi-inc\" WHERE g = 'y' AND nonproj = 'np1'",
     "One or more parameter values were invalid: Secondary index gsi-inc does not project one or more filter attributes: [nonproj]"),
    (f"SELECT pk FROM \"{IDX}\".\"lsi-keys\" WHERE pk = 'p' AND nonproj = 'np1'",
     "One or more parameter values were invalid: Secondary index lsi-keys does not project one or more filter attributes: [nonproj]"),
    (f"SELECT pk FROM \"{IDX}\".\"gsi-inc\" WHERE g IN ['y', 'z'] AND nonproj = 'np1'",
     "One or more parameter values were invalid: Secondary index gsi-inc does not project one or more filter attributes: [nonproj]"),
    (f"SELECT nonproj, l, nonproj2 FROM \"{IDX}\".\"gsi-inc\" WHERE g = 'y'",
     "One or more parameter values were invalid: Global secondary index gsi-inc does not project [nonproj, l, nonproj2]"),
    (f"SELECT nonproj FROM \"{IDX}\".\"gsi-inc\"",
     "One or more parameter values were invalid: Global secondary index gsi-inc does not project [nonproj]"),
    # RETURNING (tier3 partiql.test.ts)
    (f"DELETE FROM \"{HASH}\" WHERE pk = 'x' RETURNING MODIFIED OLD *",
     "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
    (f"DELETE FROM \"{HASH}\" WHERE pk = 'x' RETURNING ALL NEW *",
     "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
    (f"DELETE FROM \"{HASH}\" WHERE pk = 'x' RETURNING MODIFIED NEW *",
     "Invalid returning clause: RETURNING MODIFIED NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
    # keys (fromFirstUpdate / partiqlGrammar)
    (f'FROM "{HASH}" SET c = 1', "Where clause does not contain a mandatory equality on all key attributes"),
    (f'FROM "{HASH}" REMOVE a', "Where clause does not contain a mandatory equality on all key attributes"),
    (f'FROM "{HASH}" WHERE a = 1 SET c = 1', "Where clause does not contain a mandatory equality on all key attributes"),
    (f"FROM \"{HASH}\" SET c = 1 WHERE pk = 'x'", NOT_WELL_FORMED + "Unexpected token after expression"),
    (f"UPDATE \"{COMP}\" SET c = 1 WHERE pk = 'x'", "Where clause does not contain a mandatory equality on all key attributes"),
    (f"UPDATE \"{COMP}\" SET c = 1 WHERE pk = 'x' OR sk = 1", "Where clause does not contain a mandatory equality on all key attributes"),
    (f"DELETE FROM \"{COMP}\" WHERE pk = 'x' AND sk > 1", "Where clause does not contain a mandatory equality on all key attributes"),
    # functions (partiqlFunctions.test.ts)
    (f"SELECT * FROM \"{HASH}\" WHERE pk = 'x' AND attribute_exists('ss')",
     "Operator or function requires a document path; operator or function: attribute_exists"),
    (f"SELECT * FROM \"{HASH}\" WHERE pk = 'x' AND attribute_exists()",
     "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0"),
    (f"SELECT * FROM \"{HASH}\" WHERE pk = 'x' AND attribute_exists(ss, ns)",
     "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"),
    (f"SELECT attribute_exists(ss) FROM \"{HASH}\" WHERE pk = 'x'", "Unexpected path component at 1:8:16"),
    positioned(WHERE_X + "EXISTS(ss)", "Unrecognized function: exists", "EXISTS"),
    positioned(WHERE_X + "set_add(ss, <<'x'>>) = ss", "Unrecognized function: set_add", "set_add"),
    positioned(UPDATE_X.format("t = set_add(ss, <<'x'>>)"),
               "The first argument to SET_ADD must equal the assignment value", "set_add"),
    positioned(UPDATE_X.format("ss = set_add(<<'a'>>, <<'b'>>)"),
               "The first argument to SET_ADD must equal the assignment value", "set_add"),
    positioned(UPDATE_X.format("ss = set_add(ss, 'x')"),
               "The second argument to SET_ADD must be a value with type SET", "ss", after="set_add("),
    positioned(UPDATE_X.format("ss = set_add(ss, ['x'])"),
               "The second argument to SET_ADD must be a value with type SET", "ss", after="set_add("),
    positioned(UPDATE_X.format("ss = set_add(ss)"), "SET_ADD must have exactly two arguments", "set_add"),
    positioned(UPDATE_X.format("ss = set_add(ss, <<'x'>>, <<'y'>>)"),
               "SET_ADD must have exactly two arguments", "set_add"),
    positioned(UPDATE_X.format("t = set_delete(ss, <<'a'>>)"),
               "The first argument to SET_DELETE must equal the assignment value", "set_delete"),
    positioned(UPDATE_X.format("ss = set_delete(ss, 'a')"),
               "The second argument to SET_DELETE must be a value with type SET", "ss",
               after="set_delete("),
    positioned(f"INSERT INTO \"{HASH}\" VALUE {{'pk': 'x', 'ss': set_add(<<'a'>>, <<'b'>>)}}",
               "Unsupported data type: set_add under key root", "set_add"),
    (f"UPDATE \"{HASH}\" SET ss = set_add(ss, <<'x', 'x'>>) WHERE pk = 'x'",
     "One or more parameter values were invalid: Input collection [x, x] contains duplicates."),
    (f"UPDATE \"{HASH}\" SET ss = set_add(ss, <<>>) WHERE pk = 'x'", "Empty bags are not supported"),
    # ordering operands (comparison.test.ts, tier3 partiql.test.ts)
    (f"SELECT pk FROM \"{HASH}\" WHERE pk = 'x' AND val < true",
     "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"),
    (f"SELECT pk FROM \"{HASH}\" WHERE pk = 'x' AND val >= [1]",
     "Incorrect operand type for operator or function; operator or function: >=, operand type: L"),
    (f"SELECT pk FROM \"{HASH}\" WHERE pk = 'x' AND val BETWEEN null AND 1",
     "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: NULL"),
    # numbers under a path (partiqlGrammar.test.ts)
    (f'SELECT * FROM "{HASH}" WHERE pk = 1e126',
     "Number overflow. Attempting to store a number with magnitude larger than supported range under root"),
    (f'SELECT * FROM "{HASH}" WHERE pk = 1e-131',
     "Number underflow. Attempting to store a number with magnitude smaller than supported range under root"),
    (f'SELECT * FROM "{HASH}" WHERE pk = 123456789012345678901234567890123456789',
     "Attempting to store more than 38 significant digits in a Number under root"),
    (f"INSERT INTO \"{HASH}\" VALUE {{'pk': 970006, 'm': {{'x': 1e126}}}}",
     "Number overflow. Attempting to store a number with magnitude larger than supported range under root.x"),
    (f"INSERT INTO \"{HASH}\" VALUE {{'pk': 970007, 'l': [1, 1e126]}}",
     "Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]"),
    (f"UPDATE \"{HASH}\" SET a = 1e-131 WHERE pk = 'x'",
     "Number underflow. Attempting to store a number with magnitude smaller than supported range under root"),
    # ORDER BY ([DDBL] ValidationExceptionMessages)
    (f"SELECT * FROM \"{COMP}\" ORDER BY sk", "Must have WHERE clause in the statement when using ORDER BY clause."),
    (f"SELECT * FROM \"{COMP}\" WHERE sk = 1 ORDER BY sk",
     "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."),
    (f"SELECT * FROM \"{COMP}\" WHERE pk = 'w' ORDER BY a", "Variable reference a in ORDER BY clause must be part of the primary key"),
    # statements DynamoDB runs elsewhere or not at all
    (f"RETURNING", NOT_WELL_FORMED + "Unexpected keyword"),
    (f"EXISTS(SELECT * FROM \"{HASH}\" WHERE pk = 'x' AND a = 1)", "EXISTS can only be used in ExecuteTransaction write requests."),
    (f"INSERT INTO \"{HASH}\" VALUE {{'pk': 'x'}} RETURNING ALL NEW *", "RETURNING is not supported in INSERT"),
    (f"INSERT INTO \"{HASH}\" VALUE ['x']",
     "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."),
    (f"INSERT INTO \"{HASH}\" VALUE {{'v': 1}}", "Key attribute should be present in the item: Key pk"),
    (f"INSERT INTO \"{HASH}\" VALUE {{'pk': 1}}", "Key attribute's data type should match its data type in table's schema: Key pk"),
    (f"SELECT * FROM \"{HASH}\" WHERE pk = 'x' AND pk = ?", "Number of parameters in request and statement don't match."),
    # guards against statements that would exhaust the stack (not recorded from AWS; the
    # operator limit is the expression language's)
    (f"SELECT * FROM \"{HASH}\" WHERE " + " AND ".join(["a = 1"] * 302),
     "The expression contains too many operators; operator count: 301"),
    (f"SELECT * FROM \"{HASH}\" WHERE " + "(" * 150 + "a = 1" + ")" * 150, NOT_WELL_FORMED),
]


@pytest.mark.parametrize("statement,message", ERRORS, ids=[m[:60] for _, m in ERRORS])
def test_error_messages(ddb, tables, statement, message):
    assert error(ddb.execute_statement, Statement=statement) == ("ValidationException", message, 400)


def test_error_messages_needing_request_members(ddb, tables):
    assert error(ddb.execute_statement, Statement=f"SELECT * FROM \"{IDX}\".\"gsi-all\" WHERE g = 'x'",
                 ConsistentRead=True) == (
        "ValidationException", "Strongly consistent read is not supported on Global Secondary Indexes", 400)
    assert error(ddb.execute_statement, Statement=f"SELECT * FROM \"{HASH}\" WHERE pk = ?",
                 Parameters=[s("a"), s("b")]) == (
        "ValidationException", "Number of parameters in request and statement don't match.", 400)
    assert error(ddb.execute_statement, Statement="SELECT * FROM \"absent-table\" WHERE pk = 'p'") == (
        "ResourceNotFoundException", "Requested resource not found", 400)
    assert error(ddb.execute_statement, Statement="INSERT INTO \"absent-table\" VALUE {'pk': 'p'}") == (
        "ResourceNotFoundException", "Requested resource not found", 400)


@pytest.mark.parametrize("value,message", [
    ("1e99999999999", "The parameter cannot be converted to a numeric value: 1e99999999999"),
    ("-1e2147483648", "The parameter cannot be converted to a numeric value: -1e2147483648"),
    ("1e2147483647", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ("abc", "The parameter cannot be converted to a numeric value: abc"),
    ("", "The parameter cannot be converted to a numeric value"),
])
def test_parameter_numbers(ddb, tables, value, message):
    # partiqlParameterNumbers.test.ts: read as Java's BigDecimal reads a string
    for statement in (f"SELECT * FROM \"{HASH}\" WHERE pk = 'pq' AND n = ?",
                      f"INSERT INTO \"{HASH}\" VALUE {{'pk': 'pq-pn', 'n': ?}}",
                      f"UPDATE \"{HASH}\" SET n = ? WHERE pk = 'pq'"):
        assert error(ddb.execute_statement, Statement=statement, Parameters=[{"N": value}]) == (
            "ValidationException", message, 400)


def test_parameter_problems_are_found_in_document_order(ddb, tables):
    nest = ("Nesting Levels have exceeded supported limits: Attributes in the item have nested "
            "levels beyond supported limit")
    deep = {"S": "leaf"}
    for _ in range(40):
        deep = {"M": {"n": deep}}
    statement = f"SELECT * FROM \"{HASH}\" WHERE pk = 'pq' AND x = ? AND y = ?"
    assert error(ddb.execute_statement, Statement=statement, Parameters=[deep, {"N": "abc"}])[1] == nest
    assert error(ddb.execute_statement, Statement=statement, Parameters=[{"N": "abc"}, deep])[1] == \
        "The parameter cannot be converted to a numeric value: abc"


# -- the aws CLI ---------------------------------------------------------------------------------
def test_aws_cli_execute_statement(server, tables, unique):
    key = unique("cli")
    server.aws("dynamodb", "execute-statement", "--statement",
               f"INSERT INTO \"{HASH}\" VALUE {{'pk': '{key}', 'v': 1}}")
    out = server.aws("dynamodb", "execute-statement", "--statement",
                     f"SELECT * FROM \"{HASH}\" WHERE pk = ?", "--parameters",
                     json.dumps([{"S": key}])).json
    assert out["Items"] == [{"pk": {"S": key}, "v": {"N": "1"}}]
    failed = server.aws("dynamodb", "execute-statement", "--statement",
                        f"INSERT INTO \"{HASH}\" VALUE {{'pk': '{key}'}}", check=False)
    assert failed.returncode != 0
    assert "DuplicateItemException" in failed.stderr
    assert "Duplicate primary key exists in table" in failed.stderr
