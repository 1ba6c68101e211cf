"""Condition/filter evaluation and key conditions (services/dynamodb/expr), pure functions.

Facts: DynamoDB developer guide "Comparison operator and function reference" and "Data types"
(ordering); dynalite test/query.js (KeyConditionExpression messages, recorded against AWS).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb.expr import Resolver, evaluate, key_condition_ranges

ITEM = {
    "s": {"S": "hello"}, "n": {"N": "12.5"}, "b": {"B": b"\x01\x02"}, "t": {"BOOL": True},
    "z": {"NULL": True}, "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.0"]},
    "bs": {"BS": [b"\x01"]}, "l": {"L": [{"S": "a"}, {"N": "3"}, {"M": {"k": {"S": "v"}}}]},
    "m": {"M": {"nest": {"M": {"deep": {"N": "7"}}}, "lst": {"L": [{"N": "1"}]}}},
    "u": {"S": "é"},
}
VALUES = {
    ":hello": {"S": "hello"}, ":he": {"S": "he"}, ":ell": {"S": "ell"}, ":n": {"N": "12.50"},
    ":big": {"N": "100"}, ":small": {"N": "-1e2"}, ":one": {"N": "1"}, ":two": {"N": "2"},
    ":x": {"S": "x"}, ":b1": {"B": b"\x01"}, ":a": {"S": "a"}, ":three": {"N": "3"},
    ":seven": {"N": "7"}, ":five": {"N": "5"}, ":S": {"S": "S"}, ":SS": {"S": "SS"},
    ":M": {"S": "M"}, ":NULL": {"S": "NULL"}, ":z": {"S": "z"}, ":ss": {"SS": ["y", "x"]},
    ":ns": {"NS": ["2", "1"]}, ":list": {"L": [{"S": "a"}, {"N": "3.0"},
                                                {"M": {"k": {"S": "v"}}}]},
    ":kv": {"M": {"k": {"S": "v"}}}, ":e": {"S": "e"}, ":true": {"BOOL": True},
}


def check(text: str, item=ITEM) -> bool:
    used = {k: v for k, v in VALUES.items() if k in text}
    return evaluate(Resolver(None, used or None).condition(text), item)


@pytest.mark.parametrize("text, expected", [
    ("n = :n", True),                       # numbers compare numerically: 12.5 = 12.50
    ("n < :big", True), ("n > :small", True), ("n BETWEEN :one AND :big", True),
    ("s = :hello", True), ("s <> :hello", False), ("s > :he", True), ("s < :x", True),
    ("s = :n", False), ("s <> :n", True),   # different types are never equal
    ("s < :n", False), ("s >= :n", False),  # and never ordered
    ("absent = :hello", False), ("absent <> :hello", True), ("absent < :big", False),
    ("ss = :ss", True), ("ns = :ns", True),  # sets compare as sets, numbers by value
    ("l = :list", True), ("l[2] = :kv", True), ("m.nest.deep = :seven", True),
    ("m.lst[0] = :one", True), ("m.lst[5] = :one", False), ("s[0] = :hello", False),
    ("s IN (:x, :hello)", True), ("s IN (:x, :a)", False), ("n IN (:n)", True),
    ("t = :true", True), ("b BETWEEN :b1 AND :b1", False), ("b > :b1", True),
])
def test_comparisons(text, expected):
    assert check(text) is expected


def test_strings_order_by_utf8_bytes():
    # "é" (U+00E9, UTF-8 C3 A9) sorts after "z"; so does U+FF21 vs U+1F600 differ from UTF-16
    assert check("u > :z")
    item = {"a": {"S": "\uff21"}}
    assert evaluate(Resolver(None, {":v": {"S": "\U0001F600"}}).condition("a < :v"), item)


@pytest.mark.parametrize("text, expected", [
    ("attribute_exists(s)", True), ("attribute_exists(absent)", False),
    ("attribute_not_exists(absent)", True), ("attribute_exists(m.nest.deep)", True),
    ("attribute_exists(l[9])", False),
    ("attribute_type(s, :S)", True), ("attribute_type(ss, :SS)", True),
    ("attribute_type(m, :M)", True), ("attribute_type(z, :NULL)", True),
    ("attribute_type(s, :SS)", False), ("attribute_type(absent, :S)", False),
    ("begins_with(s, :he)", True), ("begins_with(s, :ell)", False),
    ("begins_with(b, :b1)", True), ("begins_with(n, :he)", False),
    ("contains(s, :ell)", True), ("contains(ss, :x)", True), ("contains(ss, :z)", False),
    ("contains(ns, :two)", True), ("contains(bs, :b1)", True), ("contains(l, :a)", True),
    ("contains(l, :three)", True), ("contains(l, :kv)", True), ("contains(n, :one)", False),
    ("size(s) = :five", True), ("size(b) = :two", True), ("size(ss) = :two", True),
    ("size(l) = :three", True), ("size(m) = :two", True), ("size(u) = :two", True),
    ("size(n) = :one", False), ("size(absent) < :big", False),
    ("NOT attribute_exists(s) OR size(l) > :two AND s = :hello", True),
])
def test_functions(text, expected):
    assert check(text) is expected


def test_absent_item_is_empty():
    condition = Resolver(None, None).condition("attribute_not_exists(pk)")
    assert evaluate(condition, None)


numbers = st.decimals(min_value=Decimal("-1e30"), max_value=Decimal("1e30"), allow_nan=False,
                      places=6)


@given(numbers, numbers)
def test_number_comparison_is_numeric(x, y):
    item = {"a": {"N": str(x)}}
    r = Resolver(None, {":v": {"N": str(y)}})
    for op, expected in (("<", x < y), ("=", x == y), (">=", x >= y)):
        assert evaluate(r.condition(f"a {op} :v"), item) is expected


# -- KeyConditionExpression ---------------------------------------------------------------------
def kmessage(text, values=None):
    with pytest.raises(AwsError) as info:
        Resolver(None, values).key_condition(text)
    return info.value.message


@pytest.mark.parametrize("text, detail", [
    # dynalite test/query.js, recorded against AWS
    ("a > b and size(b) > c or a > c", "Invalid operator used in KeyConditionExpression: OR"),
    ("a in (b, size(c), d)", "Invalid operator used in KeyConditionExpression: IN"),
    ("attribute_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
    ("attribute_not_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_not_exists"),
    ("contains(a.d, b)", "Invalid operator used in KeyConditionExpression: contains"),
    ("not a > b", "Invalid operator used in KeyConditionExpression: NOT"),
    ("a <> b", "Invalid operator used in KeyConditionExpression: <>"),
    ("size(b) > a AND a.b > b AND b > c", "KeyConditionExpressions cannot contain nested operations"),
    ("a > size(b.d)", "KeyConditionExpressions cannot contain nested operations"),
    ("a between size(b) and size(a)", "KeyConditionExpressions cannot contain nested operations"),
    ("b > a.b", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
    ("b between c[1] and d", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
    ("a between b and size(a)", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
    ("begins_with(a, b)", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
    ("b.d > a AND c.d > e.f", "KeyConditionExpressions cannot have conditions on nested attributes"),
    ("a.d > c", "KeyConditionExpressions cannot have conditions on nested attributes"),
    ("b[0] > a", "KeyConditionExpressions cannot have conditions on nested attributes"),
])
def test_key_condition_shape_errors(text, detail):
    assert kmessage(text) == detail


@pytest.mark.parametrize("text, values, detail", [
    (":a between size(b) and size(a) and b > :b", {":a": {"S": "1"}, ":b": {"S": "1"}},
     "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute "
     "as its first operand"),
    ("begins_with(:a, b) and a > :b", {":a": {"S": "1"}, ":b": {"S": "1"}},
     "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
     "attribute as its first operand"),
    (":b > :a AND a < :b", {":a": {"N": "1"}, ":b": {"N": "1"}},
     "Invalid condition in KeyConditionExpression: No key attribute specified"),
    ("b > :a AND b < :a and c = :a and d = :a", {":a": {"N": "1"}},
     "KeyConditionExpressions must only contain one condition per key"),
    # more than a key schema's 4 HASH + 4 RANGE attributes (dynalite's 2 predates multi-attribute
    # GSI keys)
    ("(a > :a and b > :a) and (c > :a and d > :a) and (e > :a and f > :a) and (g = :a and h = :a)"
     " and i = :a", {":a": {"S": "a"}}, "Conditions can be of length 1 or 2 only"),
    ("attribute_type(a, :a)", {":a": {"S": "S"}},
     "Invalid operator used in KeyConditionExpression: attribute_type"),
])
def test_key_condition_shape_errors_with_values(text, values, detail):
    assert kmessage(text, values) == detail


SCHEMA = {"pk": "S", "sk": "N"}


def ranges(text, values, hash_key="pk", range_key="sk"):
    conditions = Resolver(None, values).key_condition(text)
    return key_condition_ranges(conditions, hash_key, range_key, SCHEMA)


def test_key_range_with_flipped_sort_condition():
    key = ranges("pk = :p AND :lo < sk", {":p": {"S": "p"}, ":lo": {"N": "5"}})
    assert key.partition_value == {"S": "p"}
    assert (key.sort.name, key.sort.op) == ("sk", "GT")
    assert key.sort.bounds() == ({"N": "5"}, False, None, False)
    assert key.matches({"pk": {"S": "p"}, "sk": {"N": "6"}})
    assert not key.matches({"pk": {"S": "p"}, "sk": {"N": "5"}})
    assert not key.matches({"pk": {"S": "q"}, "sk": {"N": "6"}})


def test_key_range_between_and_begins_with():
    key = ranges("pk = :p AND sk BETWEEN :a AND :b",
                 {":p": {"S": "p"}, ":a": {"N": "1"}, ":b": {"N": "9"}})
    assert key.sort.bounds() == ({"N": "1"}, True, {"N": "9"}, True)
    assert key.sort.matches({"N": "9"}) and not key.sort.matches({"N": "10"})
    key = key_condition_ranges(
        Resolver(None, {":p": {"S": "p"}, ":x": {"S": "ab"}}).key_condition(
            "begins_with(sk, :x) AND pk = :p"), "pk", "sk", {"pk": "S", "sk": "S"})
    assert key.sort.op == "BEGINS_WITH" and key.sort.matches({"S": "abc"})
    assert not key.sort.matches({"S": "b"})


@pytest.mark.parametrize("text, values, detail", [
    # moto key_condition_expression.py; users' AWS answers
    ("sk = :n", {":n": {"N": "1"}}, "Query condition missed key schema element: pk"),
    ("pk = :p AND extra = :n", {":p": {"S": "p"}, ":n": {"N": "1"}},
     "Query condition missed key schema element: sk"),
    ("pk > :p", {":p": {"S": "p"}}, "Query key condition not supported"),
    ("pk = :n", {":n": {"N": "1"}},
     "One or more parameter values were invalid: Condition parameter type does not match schema type"),
])
def test_key_range_schema_errors(text, values, detail):
    with pytest.raises(AwsError) as info:
        ranges(text, values)
    assert info.value.message == detail
