"""Property tests over HTTP (hypothesis): random items round-trip exactly through PutItem and a
consistent GetItem, and Query returns items in DynamoDB's order for random N, S and B sort keys
(numbers numerically, strings by UTF-8 bytes, binaries by bytes), in both directions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dynamodb.helpers import create

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

names = st.text(min_size=1, max_size=8)
strings = st.text(max_size=20)
blobs = st.binary(max_size=20)
numbers = st.decimals(min_value=Decimal("-1e20"), max_value=Decimal("1e20"), allow_nan=False,
                      allow_infinity=False, places=None).map(lambda d: d.normalize())


def canonical(d: Decimal) -> str:
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


scalars = st.one_of(strings.map(lambda s: {"S": s}), blobs.map(lambda b: {"B": b}),
                    numbers.map(lambda n: {"N": canonical(n)}), st.booleans().map(lambda b: {"BOOL": b}),
                    st.just({"NULL": True}))
sets = st.one_of(
    st.lists(strings, min_size=1, max_size=4, unique=True).map(lambda v: {"SS": v}),
    st.lists(numbers.map(canonical), min_size=1, max_size=4, unique=True).map(lambda v: {"NS": v}),
    st.lists(blobs, min_size=1, max_size=4, unique=True).map(lambda v: {"BS": v}))
values = st.recursive(st.one_of(scalars, sets), lambda inner: st.one_of(
    st.lists(inner, max_size=3).map(lambda v: {"L": v}),
    st.dictionaries(names, inner, max_size=3).map(lambda v: {"M": v})), max_leaves=10)


def same(a, b) -> bool:
    """Equal as DynamoDB values: sets compare unordered."""
    (ta, va), = a.items()
    (tb, vb), = b.items()
    if ta != tb:
        return False
    if ta in ("SS", "BS"):
        return sorted(va) == sorted(vb)
    if ta == "NS":
        return sorted(Decimal(x) for x in va) == sorted(Decimal(x) for x in vb)
    if ta == "L":
        return len(va) == len(vb) and all(same(x, y) for x, y in zip(va, vb))
    if ta == "M":
        return va.keys() == vb.keys() and all(same(va[k], vb[k]) for k in va)
    return va == vb


@pytest.fixture(scope="module")
def rt_table(server, ddb):
    create(server, ddb, "PropRoundTrip", read=10000, write=10000)
    return "PropRoundTrip"


@SETTINGS
@given(attrs=st.dictionaries(names.filter(lambda n: n != "id"), values, max_size=6))
def test_items_round_trip(ddb, rt_table, attrs):
    item = {"id": {"S": "k"}, **attrs}
    ddb.put_item(TableName=rt_table, Item=item)
    got = ddb.get_item(TableName=rt_table, Key={"id": {"S": "k"}}, ConsistentRead=True)["Item"]
    assert same({"M": got}, {"M": item})


KEY_TYPES = {"N": numbers.map(canonical), "S": st.text(min_size=1, max_size=12),
             "B": st.binary(min_size=1, max_size=12)}
ORDER = {"N": Decimal, "S": lambda s: s.encode("utf-8"), "B": bytes}


@pytest.fixture(scope="module")
def order_tables(server, ddb):
    out = {}
    for type_name in KEY_TYPES:
        name = f"PropOrder{type_name}"
        create(server, ddb, name, read=10000, write=10000, keys=dict(
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": type_name}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}]))
        out[type_name] = name
    return out


@SETTINGS
@given(data=st.data(), type_name=st.sampled_from(["N", "S", "B"]))
def test_query_order(ddb, order_tables, unique, data, type_name):
    sort_keys = data.draw(st.lists(KEY_TYPES[type_name], min_size=1, max_size=12,
                                   unique_by=ORDER[type_name]))
    partition = unique("p")  # fresh per example: hypothesis replays draws
    table = order_tables[type_name]
    for sk in sort_keys:
        ddb.put_item(TableName=table, Item={"pk": {"S": partition}, "sk": {type_name: sk}})
    expected = sorted(sort_keys, key=ORDER[type_name])
    for forward in (True, False):
        out = ddb.query(TableName=table, KeyConditionExpression="pk = :p",
                        ExpressionAttributeValues={":p": {"S": partition}},
                        ScanIndexForward=forward, ConsistentRead=True)
        got = [ORDER[type_name](i["sk"][type_name]) for i in out["Items"]]
        want = [ORDER[type_name](v) for v in expected]
        assert got == (want if forward else want[::-1])
