"""Parsing and semantic checks of DynamoDB expressions (services/dynamodb/expr), pure functions.

Each table row is an AWS answer with its source: "moto" = moto's tests marked as verified against
AWS (tests/test_dynamodb/test_dynamodb_update_expressions / exceptions), "dynalite" = dynalite's
test suite recorded against live DynamoDB, "dynoxide" = dynoxide's conformance captures, "user" =
a live error quoted in a public issue or code comment.
"""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb.expr import (ExpressionCache, Resolver, evaluate, parse_condition,
                                              parse_projection, parse_update)


def message(call, *args):
    with pytest.raises(AwsError) as info:
        call(*args)
    error = info.value
    assert (error.code, error.status, error.namespace) == (
        "ValidationException", 400, "com.amazon.coral.validate")
    return error.message


SYNTAX = [
    # (parser, expression, token, near, source)
    (parse_update, "SET MyStr = myNum + 1", "1", "+ 1", "moto"),
    (parse_update, "SET MyStr = myNum Mystr2 myNum2", "Mystr2", "myNum Mystr2 myNum2", "moto"),
    (parse_update, "SET MyStr = my Num", "Num", "my Num", "moto"),
    (parse_update, "SET path = VALUE 1", "1", "VALUE 1", "moto reserved_keywords.py"),
    (parse_update, "SET a = if_not_exists(x, 0)", "0", ", 0)", "user"),
    (parse_update, "SET a = ", "<EOF>", "= ", "dynoxide"),
    (parse_update, "SET a = a +", "<EOF>", "+", "dynoxide"),
    (parse_update, "SET numx = numx / :v", "/", "numx / :v", "dynoxide"),
    (parse_condition, "foo", "<EOF>", "foo", "LowVoltage test: real DynamoDB"),
    (parse_condition, "attribute_type()", ")", "()", "dynoxide"),
    (parse_condition, "a = :x AND __typename = :y", "_", "AND __", "user"),
    (parse_projection, "a b", "b", "a b", "dynoxide"),
    (parse_projection, "a,", "<EOF>", ",", "dynoxide"),
    (parse_projection, "!!", "!", "!!", "dynoxide"),
    (parse_projection, "l[a]", "a", "[a]", "floci test"),
]


@pytest.mark.parametrize("parse, text, token, near, source", SYNTAX)
def test_syntax_error_names_token_and_context(parse, text, token, near, source):
    kind = {parse_update: "UpdateExpression", parse_condition: "ConditionExpression",
            parse_projection: "ProjectionExpression"}[parse]
    assert message(parse, text) == f'Invalid {kind}: Syntax error; token: "{token}", near: "{near}"'


# dynalite test/updateItem.js "syntax errors in UpdateExpression": all must be syntax errors.
@pytest.mark.parametrize("text", [
    "whatever", "set a", "add a", "delete a", "set a=set", "remove a = b", "add a = b",
    "delete a = b", "delete a b", "delete a if_not_exist(b)", "add abort b", "remove a b",
    "set a b", "set :a = b", "add :a b", "delete :a b", "remove :a", "set a = b / c",
    "set a = b * c", 'set a[1] = "eight"', "set a[1] = 1", "SET if_not_exist(a, b) = a",
    "set (a = (b + c))", "set a = (b.c).d + e", "set a = (b.c)[0] + e", "set a = b + c + d"])
def test_update_syntax_errors(text):
    assert message(parse_update, text).startswith("Invalid UpdateExpression: Syntax error; ")


# dynalite test/query.js "syntax errors in KeyConditionExpression"
@pytest.mark.parametrize("text", ["things are not gonna be ok", "a > 4", "(size(a))[0] > a"])
def test_key_condition_syntax_errors(text):
    assert message(parse_condition, text, "KeyConditionExpression").startswith(
        "Invalid KeyConditionExpression: Syntax error; ")


@pytest.mark.parametrize("kind", ["ConditionExpression", "FilterExpression",
                                  "KeyConditionExpression"])
def test_empty_expression(kind):
    # dynalite test/updateItem.js, test/query.js
    assert message(parse_condition, "", kind) == f"Invalid {kind}: The expression can not be empty;"
    assert message(parse_update, "") == "Invalid UpdateExpression: The expression can not be empty;"


def test_expression_over_4kb():
    # user-quoted AWS answer: "Invalid FilterExpression: Expression size has exceeded the maximum
    # allowed size; expression size: 5872"; limit 4 KB (developer guide, Constraints)
    text = " OR ".join(f"a{i} = :v" for i in range(700))
    assert message(parse_condition, text, "FilterExpression") == (
        "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; "
        f"expression size: {len(text)}")


def resolver(names=None, values=None):
    return Resolver(names or {"#a": "a", "#b": "b", "#c": "c", "#d": "[3]"},
                    values or {":a": {"S": "a"}, ":b": {"N": "1"}, ":c": {"B": b"a"},
                               ":d": {"BOOL": False}, ":e": {"NULL": True}, ":f": {"SS": ["a"]},
                               ":g": {"NS": ["1"]}, ":h": {"BS": [b"a"]}, ":i": {"M": {}},
                               ":j": {"L": []}, ":k": {"S": "b"}})


UPDATE_ERRORS = [
    # dynalite test/updateItem.js, each recorded against AWS
    (" set #c = :c set abOrt = true ", "Attribute name is a reserved keyword; reserved keyword: abOrt"),
    (" remove Absolute ", "Attribute name is a reserved keyword; reserved keyword: Absolute"),
    ("set #c = if_not_exist(:c) set c = d", "Invalid function name; function: if_not_exist"),
    ("set a = #c set c = :d", 'The "SET" section can only be used once in an update expression;'),
    ("remove #d set a = b remove e", 'The "REMOVE" section can only be used once in an update expression;'),
    ("add #d :e set a = b add e :f", 'The "ADD" section can only be used once in an update expression;'),
    ("SET #z = if_not_exists(:c)", "An expression attribute name used in the document path is not "
                                   "defined; attribute name: #z"),
    ("SET #a = if_not_exists(:z)", "An expression attribute value used in expression is not "
                                   "defined; attribute value: :z"),
    ("set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)",
     "Two document paths overlap with each other; must remove or rewrite one of these paths; "
     "path one: [c, [1], a], path two: [c]"),
    ("set c.b.#c = a, c = a, #d = a", "Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [c, b, c], path two: [c]"),
    ("set #c[3].#d = a, #c[3] = a", "Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]"),
    ("remove c, #c.a, #d", "Two document paths overlap with each other; must remove or rewrite one "
     "of these paths; path one: [c], path two: [c, a]"),
    ("set #c[3].#d = a, #c.#d[3] = if_not_exists(a)", "Two document paths conflict with each other; "
     "must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3], [3]]"),
    ("remove a.#c set a[1] = #d", "Two document paths conflict with each other; must remove or "
     "rewrite one of these paths; path one: [a, c], path two: [a, [1]]"),
    ("set b = list_append(:a, a), c = if_not_exists(a) add a.b :a",
     "Incorrect operand type for operator or function; operator: ADD, operand type: STRING"),
    ("delete a.b :b", "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"),
    ("add a.b :e", "Incorrect operand type for operator or function; operator: ADD, operand type: NULL"),
    ("add a.b :d", "Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN"),
    ("delete a.b :c", "Incorrect operand type for operator or function; operator: DELETE, operand type: BINARY"),
    ("add a.b :i", "Incorrect operand type for operator or function; operator: ADD, operand type: MAP"),
    ("add a.b :j", "Incorrect operand type for operator or function; operator: ADD, operand type: LIST"),
    ("set a = if_not_exists(c)", "Incorrect number of operands for operator or function; operator or "
     "function: if_not_exists, number of operands: 1"),
    ("set a = list_append(c)", "Incorrect number of operands for operator or function; operator or "
     "function: list_append, number of operands: 1"),
    ("set a = if_not_exists(:a, c)", "Operator or function requires a document path; operator or "
     "function: if_not_exists"),
    ("set a = list_append(:a, a)", "Incorrect operand type for operator or function; operator or "
     "function: list_append, operand type: S"),
    ("set a = list_append(a, :b)", "Incorrect operand type for operator or function; operator or "
     "function: list_append, operand type: N"),
    ("set a = list_append(:i, a)", "Incorrect operand type for operator or function; operator or "
     "function: list_append, operand type: M"),
    ("set a = a + :a", "Incorrect operand type for operator or function; operator or function: +, "
     "operand type: S"),
    ("set a = :c - a", "Incorrect operand type for operator or function; operator or function: -, "
     "operand type: B"),
    ("set a = a - :j", "Incorrect operand type for operator or function; operator or function: -, "
     "operand type: L"),
    # dynoxide capture
    ("set a = size(b)", "The function is not allowed in an update expression; function: size"),
]


@pytest.mark.parametrize("text, detail", UPDATE_ERRORS)
def test_update_semantic_errors(text, detail):
    assert message(resolver().update, text) == f"Invalid UpdateExpression: {detail}"


CONDITION_ERRORS = [
    ("((a = :a))", "The expression has redundant parentheses;"),  # dynoxide
    ("foo(a)", "Invalid function name; function: foo"),
    ("a < if_not_exists(c, :a)", "The function is not allowed in a condition expression; "
                                 "function: if_not_exists"),
    ("size(a)", "The function is not allowed to be used this way in an expression; function: size"),
    ("attribute_exists(a) = :a", "The function is not allowed to be used this way in an "
                                 "expression; function: attribute_exists"),
    ("status = :a", "Attribute name is a reserved keyword; reserved keyword: status"),
    ("s = :zz", "An expression attribute value used in expression is not defined; attribute value: :zz"),
    ("#x = :a", "An expression attribute name used in the document path is not defined; "
                "attribute name: #x"),
    ("attribute_exists(a, b)", "Incorrect number of operands for operator or function; operator or "
                               "function: attribute_exists, number of operands: 2"),
    ("a = a", "The first operand must be distinct from the remaining operands for this operator or "
              "function; operator: =, first operand: [a]"),
    ("begins_with(a.b, a.b)", "The first operand must be distinct from the remaining operands for "
                              "this operator or function; operator: begins_with, first operand: [a, b]"),
    ("attribute_exists(:a)", "Operator or function requires a document path; operator or function: "
                             "attribute_exists"),
    ("begins_with(a, :b)", "Incorrect operand type for operator or function; operator or function: "
                           "begins_with, operand type: N"),
    ("attribute_type(a, b)", "Incorrect operand type for operator or function; operator or "
                             "function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}"),
    ("attribute_type(a, :b)", "Incorrect operand type for operator or function; operator or "
                              "function: attribute_type, operand type: N"),
    ("attribute_type(a, :a)", "Invalid attribute type name found; type: a, valid types: "
                              "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"),
    ("size(:b) > a", "Incorrect operand type for operator or function; operator or function: size, "
                     "operand type: N"),
    # dynalite test/query.js (KeyConditionExpression, same wording in every condition kind)
    ("a between :b and :a", "The BETWEEN operator requires same data type for lower and upper "
     "bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}"),
    ("a between :k and :a", "The BETWEEN operator requires upper bound to be greater than or equal "
     "to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: "
     "AttributeValue: {S:a}"),
]


@pytest.mark.parametrize("text, detail", CONDITION_ERRORS)
def test_condition_semantic_errors(text, detail):
    assert message(resolver().condition, text) == f"Invalid ConditionExpression: {detail}"


def test_in_operator_limit():
    # reapit/foundations#8255 quotes AWS: "... The IN operator is provided with too many
    # operands; number of operands: 163"; the limit is 100 (developer guide, Constraints)
    values = {f":v{i}": {"N": str(i)} for i in range(163)}
    text = "a IN (" + ", ".join(values) + ")"
    assert message(Resolver(None, values).condition, text, "FilterExpression") == (
        "Invalid FilterExpression: The IN operator is provided with too many operands; number of "
        "operands: 163")
    few = dict(list(values.items())[:100])
    Resolver(None, few).condition("a IN (" + ", ".join(few) + ")", "FilterExpression")


def test_unused_placeholders_across_expressions():
    # dynalite test/updateItem.js "extra ExpressionAttributeNames/Values"
    r = resolver({"#a": "a", "#b": "b"}, {":a": {"S": "a"}, ":b": {"S": "a"}})
    r.update("remove a set b = list_append(b, if_not_exists(a, :a))")
    r.condition("a = :b")
    assert message(r.check_unused) == (
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}")
    r = resolver({"#n": "n"}, {":a": {"S": "a"}, ":c": {"S": "c"}})
    r.update("remove #n")
    assert message(r.check_unused) == (
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}")


@pytest.mark.parametrize("names, values, detail", [
    ({}, None, "ExpressionAttributeNames must not be empty"),
    ({"a": "a"}, None, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
    (None, {}, "ExpressionAttributeValues must not be empty"),
    (None, {":b": {"S": "a"}, "b": {"S": "a"}},
     'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"'),
    (None, {":b": {"N": "b"}}, "ExpressionAttributeValues contains invalid value: The parameter "
                               "cannot be converted to a numeric value: b for key :b"),
])
def test_attribute_map_errors(names, values, detail):
    # dynalite test/updateItem.js validations
    assert message(Resolver, names, values) == detail


def test_projection_paths_and_errors():
    r = Resolver({"#n": "name"}, None)
    assert r.projection("a, #n.b[2], c[0]").paths == (("a",), ("name", "b", 2), ("c", 0))
    assert message(Resolver(None, None).projection, "a, a.b") == (
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
        "rewrite one of these paths; path one: [a], path two: [a, b]")
    assert message(Resolver(None, None).projection, "name") == (
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name")


def test_cache_reuses_trees_and_keys_by_kind():
    cache = ExpressionCache(maxsize=2)
    first = cache.condition("a = :v")
    assert cache.condition("a = :v") is first
    assert cache.condition("a = :v", "FilterExpression") is not first
    assert (cache.hits, cache.misses) == (1, 2)
    cache.update("SET a = :v")
    assert len(cache) == 2  # LRU eviction
    r = Resolver(None, {":v": {"S": "x"}}, cache)
    assert evaluate(r.condition("a = :v"), {"a": {"S": "x"}})


# -- precedence: NOT > AND > OR (developer guide "Precedence in conditions") -----------------
_PRECEDENCE = {"OR": 1, "AND": 2, "NOT": 3}
formulas = st.recursive(st.sampled_from("abcd"), lambda sub: st.one_of(
    st.tuples(st.just("NOT"), sub), st.tuples(st.sampled_from(["AND", "OR"]), sub, sub)),
    max_leaves=8)


def _truth(node, env) -> bool:
    if isinstance(node, str):
        return env[node]
    if node[0] == "NOT":
        return not _truth(node[1], env)
    left, right = _truth(node[1], env), _truth(node[2], env)
    return (left and right) if node[0] == "AND" else (left or right)


def _text(node, outer: int = 0, all_parens: bool = False) -> str:
    """Only the parentheses precedence needs (or, with all_parens, around every AND/OR)."""
    if isinstance(node, str):
        return f"{node} = :t"
    if node[0] == "NOT":
        return "NOT " + _text(node[1], 3, all_parens)
    mine = _PRECEDENCE[node[0]]
    # Same-precedence operators are associative, so only the right side of a chain needs care.
    text = f"{_text(node[1], mine, all_parens)} {node[0]} {_text(node[2], mine + 1, all_parens)}"
    return f"({text})" if mine < outer or (all_parens and outer) else text


@given(formulas, st.fixed_dictionaries({k: st.booleans() for k in "abcd"}), st.booleans())
def test_precedence_matches_boolean_algebra(formula, env, all_parens):
    item = {k: {"BOOL": v} for k, v in env.items()}
    text = _text(formula, 0, all_parens)
    condition = Resolver(None, {":t": {"BOOL": True}}).condition(text)
    assert evaluate(condition, item) == _truth(formula, env), text
