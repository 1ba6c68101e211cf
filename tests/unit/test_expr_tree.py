"""The one walker over expression trees (services/dynamodb/expr/tree.py): every kind of tree,
parsed or resolved, is walked the same way, in text order."""

from __future__ import annotations

from dynoscale.services.dynamodb.expr import Resolver, parse_condition
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.legacy import attributes_to_get

N = {"S": "n"}


def test_document_paths_of_a_condition_in_text_order():
    tree = Resolver({"#b": "b"}, {":v": N}).condition(
        "a.x = :v AND (NOT contains(#b[1], :v) OR size(c) IN (size(d), :v))")
    assert list(t.document_paths(tree)) == [("a", "x"), ("b", 1), ("c",), ("d",)]


def test_document_paths_of_an_update_name_targets_and_the_paths_values_read():
    tree = Resolver(None, {":one": {"N": "1"}}).update(
        "SET a = if_not_exists(b.c, :one) + :one, l = list_append(l, m) REMOVE r[2]")
    assert list(t.document_paths(tree)) == [("a",), ("b", "c"), ("l",), ("l",), ("m",),
                                            ("r", 2)]


def test_document_paths_of_projections_resolved_or_legacy():
    assert list(t.document_paths(Resolver(None, None).projection("a.b, c[0]"))) == [
        ("a", "b"), ("c", 0)]
    assert list(t.document_paths(attributes_to_get(["x", "y"]))) == [("x",), ("y",)]


def test_walk_looks_through_parentheses_of_a_parsed_tree():
    parsed = parse_condition("((a = :v)) OR b < :w")
    kinds = [type(node).__name__ for node in t.walk(parsed)]
    assert kinds == ["ConditionTree", "Or", "Paren", "Paren", "Compare", "Path", "ValueRef",
                     "Compare", "Path", "ValueRef"]


def test_terms_are_the_conditions_and_or_not_join():
    tree = Resolver(None, {":v": N}).condition("a = :v AND NOT (b = :v OR attribute_exists(c))")
    assert [type(term).__name__ for term in t.terms(tree)] == ["Compare", "Compare", "Call"]
    assert t.children(t.Const(N)) == ()
