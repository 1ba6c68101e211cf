"""KeyConditionExpression: the shapes Query accepts, and the key range they select.

Two steps, as AWS orders them (dynalite test/query.js: shape errors come before the table lookup,
schema errors after it):
- `key_conditions(tree)` checks the shape alone (dynalite validations/index.js
  `convertKeyCondition`/`checkExpr`, messages recorded against AWS) and returns one condition per
  attribute;
- `key_condition_ranges(...)` matches them to a table's or index's key schema: "Query condition
  missed key schema element: <name>" and "Query key condition not supported" (moto
  key_condition_expression.py, users' AWS answers), plus the schema type check (dynalite
  test/query.js).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.evaluate import equal, order
from dynoscale.services.dynamodb.expr.functions import value_type

_OPS = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
_FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_NOT_KEY_OPERATORS = ("attribute_exists", "attribute_not_exists", "attribute_type", "contains")
_PREFIX = "Invalid condition in KeyConditionExpression: "


@dataclass(frozen=True)
class KeyCondition:
    """`name op values`: op is EQ, LT, LE, GT, GE, BETWEEN or BEGINS_WITH."""
    name: str
    op: str
    values: tuple

    def matches(self, value: Optional[dict]) -> bool:
        if value is None:
            return False
        if self.op == "BEGINS_WITH":
            prefix = self.values[0]
            kind = value_type(value)
            return kind == value_type(prefix) and value[kind].startswith(prefix[kind])
        if self.op == "BETWEEN":
            low, high = (order(value, bound) for bound in self.values)
            return low is not None and high is not None and low >= 0 and high <= 0
        c = order(value, self.values[0])
        return c is not None and {"EQ": c == 0, "LT": c < 0, "LE": c <= 0, "GT": c > 0,
                                  "GE": c >= 0}[self.op]

    def bounds(self) -> tuple:
        """(low, low_inclusive, high, high_inclusive) for a range scan; None = unbounded.
        BEGINS_WITH gives only its low end: scan on while matches() holds."""
        first = self.values[0]
        if self.op == "BETWEEN":
            return first, True, self.values[1], True
        return {"EQ": (first, True, first, True), "LT": (None, False, first, False),
                "LE": (None, False, first, True), "GT": (first, False, None, False),
                "GE": (first, True, None, False), "BEGINS_WITH": (first, True, None, False)}[self.op]


@dataclass(frozen=True)
class KeyRange:
    """What a Query reads: one partition, optionally narrowed by sort-key conditions. On a
    multi-attribute key, `partition` holds every partition attribute's value and `prefix` the
    equality conditions on the leading sort attributes before `sort`, the condition on the last
    sort attribute the query names."""
    partition_name: str
    partition_value: dict
    sort: Optional[KeyCondition]
    partition: tuple = ()   # ((name, value), ...) of every partition attribute
    prefix: tuple = ()      # KeyConditions (EQ) on the sort attributes before `sort`

    def matches(self, item: dict) -> bool:
        partition = self.partition or ((self.partition_name, self.partition_value),)
        if not all(equal(item.get(name), value) for name, value in partition):
            return False
        return self.sort_matches(item)

    def sort_matches(self, item: dict) -> bool:
        if not all(c.matches(item.get(c.name)) for c in self.prefix):
            return False
        return self.sort is None or self.sort.matches(item.get(self.sort.name))


# A key condition names at most every attribute of a key schema: four HASH and four RANGE
# attributes in a GSI (botocore CreateGlobalSecondaryIndexAction KeySchema docs). Inferred: AWS's
# request-shape check (dynalite's "1 or 2", recorded before GSIs had multi-attribute keys) now
# admits as many conditions as a key schema can hold, since it runs before the table is known.
MAX_CONDITIONS = 8


def key_conditions(condition: t.ConditionTree) -> tuple:
    """The KeyConditions (one per attribute, in text order) of a resolved key condition."""
    found: dict[str, KeyCondition] = {}
    message = _check(condition.root, found)
    if message:
        raise errors.validation(message)
    if len(found) > MAX_CONDITIONS:
        raise errors.validation("Conditions can be of length 1 or 2 only")
    return tuple(found.values())


def _check(node, found: dict) -> Optional[str]:
    """dynalite checkExpr, node by node, first error wins."""
    if isinstance(node, t.Or):
        return "Invalid operator used in KeyConditionExpression: OR"
    if isinstance(node, t.Not):
        return "Invalid operator used in KeyConditionExpression: NOT"
    if isinstance(node, t.In):
        return "Invalid operator used in KeyConditionExpression: IN"
    if isinstance(node, t.Compare) and node.op == "<>":
        return "Invalid operator used in KeyConditionExpression: <>"
    if isinstance(node, t.Call):
        if node.name in _NOT_KEY_OPERATORS:
            return f"Invalid operator used in KeyConditionExpression: {node.name}"
        if node.name == "size":
            return "KeyConditionExpressions cannot contain nested operations"
    if isinstance(node, t.Between) and not isinstance(node.subject, t.Attr):
        return _PREFIX + "BETWEEN operator must have the key attribute as its first operand"
    if isinstance(node, t.Call) and not isinstance(node.args[0], t.Attr):
        return _PREFIX + "begins_with operator must have the key attribute as its first operand"
    args = t.children(node)
    name, position = None, 0
    for i, arg in enumerate(args):
        if isinstance(arg, t.Attr):
            if name is not None:
                return _PREFIX + "Multiple attribute names used in one condition"
            if len(arg.path) > 1:
                return "KeyConditionExpressions cannot have conditions on nested attributes"
            name, position = arg.path[0], i
        elif not isinstance(arg, t.Const):
            message = _check(arg, found)
            if message:
                return message
    if isinstance(node, t.And):
        return None
    if name is None:
        return _PREFIX + "No key attribute specified"
    if name in found:
        return "KeyConditionExpressions must only contain one condition per key"
    found[name] = _condition(node, name, position, args)
    return None


def _condition(node, name: str, position: int, args: tuple) -> KeyCondition:
    others = tuple(a.value for i, a in enumerate(args) if i != position)
    if isinstance(node, t.Between):
        return KeyCondition(name, "BETWEEN", others)
    if isinstance(node, t.Call):
        return KeyCondition(name, "BEGINS_WITH", others)
    op = node.op if position == 0 else _FLIPPED[node.op]
    return KeyCondition(name, _OPS[op], others)


def key_condition_ranges(conditions: tuple, hash_key: str, range_key: Optional[str] = None,
                         key_types: Optional[dict] = None) -> KeyRange:
    """Match key conditions to a key schema. `key_types` maps key names to S/N/B (from
    AttributeDefinitions) for the schema type check; None skips it."""
    by_name = {c.name: c for c in conditions}
    partition = by_name.get(hash_key)
    if partition is None:
        raise errors.validation(f"Query condition missed key schema element: {hash_key}")
    if partition.op != "EQ":
        raise errors.validation("Query key condition not supported")
    extra = [c for c in conditions if c.name not in (hash_key, range_key)]
    if extra:
        # a third condition (possible since multi-attribute GSI keys raised the shape limit) on a
        # schema whose sort key is already named: inferred, as for a hash-only schema
        if range_key and range_key not in by_name:
            raise errors.validation(f"Query condition missed key schema element: {range_key}")
        raise errors.validation("Query key condition not supported")
    sort = by_name.get(range_key) if range_key else None
    for condition in filter(None, (partition, sort)):
        wanted = (key_types or {}).get(condition.name)
        if wanted and any(value_type(v) != wanted for v in condition.values):
            raise errors.invalid("Condition parameter type does not match schema type")
    return KeyRange(hash_key, partition.values[0], sort)


def multi_key_ranges(conditions: tuple, hash_keys: tuple, range_keys: tuple,
                     key_types: Optional[dict] = None) -> KeyRange:
    """Match key conditions to a multi-attribute GSI key schema (DG "Using Global Secondary
    Indexes", Multi-attribute key schema: equality on every partition attribute; sort attributes
    left to right, without gaps, an inequality, BETWEEN or begins_with only on the last one the
    query names). Texts: "Query condition missed key schema element" for the first partition
    attribute without a condition and "Query key condition not supported" for a partition
    attribute that is not compared with `=` (as on single-attribute keys); a condition on an
    attribute outside the key schema and the sort-attribute rule as DynamoDB Local 3.3.1 words them
    (floci-io/floci PR #2471, DynamoDbAccessPathValidator, matched against it): "Query key
    condition not supported", "RANGE key attributes <earlier> must have equality conditions
    specified in the query because a condition is present on key attribute <later>"."""
    by_name = {c.name: c for c in conditions}
    for name in hash_keys:
        if name not in by_name:
            raise errors.validation(f"Query condition missed key schema element: {name}")
    if any(by_name[name].op != "EQ" for name in hash_keys):
        raise errors.validation("Query key condition not supported")
    if any(c.name not in hash_keys and c.name not in range_keys for c in conditions):
        raise errors.validation("Query key condition not supported")
    named = [i for i, name in enumerate(range_keys) if name in by_name]
    for later in named:
        for earlier in range(later):   # every sort attribute before one the query names
            condition = by_name.get(range_keys[earlier])
            if condition is None or condition.op != "EQ":
                raise errors.validation(
                    f"RANGE key attributes {range_keys[earlier]} must have equality conditions "
                    "specified in the query because a condition is present on key attribute "
                    f"{range_keys[later]}")
    for condition in conditions:
        wanted = (key_types or {}).get(condition.name)
        if wanted and any(value_type(v) != wanted for v in condition.values):
            raise errors.invalid("Condition parameter type does not match schema type")
    sort_conditions = [by_name[range_keys[i]] for i in named]
    partition = tuple((name, by_name[name].values[0]) for name in hash_keys)
    return KeyRange(hash_keys[0], partition[0][1], sort_conditions[-1] if sort_conditions else None,
                    partition, tuple(sort_conditions[:-1]))
