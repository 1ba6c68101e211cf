"""Evaluate a resolved condition (ConditionExpression / FilterExpression) against an item.

Rules (DynamoDB developer guide "Comparison operator and function reference"; DynamoDB "Data
types" for ordering):
- numbers compare numerically (exact Decimal), strings by their UTF-8 bytes, binaries by bytes;
  `<`, `<=`, `>`, `>=`, BETWEEN only order two values of the same scalar type (S, N, B), anything
  else is false;
- values of different types are never equal; sets are equal as sets, lists element-wise, maps
  key-wise; a missing attribute equals nothing, so `a <> :v` holds when `a` is missing;
- contains(a, b): substring for S (and B), membership for sets, element equality for lists;
- begins_with: prefix of S by S or B by B; size: S (UTF-8 bytes, the docs' "size in bytes"),
  B (bytes), sets, L and M (element count); size of anything else yields no value.
Evaluation never raises: type errors that AWS reports are found earlier, by resolve.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.functions import value_type

_SETS = {"SS": "S", "NS": "N", "BS": "B"}


# -- values ------------------------------------------------------------------------------------
def _key(type_name: str, v):
    if type_name == "N":
        return Decimal(v)
    if type_name == "S":
        return v.encode("utf-8")
    return v


def equal(a: Optional[dict], b: Optional[dict]) -> bool:
    if a is None or b is None:
        return False
    ta, tb = value_type(a), value_type(b)
    if ta != tb:
        return False
    va, vb = a[ta], b[tb]
    if ta in _SETS:
        scalar = _SETS[ta]
        return {_key(scalar, x) for x in va} == {_key(scalar, x) for x in vb}
    if ta == "L":
        return len(va) == len(vb) and all(equal(x, y) for x, y in zip(va, vb))
    if ta == "M":
        return va.keys() == vb.keys() and all(equal(va[k], vb[k]) for k in va)
    return _key(ta, va) == _key(ta, vb)


def order(a: Optional[dict], b: Optional[dict]) -> Optional[int]:
    """-1/0/1 for two values of the same scalar type (S, N, B); None when they do not compare."""
    if a is None or b is None:
        return None
    ta, tb = value_type(a), value_type(b)
    if ta != tb or ta not in ("S", "N", "B"):
        return None
    ka, kb = _key(ta, a[ta]), _key(tb, b[tb])
    return (ka > kb) - (ka < kb)


# -- paths -------------------------------------------------------------------------------------
def lookup(item: dict, path: tuple) -> Optional[dict]:
    """The value at a resolved path, or None when any step is missing or of the wrong type."""
    value = item.get(path[0]) if isinstance(path[0], str) else None
    for step in path[1:]:
        if value is None:
            return None
        if isinstance(step, int):
            elements = value.get("L")
            value = elements[step] if elements is not None and step < len(elements) else None
        else:
            members = value.get("M")
            value = members.get(step) if members is not None else None
    return value


def operand_value(operand, item: dict) -> Optional[dict]:
    if isinstance(operand, t.Const):
        return operand.value
    if isinstance(operand, t.Attr):
        return lookup(item, operand.path)
    if isinstance(operand, t.Call) and operand.name == "size":
        return size(operand_value(operand.args[0], item))
    return None


def size(value: Optional[dict]) -> Optional[dict]:
    if value is None:
        return None
    type_name = value_type(value)
    v = value[type_name]
    if type_name == "S":
        n = len(v.encode("utf-8"))
    elif type_name in ("B", "SS", "NS", "BS", "L", "M"):
        n = len(v)
    else:
        return None
    return {"N": str(n)}


# -- conditions --------------------------------------------------------------------------------
def evaluate(condition: t.ConditionTree, item: Optional[dict]) -> bool:
    """True when `item` (None = no item) satisfies a resolved condition or filter."""
    return holds(condition.root, item or {})


_ORDERED = {"<": lambda c: c < 0, "<=": lambda c: c <= 0, ">": lambda c: c > 0,
            ">=": lambda c: c >= 0}


def holds(node, item: dict) -> bool:
    if isinstance(node, t.And):
        return holds(node.left, item) and holds(node.right, item)
    if isinstance(node, t.Or):
        return holds(node.left, item) or holds(node.right, item)
    if isinstance(node, t.Not):
        return not holds(node.operand, item)
    if isinstance(node, t.Compare):
        left, right = operand_value(node.left, item), operand_value(node.right, item)
        if node.op == "=":
            return equal(left, right)
        if node.op == "<>":
            return not equal(left, right)
        c = order(left, right)
        return c is not None and _ORDERED[node.op](c)
    if isinstance(node, t.Between):
        subject = operand_value(node.subject, item)
        low, high = operand_value(node.low, item), operand_value(node.high, item)
        above, below = order(subject, low), order(subject, high)
        return above is not None and below is not None and above >= 0 and below <= 0
    if isinstance(node, t.In):
        subject = operand_value(node.subject, item)
        return any(equal(subject, operand_value(o, item)) for o in node.options)
    return _function(node, item)


def _function(call: t.Call, item: dict) -> bool:
    args = call.args
    if call.name == "attribute_exists":
        return operand_value(args[0], item) is not None
    if call.name == "attribute_not_exists":
        return operand_value(args[0], item) is None
    first, second = operand_value(args[0], item), operand_value(args[1], item)
    if first is None or second is None:
        return False
    if call.name == "attribute_type":
        return second.get("S") == value_type(first)
    if call.name == "begins_with":
        ta, tb = value_type(first), value_type(second)
        return ta == tb and ta in ("S", "B") and first[ta].startswith(second[tb])
    if call.name == "contains":
        return contains(first, second)
    return False


def contains(container: dict, member: dict) -> bool:
    tc, tm = value_type(container), value_type(member)
    v = container[tc]
    if tc in ("S", "B"):
        return tm == tc and member[tm] in v
    if tc in _SETS:
        scalar = _SETS[tc]
        return tm == scalar and _key(scalar, member[tm]) in {_key(scalar, x) for x in v}
    if tc == "L":
        return any(equal(element, member) for element in v)
    return False
