"""The legacy (pre-expression) request parameters, turned into expression trees or key conditions.

Covered: Expected + ConditionalOperator (conditional writes), QueryFilter/ScanFilter +
ConditionalOperator (filters), KeyConditions (Query), AttributesToGet (projections) and
AttributeUpdates (UpdateItem). Each becomes what the rest of this package already evaluates, so
legacy and expression requests share one evaluator (a module of its own because it parses request
members, not expression text):
- conditions become resolved `ConditionTree`s for `expr.evaluate` (EQ -> `=`, NE -> `<>`,
  LT/LE/GT/GE, BETWEEN, IN, BEGINS_WITH -> begins_with, CONTAINS -> contains, NOT_CONTAINS ->
  attribute_exists AND NOT contains, NOT_NULL -> attribute_exists, NULL -> attribute_not_exists;
  `Exists: false` -> attribute_not_exists, a bare `Value` -> `=`), combined with AND (default) or
  OR;
- KeyConditions become `expr.KeyCondition`s for `expr.key_condition_ranges`.

Messages and check order: dynalite validations/index.js `validateConditions` (QueryFilter,
ScanFilter, KeyConditions), `validateAttributeConditions` (Expected), validations/updateItem.js
(AttributeUpdates), actions/query.js ("not an indexable operation"), actions/updateItem.js
("Type mismatch for attribute to update"); all recorded against live DynamoDB. Semantics: the
DynamoDB developer guide "Legacy conditional parameters" (ComparisonOperator reference).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.services.dynamodb import errors, values
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.evaluate import order
from dynoscale.services.dynamodb.expr.functions import value_type
from dynoscale.services.dynamodb.expr.keycond import (MAX_CONDITIONS, KeyCondition, KeyRange,
                                                      key_condition_ranges as _ranges,
                                                      multi_key_ranges as _multi_ranges)
from dynoscale.services.dynamodb.expr.update import add_numbers

# Number of AttributeValueList entries per operator (None = one or more).
ARITY = {"NULL": 0, "NOT_NULL": 0, "EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1,
         "CONTAINS": 1, "NOT_CONTAINS": 1, "BEGINS_WITH": 1, "IN": None, "BETWEEN": 2}
# AttributeValue types each operator accepts in QueryFilter/ScanFilter/KeyConditions. EQ and NE
# take every type, lists, maps and booleans included: the "Legacy conditional parameters"
# Condition reference ("EQ is supported for all data types, including lists and maps"), and
# scylladb test/alternator/test_query_filter.py::test_query_filter_eq / _ne, run against AWS
# (dynalite's narrower S/N/B/sets list predates the document types).
_ALL_TYPES = ("S", "N", "B", "SS", "NS", "BS", "L", "M", "BOOL", "NULL")
ALLOWED_TYPES = {
    "EQ": _ALL_TYPES, "NE": _ALL_TYPES,
    "LE": ("S", "N", "B"), "LT": ("S", "N", "B"), "GE": ("S", "N", "B"), "GT": ("S", "N", "B"),
    "CONTAINS": ("S", "N", "B"), "NOT_CONTAINS": ("S", "N", "B"), "BEGINS_WITH": ("S", "B"),
    "IN": ("S", "N", "B"), "BETWEEN": ("S", "N", "B")}
KEY_OPERATORS = {"EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN"}
_COMPARE = {"EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"}
_BETWEEN_ORDER = ("The BETWEEN condition was provided a range where the lower bound is greater "
                  "than the upper bound")


# -- QueryFilter / ScanFilter / KeyConditions ---------------------------------------------------
def check_conditions(conditions: Optional[dict]) -> dict:
    """Validate a QueryFilter, ScanFilter or KeyConditions map (dynalite `validateConditions`)
    and return it with its values checked (numbers canonical). Raises AWS's ValidationException."""
    checked = {}
    for name, condition in (conditions or {}).items():
        op = condition["ComparisonOperator"]
        given = [values.check_value(v) for v in condition.get("AttributeValueList") or []]
        _check_arity(op, len(given))
        _check_same_type(given)
        _check_types(op, given)
        _check_between(op, given)
        checked[name] = {"ComparisonOperator": op, "AttributeValueList": given}
    return checked


def filter_from_conditions(conditions: Optional[dict], conditional_operator: Optional[str] = None,
                           kind: str = "QueryFilter") -> Optional[t.ConditionTree]:
    """QueryFilter / ScanFilter (+ ConditionalOperator AND|OR) -> a resolved ConditionTree.

    Validates first (check_conditions, AWS's messages) and returns None when `conditions` is
    None or empty. Use the result exactly like a resolved FilterExpression:
    `expr.evaluate(tree, item)`. `kind` only labels the tree ("QueryFilter" or "ScanFilter").
    """
    checked = check_conditions(conditions)
    if not checked:
        return None
    nodes = [_node(name, c["ComparisonOperator"], c["AttributeValueList"])
             for name, c in checked.items()]
    return t.ConditionTree(kind, _combine(nodes, conditional_operator))


def key_conditions(conditions: dict) -> tuple:
    """Query's KeyConditions -> a tuple of `expr.KeyCondition` (one per attribute, in order).

    Runs the request-shape checks AWS makes before looking at the table: each condition as in
    check_conditions, then "Conditions can be of length 1 or 2 only" (for none, or more than a key
    schema can name: keycond.MAX_CONDITIONS; more than two are a multi-attribute GSI's, accepted
    by AWS: moto test_dynamodb_multi_attribute_gsi.py test_key_conditions_with_range_keys, marked
    aws_verified). The conditions may still
    hold operators no key supports (NE, IN, NULL, ...): pass the result to
    `legacy.key_condition_ranges` (not expr's), which rejects them in AWS's order after the
    "missed key schema element" check.
    """
    checked = check_conditions(conditions)
    if not 1 <= len(checked) <= MAX_CONDITIONS:
        raise errors.validation("Conditions can be of length 1 or 2 only")
    return tuple(KeyCondition(name, c["ComparisonOperator"], tuple(c["AttributeValueList"]))
                 for name, c in checked.items())


def key_condition_ranges(conditions: tuple, hash_key: str, range_key: Optional[str] = None,
                         key_types: Optional[dict] = None) -> KeyRange:
    """`expr.key_condition_ranges` for KeyConditions: first the schema element check, then
    "Attempted conditional constraint is not an indexable operation" (dynalite actions/query.js),
    then everything expr's version checks."""
    names = {c.name for c in conditions}
    if hash_key not in names:
        raise errors.validation(f"Query condition missed key schema element: {hash_key}")
    if len(conditions) > 1 and range_key and range_key not in names:
        raise errors.validation(f"Query condition missed key schema element: {range_key}")
    if any(c.op not in KEY_OPERATORS for c in conditions):
        raise errors.validation("Attempted conditional constraint is not an indexable operation")
    return _ranges(conditions, hash_key, range_key, key_types)


def multi_key_ranges(conditions: tuple, hash_keys: tuple, range_keys: tuple,
                     key_types: Optional[dict] = None) -> KeyRange:
    """`expr.multi_key_ranges` for KeyConditions on a multi-attribute GSI key, after the same
    first two checks as `key_condition_ranges` (inferred: KeyConditions keep their own order)."""
    names = {c.name for c in conditions}
    for name in hash_keys:
        if name not in names:
            raise errors.validation(f"Query condition missed key schema element: {name}")
    if any(c.op not in KEY_OPERATORS for c in conditions):
        raise errors.validation("Attempted conditional constraint is not an indexable operation")
    return _multi_ranges(conditions, hash_keys, range_keys, key_types)


# -- Expected -----------------------------------------------------------------------------------
def expected_condition(expected: Optional[dict], conditional_operator: Optional[str] = None
                       ) -> Optional[t.ConditionTree]:
    """PutItem/UpdateItem/DeleteItem `Expected` (+ ConditionalOperator) -> a resolved
    ConditionTree for `conditional_write.holds`, or None when absent. Validates with AWS's messages
    (dynalite `validateAttributeConditions`)."""
    if not expected:
        return None
    nodes = []
    for name, condition in expected.items():
        has_list, has_value = "AttributeValueList" in condition, "Value" in condition
        if has_list and has_value:
            raise errors.invalid("Value and AttributeValueList cannot be used together for "
                                 f"Attribute: {name}")
        op = condition.get("ComparisonOperator")
        if op is not None:
            if "Exists" in condition:
                raise errors.invalid("Exists and ComparisonOperator cannot be used together for "
                                     f"Attribute: {name}")
            if op not in ("NULL", "NOT_NULL") and not has_list and not has_value:
                raise errors.invalid("Value or AttributeValueList must be used with "
                                     f"ComparisonOperator: {op} for Attribute: {name}")
            given = (condition["AttributeValueList"] if has_list
                     else [condition["Value"]] if has_value else [])
            given = [values.check_value(v) for v in given]
            _check_arity(op, len(given))
            _check_same_type(given)
            # the same operand types as in filters: an ordering operator, CONTAINS, IN or BETWEEN
            # given a list or set (or BEGINS_WITH a number) is a ValidationException, not a
            # failed condition (scylladb test_expected.py::test_update_expected_1_contains,
            # _1_in, _1_between, _1_begins_with_false, run against AWS; the message is
            # inferred to be the filters' one)
            _check_types(op, given)
            _check_between(op, given)
            nodes.append(_node(name, op, given))
        elif has_list:
            raise errors.invalid("AttributeValueList can only be used with a ComparisonOperator "
                                 f"for Attribute: {name}")
        else:
            exists = condition.get("Exists")
            if exists is not False and condition.get("Value") is None:
                shown = "null" if exists is None else "true"
                raise errors.invalid(f"Value must be provided when Exists is {shown} for "
                                     f"Attribute: {name}")
            if exists is False and condition.get("Value") is not None:
                raise errors.invalid(f"Value cannot be used when Exists is false for Attribute: "
                                     f"{name}")
            if exists is False:
                nodes.append(t.Call("attribute_not_exists", (t.Attr((name,)),)))
            else:
                nodes.append(t.Compare("=", t.Attr((name,)),
                                       t.Const(values.check_value(condition["Value"]))))
    return t.ConditionTree("Expected", _combine(nodes, conditional_operator))


# -- AttributesToGet ----------------------------------------------------------------------------
def attributes_to_get(names: Optional[list]) -> Optional[t.ProjectionTree]:
    """AttributesToGet -> a ProjectionTree for `expr.project` (top-level names only), after the
    duplicate check (dynalite validations/getItem.js, query.js, scan.js)."""
    if names is None:
        return None
    seen: dict = {}
    for name in names:
        if name in seen:
            raise errors.invalid(f"Duplicate value in attribute name: {name}")
        seen[name] = None
    return t.ProjectionTree(tuple((name,) for name in seen))


# -- AttributeUpdates ---------------------------------------------------------------------------
def check_attribute_updates(updates: Optional[dict]) -> Optional[dict]:
    """Validate AttributeUpdates (dynalite validations/updateItem.js) and return it with values
    checked; None when absent."""
    if updates is None:
        return None
    checked = {}
    for name, update in updates.items():
        action = update.get("Action") or "PUT"
        value = update.get("Value")
        if value is not None:
            value = values.check_value(value)
        if value is None and action != "DELETE":
            raise errors.invalid("Only DELETE action is allowed when no attribute value is "
                                 "specified")
        if value is not None and action == "DELETE" and value_type(value) not in ("SS", "NS", "BS"):
            raise errors.invalid(f"DELETE action with value is not supported for the type "
                                 f"{value_type(value)}")
        if value is not None and action == "ADD" and \
                value_type(value) not in ("L", "SS", "NS", "BS", "N"):
            raise errors.invalid(f"ADD action is not supported for the type {value_type(value)}")
        checked[name] = {"Action": action, "Value": value}
    return checked


def apply_attribute_updates(updates: dict, item: Optional[dict]) -> dict:
    """The item after checked AttributeUpdates (a new dict; `item` is not modified).

    PUT replaces; ADD adds a number (missing = 0), unions a set, or appends to a list; DELETE
    without a value removes the attribute, with a set value removes those members (an emptied
    set disappears). A type clash -> "Type mismatch for attribute to update".
    """
    new = dict(item or {})
    for name, update in updates.items():
        action, value = update["Action"], update["Value"]
        current = new.get(name)
        if action == "PUT":
            new[name] = value
        elif action == "ADD":
            kind = value_type(value)
            if current is not None and value_type(current) != kind:
                raise errors.validation("Type mismatch for attribute to update")
            if current is None:
                new[name] = value
            elif kind == "N":
                new[name] = {"N": add_numbers(current["N"], value["N"])}
            elif kind == "L":
                new[name] = {"L": current["L"] + value["L"]}
            else:
                new[name] = {kind: _union(kind, current[kind], value[kind])}
        elif value is None:
            new.pop(name, None)
        elif current is not None:
            kind = value_type(value)
            if value_type(current) != kind:
                raise errors.validation("Type mismatch for attribute to update")
            drop = {_member(kind, m) for m in value[kind]}
            left = [m for m in current[kind] if _member(kind, m) not in drop]
            if left:
                new[name] = {kind: left}
            else:
                new.pop(name)
    return new


# -- pieces -------------------------------------------------------------------------------------
def _check_arity(op: str, count: int) -> None:
    wanted = ARITY[op]
    if (wanted is None and count < 1) or (wanted is not None and count != wanted):
        raise errors.invalid(f"Invalid number of argument(s) for the {op} ComparisonOperator")


def _check_same_type(given: list) -> None:
    if given and any(value_type(v) != value_type(given[0]) for v in given):
        raise errors.invalid("AttributeValues inside AttributeValueList must be of same type")


def _check_types(op: str, given: list) -> None:
    for value in given:
        if value_type(value) not in ALLOWED_TYPES[op]:
            raise errors.invalid(f"ComparisonOperator {op} is not valid for "
                                 f"{value_type(value)} AttributeValue type")


def _check_between(op: str, given: list) -> None:
    if op == "BETWEEN" and (order(given[0], given[1]) or 0) > 0:
        raise errors.validation(_BETWEEN_ORDER)


def _node(name: str, op: str, given: list):
    attr = t.Attr((name,))
    consts = tuple(t.Const(v) for v in given)
    if op in _COMPARE:
        return t.Compare(_COMPARE[op], attr, consts[0])
    if op == "NOT_NULL":
        return t.Call("attribute_exists", (attr,))
    if op == "NULL":
        return t.Call("attribute_not_exists", (attr,))
    if op == "CONTAINS":
        return t.Call("contains", (attr, consts[0]))
    if op == "NOT_CONTAINS":
        # false on a missing attribute, like CONTAINS: in Expected (scylladb test_expected.py::
        # test_update_expected_1_not_contains, run against AWS) and, inferred from it, in
        # QueryFilter/ScanFilter, which the developer guide's "Writing conditions with legacy
        # parameters" gives the same operator semantics (Alternator's one check_NOT_CONTAINS
        # serves all three). FilterExpression's `NOT contains(a, :v)` is true there instead.
        return t.And(t.Call("attribute_exists", (attr,)),
                     t.Not(t.Call("contains", (attr, consts[0]))))
    if op == "BEGINS_WITH":
        return t.Call("begins_with", (attr, consts[0]))
    if op == "IN":
        return t.In(attr, consts)
    return t.Between(attr, consts[0], consts[1])


def _combine(nodes: list, conditional_operator: Optional[str]):
    joiner = t.Or if conditional_operator == "OR" else t.And
    root = nodes[0]
    for node in nodes[1:]:
        root = joiner(root, node)
    return root


def _member(kind: str, member):
    return values.parse_number(member) if kind == "NS" else member


def _union(kind: str, current: list, extra: list) -> list:
    seen = {_member(kind, m) for m in current}
    out = list(current)
    for member in extra:
        if _member(kind, member) not in seen:
            seen.add(_member(kind, member))
            out.append(member)
    return out
