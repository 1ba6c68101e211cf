"""Which key a WHERE clause pins: the conditions taken out as key conditions, and what is left.

AWS's rules (DynamoDB Local ships AWS's translator: `ddb.partiql.shared.util.
KeyAndConditionExpressionExtractorBase`), walking the AND tree only (OR, IN and NOT subtrees are
left whole):
- SELECT: a comparison whose operand is the partition key must be `=` on a value, and only one
  value; on the sort key `=`, `<`, `<=`, `>`, `>=`, BETWEEN or begins_with, once; a NOT over a key
  attribute, or any other condition on one, makes the statement unqueryable, as does a missing
  partition key equality. Unqueryable is no error: the SELECT runs as a Scan of the whole WHERE
  (developer guide "PartiQL select statements": without a partition key condition a SELECT scans).
- UPDATE / DELETE (and a batch or transaction read): `=` on a value for every key attribute, else
  `Where clause does not contain a mandatory equality on all key attributes`; two different
  values for one key -> `Multiple conditions on same key ...`; other conditions stay behind as
  the write's condition.
- EXISTS: the first `=` on each key attribute is the key; everything else is the condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.evaluate import equal
from dynoscale.services.dynamodb.expr.functions import value_type
from dynoscale.services.dynamodb.expr.keycond import KeyCondition
from dynoscale.services.dynamodb.partiql import messages as m

_OPS = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
_FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


class Unqueryable(Exception):
    """The WHERE pins no key range: run as a Scan."""


@dataclass(frozen=True)
class Extracted:
    conditions: dict          # key name -> KeyCondition (SELECT) or value (DML)
    rest: Optional[object]    # the remaining condition node, None when nothing is left


def _key_attr(node, key_names: tuple) -> Optional[str]:
    if isinstance(node, t.Attr) and len(node.path) == 1 and node.path[0] in key_names:
        return node.path[0]
    return None


def _direct_key(node, key_names: tuple) -> Optional[str]:
    for child in _children(node):
        name = _key_attr(child, key_names)
        if name is not None:
            return name
    return None


def _children(node) -> tuple:
    if isinstance(node, t.Compare):
        return (node.left, node.right)
    if isinstance(node, t.Between):
        return (node.subject, node.low, node.high)
    if isinstance(node, t.In):
        return (node.subject,) + node.options
    if isinstance(node, t.Call):
        return node.args
    if isinstance(node, t.Not):
        return (node.operand,)
    return ()


def _terminal(node) -> bool:
    return isinstance(node, (t.Compare, t.Between, t.In, t.Call))


def _strip(node, take) -> Optional[object]:
    """Walk the AND tree; `take(terminal)` returns True when it consumed a condition."""
    if isinstance(node, t.And):
        left, right = _strip(node.left, take), _strip(node.right, take)
        if left is not None and right is not None:
            return t.And(left, right)
        return left if left is not None else right
    if _terminal(node) and take(node):
        return None
    return node


# -- SELECT ---------------------------------------------------------------------------------------
def for_select(root, hash_name: str, range_name: Optional[str]) -> Extracted:
    """Key conditions of a SELECT on a table or index schema; raises Unqueryable."""
    names = (hash_name,) + ((range_name,) if range_name else ())
    found: dict = {}

    def take(node) -> bool:
        name = _direct_key(node, names)
        if name is None:
            return False
        condition = _select_condition(node, name)
        if condition is None:
            return False
        if name == hash_name and condition.op != "EQ":
            raise Unqueryable
        previous = found.get(name)
        if previous is not None:
            if name == range_name or not equal(previous.values[0], condition.values[0]):
                raise Unqueryable
            return True
        found[name] = condition
        return True

    def guard_not(node) -> None:
        """A NOT over a key attribute makes the statement unqueryable."""
        if isinstance(node, t.And):
            guard_not(node.left)
            guard_not(node.right)
        elif isinstance(node, t.Not) and _direct_key(node.operand, names) is not None:
            raise Unqueryable

    if root is None:
        raise Unqueryable
    guard_not(root)
    rest = _strip(root, take)
    if hash_name not in found:
        raise Unqueryable
    return Extracted(found, rest)


def partition_fanout(root, hash_name: str) -> Optional[tuple[list, object]]:
    """The partition key values of a top-level conjunct `hash IN [v, ...]` or `hash = v OR
    hash = w ...`, which AWS runs as one Query per value rather than a Scan (developer guide
    "PartiQL select statements for DynamoDB": `WHERE OrderID IN [100, 300, 234]` and
    `WHERE OrderID = 100 or OrderID = 200` "will not result in a full table scan").

    Returns (distinct values in the order written, the WHERE with that conjunct replaced by
    `hash = first value`), a template for_select turns into the per-partition key conditions;
    None when no conjunct has that shape. Inferred: the partitions are read in the order the
    values are written (AWS documents no order for the combined result)."""
    def values_of(node) -> Optional[list]:
        if isinstance(node, t.In):
            if not (isinstance(node.subject, t.Attr) and node.subject.path == (hash_name,)):
                return None
            if not all(isinstance(option, t.Const) for option in node.options):
                return None
            return [option.value for option in node.options]
        if isinstance(node, t.Or):
            left, right = values_of(node.left), values_of(node.right)
            return left + right if left is not None and right is not None else None
        if isinstance(node, t.Compare) and node.op == "=":
            key = _key_attr(node.left, (hash_name,)) or _key_attr(node.right, (hash_name,))
            other = node.right if isinstance(node.left, t.Attr) else node.left
            if key is not None and isinstance(other, t.Const):
                return [other.value]
        return None

    found: list = []

    def replace(node):
        if isinstance(node, t.And):
            left = replace(node.left)
            return t.And(left, node.right if found else replace(node.right))
        if found:
            return node
        values = values_of(node) if isinstance(node, (t.In, t.Or)) else None
        if not values:
            return node
        for value in values:
            if not any(equal(value, seen) for seen in found):
                found.append(value)
        return t.Compare("=", t.Attr((hash_name,)), t.Const(found[0]))

    template = replace(root) if root is not None else None
    return (found, template) if found else None


def _select_condition(node, name: str) -> Optional[KeyCondition]:
    """The KeyCondition `node` states on key `name`, None when it states none a Query can use
    (a comparison of two attributes: left in the filter), Unqueryable for a condition of a kind
    no key condition has."""
    if isinstance(node, t.Compare):
        left_is_key = isinstance(node.left, t.Attr) and node.left.path == (name,)
        other = node.right if left_is_key else node.left
        if node.op not in _OPS:
            raise Unqueryable
        if not isinstance(other, t.Const):
            return None  # two attributes compared: left in the filter
        op = node.op if left_is_key else _FLIPPED[node.op]
        return KeyCondition(name, _OPS[op], (other.value,))
    if isinstance(node, t.Between) and isinstance(node.subject, t.Attr) \
            and node.subject.path == (name,):
        if isinstance(node.low, t.Const) and isinstance(node.high, t.Const):
            return KeyCondition(name, "BETWEEN", (node.low.value, node.high.value))
        return None
    if isinstance(node, t.Call) and node.name == "begins_with" and len(node.args) == 2 \
            and isinstance(node.args[0], t.Attr) and node.args[0].path == (name,) \
            and isinstance(node.args[1], t.Const):
        return KeyCondition(name, "BEGINS_WITH", (node.args[1].value,))
    raise Unqueryable


# -- writes, batch and transaction reads ----------------------------------------------------------
def for_item(root, key_names: tuple) -> Extracted:
    """`key = value` for every key attribute; the rest is the write's condition."""
    found: dict = {}

    def take(node) -> bool:
        if not (isinstance(node, t.Compare) and node.op == "="):
            return False
        name = _direct_key(node, key_names)
        other = node.right if _key_attr(node.left, key_names) == name else node.left
        if name is None or not isinstance(other, t.Const):
            return False
        previous = found.get(name)
        if previous is not None and not equal(previous, other.value):
            raise errors.validation(m.MULTIPLE_KEY_CONDITIONS.format(name))
        found[name] = other.value
        return True

    rest = _strip(root, take) if root is not None else None
    if not all(name in found for name in key_names):
        raise errors.validation(m.INCOMPLETE_KEY)
    return Extracted(found, rest)


def for_condition_check(root, key_names: tuple) -> Optional[Extracted]:
    """EXISTS(SELECT ...): the first equality on each key is the key; None when a key attribute
    has none."""
    found: dict = {}

    def take(node) -> bool:
        if not (isinstance(node, t.Compare) and node.op == "="):
            return False
        name = _direct_key(node, key_names)
        other = node.right if _key_attr(node.left, key_names) == name else node.left
        if name is None or not isinstance(other, t.Const) or name in found:
            return False
        found[name] = other.value
        return True

    rest = _strip(root, take) if root is not None else None
    if not all(name in found for name in key_names):
        return None
    return Extracted(found, rest)


def check_key_types(values: dict, typed) -> None:
    """Key values must be S, N or B, of the schema's type ([DDBL] texts). `typed`: the key
    schema's (name, type, is_hash) triples."""
    for name, type_name, _ in typed:
        value = values.get(name)
        if value is None:
            continue
        actual = value_type(value)
        if actual not in ("S", "N", "B"):
            raise errors.validation(m.KEY_NOT_SCALAR_TYPE.format(name, actual))
        if actual != type_name:
            raise errors.validation(m.KEY_TYPE_MISMATCH.format(name))
