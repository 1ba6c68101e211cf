"""Property (hypothesis): for random items and random key-pinned predicates, a PartiQL SELECT
returns the same items, in the same order, as the equivalent Query with a KeyConditionExpression
and a FilterExpression (forwards and, with ORDER BY ... DESC, backwards), page after page."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dynamodb.helpers import create

TABLE = "PqProp"
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
_keys = itertools.count()

small_ints = st.integers(min_value=-5, max_value=20)
words = st.sampled_from(["", "a", "ab", "abc", "b", "ba", "zz"])
values = st.one_of(small_ints.map(lambda i: {"N": str(i)}), words.map(lambda w: {"S": w}))
items = st.lists(st.fixed_dictionaries({"sk": st.integers(min_value=0, max_value=30)},
                                       optional={"a": values, "t": words.map(lambda w: {"S": w})}),
                 max_size=12).map(lambda xs: list({x["sk"]: x for x in xs}.values()))


class Pred:
    """One predicate in both languages: PartiQL text with `?`s, expression text with :vN."""

    def __init__(self, partiql, expr, params):
        self.partiql, self.expr, self.params = partiql, expr, params


def _value(v) -> dict:
    return {"N": str(v)} if isinstance(v, int) else {"S": v}


@st.composite
def leaf(draw):
    attr = draw(st.sampled_from(["a", "t"]))
    kind = draw(st.sampled_from(["cmp", "between", "in", "exists", "missing", "begins", "contains",
                                 "size"]))
    if kind == "cmp":
        op = draw(st.sampled_from(["=", "<>", "<", "<=", ">", ">="]))
        v = draw(st.one_of(small_ints, words))
        return Pred(f"{attr} {op} ?", f"{attr} {op} {{}}", [_value(v)])
    if kind == "between":
        lo, hi = sorted(draw(st.lists(small_ints, min_size=2, max_size=2)))
        return Pred(f"{attr} BETWEEN ? AND ?", f"{attr} BETWEEN {{}} AND {{}}", [_value(lo), _value(hi)])
    if kind == "in":
        opts = draw(st.lists(st.one_of(small_ints, words), min_size=1, max_size=3))
        return Pred(f"{attr} IN [{', '.join('?' for _ in opts)}]",
                    f"{attr} IN ({', '.join('{}' for _ in opts)})", [_value(o) for o in opts])
    if kind == "exists":
        return Pred(f"{attr} IS NOT MISSING", f"attribute_exists({attr})", [])
    if kind == "missing":
        return Pred(f"{attr} IS MISSING", f"attribute_not_exists({attr})", [])
    if kind == "begins":
        w = draw(words)
        return Pred(f"begins_with({attr}, ?)", f"begins_with({attr}, {{}})", [_value(w)])
    if kind == "contains":
        w = draw(words)
        return Pred(f"contains({attr}, ?)", f"contains({attr}, {{}})", [_value(w)])
    v = draw(st.integers(min_value=0, max_value=3))
    return Pred(f"size({attr}) >= ?", f"size({attr}) >= {{}}", [_value(v)])


def combine(children):
    return st.one_of(
        st.tuples(children, children).map(lambda p: Pred(
            f"({p[0].partiql}) AND ({p[1].partiql})", f"({p[0].expr}) AND ({p[1].expr})",
            p[0].params + p[1].params)),
        st.tuples(children, children).map(lambda p: Pred(
            f"({p[0].partiql}) OR ({p[1].partiql})", f"({p[0].expr}) OR ({p[1].expr})",
            p[0].params + p[1].params)),
        children.map(lambda c: Pred(f"NOT ({c.partiql})", f"NOT ({c.expr})", c.params)))


filters = st.recursive(leaf(), combine, max_leaves=4)


@st.composite
def sort_conditions(draw):
    kind = draw(st.sampled_from(["none", "=", "<", "<=", ">", ">=", "between"]))
    if kind == "none":
        return None
    if kind == "between":
        lo, hi = sorted(draw(st.lists(st.integers(0, 30), min_size=2, max_size=2)))
        return Pred("sk BETWEEN ? AND ?", "sk BETWEEN {} AND {}", [_value(lo), _value(hi)])
    return Pred(f"sk {kind} ?", f"sk {kind} {{}}", [_value(draw(st.integers(0, 30)))])


def numbered(text: str, params: list, start: int) -> tuple[str, dict]:
    names = {}
    for i, value in enumerate(params):
        names[f":v{start + i}"] = value
    return text.format(*[f":v{start + i}" for i in range(len(params))]), names


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, TABLE, read=40000, write=40000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}]))
    return TABLE


def pages(call, token_name, start_name, **kw):
    out, token = [], None
    while True:
        page = call(**kw, **({start_name: token} if token else {}))
        out += page["Items"]
        token = page.get(token_name)
        if not token:
            return out


@SETTINGS
@given(rows=items, sort=sort_conditions(), filter_=st.one_of(st.none(), filters),
       descending=st.booleans(), limit=st.one_of(st.none(), st.integers(1, 5)))
def test_select_equals_query_with_filter(ddb, table, rows, sort, filter_, descending, limit):
    pk = f"p{next(_keys)}"
    for row in rows:
        item = {"pk": {"S": pk}, "sk": {"N": str(row["sk"])}}
        item.update({k: v for k, v in row.items() if k != "sk"})
        ddb.put_item(TableName=table, Item=item)

    where = ["pk = ?"] + ([sort.partiql] if sort else []) + ([f"({filter_.partiql})"] if filter_ else [])
    params = [{"S": pk}] + (sort.params if sort else []) + (filter_.params if filter_ else [])
    statement = f"SELECT * FROM \"{table}\" WHERE {' AND '.join(where)}"
    if descending:
        statement += " ORDER BY sk DESC"
    extra = {"Limit": limit} if limit else {}
    got = pages(ddb.execute_statement, "NextToken", "NextToken", Statement=statement,
                Parameters=params, ConsistentRead=True, **extra)

    key, values = "pk = :pk", {":pk": {"S": pk}}
    if sort:
        text, more = numbered(sort.expr, sort.params, 0)
        key += f" AND {text}"
        values.update(more)
    query = dict(TableName=table, KeyConditionExpression=key, ScanIndexForward=not descending,
                 ConsistentRead=True, **extra)
    if filter_:
        text, more = numbered(filter_.expr, filter_.params, 100)
        query["FilterExpression"] = text
        values.update(more)
    query["ExpressionAttributeValues"] = values
    expected = pages(ddb.query, "LastEvaluatedKey", "ExclusiveStartKey", **query)
    assert got == expected
