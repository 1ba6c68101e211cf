"""Apply a resolved UpdateExpression to an item, returning a new item (the input is not touched).

Semantics (DynamoDB developer guide "Update expressions"; dynalite test/updateItem.js, recorded
against AWS, for the exact messages and the nested-update example):
- every SET value is computed from the item as it was before the update;
- actions are applied in path order, so `SET c[4] = ..., c[2] = ...` on a 2-element list appends
  c[2]'s value before c[4]'s (dynalite "should update nested attributes"); a list index past the
  end appends; REMOVEs run last, highest index first, so several indexes of one list all refer to
  the original positions;
- ADD: numbers add, sets union, a missing attribute takes the value; DELETE: set difference, and an
  emptied set disappears; anything else -> "An operand in the update expression has an incorrect
  data type";
- a nested path whose parent is missing or of the wrong kind -> "The document path provided in
  the update expression is invalid for update" (REMOVE and DELETE included, as AWS answered);
- a SET operand naming a missing attribute (outside if_not_exists) -> "The provided expression
  refers to an attribute that does not exist in the item";
- arithmetic is exact; results keep DynamoDB's number limits (values.parse_number's messages).
"""

from __future__ import annotations

import copy
from decimal import Context, Decimal
from typing import Optional

from dynoscale.services.dynamodb import errors, values
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.evaluate import lookup
from dynoscale.services.dynamodb.expr.functions import value_type
from dynoscale.storage.encoding import number_parts

INVALID_PATH = "The document path provided in the update expression is invalid for update"
INCORRECT_TYPE = "An operand in the update expression has an incorrect data type"
MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item"
_SET_TYPES = ("SS", "NS", "BS")
# Wide enough that any sum of two DynamoDB numbers (38 digits, exponents -130..125) is exact.
_EXACT = Context(prec=320, Emax=999, Emin=-999)


def apply_update(update: t.UpdateTree, item: Optional[dict], exists: bool = True) -> dict:
    """The item after `update`; `item` None or {} means the item does not exist yet, and so does
    `exists=False` (the caller then passes the request's Key as `item`)."""
    old = item or {}
    new = copy.deepcopy(old)
    planned = [(a, set_value(a.value, old) if a.clause == "SET" else None) for a in update.actions]
    writes = sorted((p for p in planned if p[0].clause != "REMOVE"), key=lambda p: p[0].path.path)
    removes = sorted((a for a, _ in planned if a.clause == "REMOVE"), key=lambda a: a.path.path,
                     reverse=True)
    for action, value in writes:
        path = action.path.path
        if action.clause == "SET":
            _put(new, path, value)
        elif action.clause == "ADD":
            _add(new, path, action.value.value)
        else:
            _delete(new, path, action.value.value)
    if exists and item:
        # REMOVE on an item that does not exist is ignored, even for a nested path whose parent
        # is missing (scylladb test/alternator/test_update_expression.py::
        # test_nested_attribute_remove_from_missing_item, run against AWS); on an existing item
        # the same path is "invalid for update" (test_nested_attribute_update_bad_path_dot).
        for action in removes:
            _remove(new, action.path.path)
    return new


def only_deletes(update: t.UpdateTree) -> bool:
    """Every action takes something away (REMOVE, DELETE): on a missing item such an update
    creates no item (scylladb issue #5862 and test/alternator/test_returnvalues.py::
    test_update_item_returnvalues_all_new, run against AWS)."""
    return bool(update.actions) and all(a.clause in ("REMOVE", "DELETE") for a in update.actions)


def updated_paths(update: t.UpdateTree) -> tuple:
    """The target paths, for ReturnValues UPDATED_OLD/UPDATED_NEW: project(item, these)."""
    return tuple(action.path.path for action in update.actions)


# -- SET values ---------------------------------------------------------------------------------
def set_value(operand, item: dict) -> dict:
    if isinstance(operand, t.Const):
        return operand.value
    if isinstance(operand, t.Attr):
        value = lookup(item, operand.path)
        if value is None:
            raise errors.validation(MISSING_ATTRIBUTE)
        return value
    if isinstance(operand, t.Arith):
        left, right = set_value(operand.left, item), set_value(operand.right, item)
        if value_type(left) != "N" or value_type(right) != "N":
            raise errors.validation(INCORRECT_TYPE)
        return {"N": add_numbers(left["N"], right["N"], negate=operand.op == "-")}
    if operand.name == "if_not_exists":
        existing = lookup(item, operand.args[0].path)
        return existing if existing is not None else set_value(operand.args[1], item)
    first, second = (set_value(arg, item) for arg in operand.args)  # list_append
    if value_type(first) != "L" or value_type(second) != "L":
        raise errors.validation(INCORRECT_TYPE)
    return {"L": first["L"] + second["L"]}


def add_numbers(a: str, b: str, negate: bool = False) -> str:
    """Exact a + b (or a - b) in canonical form, within DynamoDB's number limits."""
    right = Decimal(b)
    total = _EXACT.subtract(Decimal(a), right) if negate else _EXACT.add(Decimal(a), right)
    text = values.canonical_number(total)
    if len(number_parts(total)[1]) > values.MAX_DIGITS:
        # A result that needs more than 38 digits (1e50 + 1) gets the overflow message, not
        # the "38 significant digits" one an input gets (scylladb test/alternator/
        # test_number.py::test_update_expression_plus_imprecise, run against AWS, for SET's +
        # and -; ADD, and AttributeUpdates' ADD, share this arithmetic: inferred).
        raise errors.validation(values.OVERFLOW)
    values.parse_number(text)  # overflow, underflow: AWS's messages
    return text


# -- writes -------------------------------------------------------------------------------------
def _parent(item: dict, path: tuple) -> dict:
    """The container value holding path[-1]; the update's path error when there is none."""
    parent = lookup(item, path[:-1])
    wanted = "L" if isinstance(path[-1], int) else "M"
    if parent is None or value_type(parent) != wanted:
        raise errors.validation(INVALID_PATH)
    return parent


def _put(item: dict, path: tuple, value: dict) -> None:
    if len(path) == 1:
        item[path[0]] = value
        return
    parent = _parent(item, path)
    last = path[-1]
    if isinstance(last, int):
        elements = parent["L"]
        if last < len(elements):
            elements[last] = value
        else:
            elements.append(value)
    else:
        parent["M"][last] = value


def _current(item: dict, path: tuple) -> Optional[dict]:
    if len(path) > 1:
        _parent(item, path)
    return lookup(item, path)


def _add(item: dict, path: tuple, operand: dict) -> None:
    current = _current(item, path)
    if current is None:
        _put(item, path, operand)
        return
    kind, operand_kind = value_type(current), value_type(operand)
    if kind == "N" and operand_kind == "N":
        _put(item, path, {"N": add_numbers(current["N"], operand["N"])})
    elif kind in _SET_TYPES and kind == operand_kind:
        _put(item, path, {kind: _union(kind, current[kind], operand[kind])})
    else:
        raise errors.validation(INCORRECT_TYPE)


def _delete(item: dict, path: tuple, operand: dict) -> None:
    current = _current(item, path)
    if current is None:
        return
    kind = value_type(current)
    if kind != value_type(operand):
        raise errors.validation(INCORRECT_TYPE)
    drop = {_member_key(kind, m) for m in operand[kind]}
    left = [m for m in current[kind] if _member_key(kind, m) not in drop]
    if left:
        _put(item, path, {kind: left})
    else:
        _remove(item, path)  # DynamoDB stores no empty sets


def _remove(item: dict, path: tuple) -> None:
    if len(path) == 1:
        item.pop(path[0], None)
        return
    parent = _parent(item, path)
    last = path[-1]
    if isinstance(last, int):
        if last < len(parent["L"]):
            del parent["L"][last]
    else:
        parent["M"].pop(last, None)


def _member_key(kind: str, member):
    return Decimal(member) if kind == "NS" else member


def _union(kind: str, current: list, extra: list) -> list:
    seen = {_member_key(kind, m) for m in current}
    out = list(current)
    for member in extra:
        key = _member_key(kind, member)
        if key not in seen:
            seen.add(key)
            out.append(member)
    return out
