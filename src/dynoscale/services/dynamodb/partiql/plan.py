"""A parsed statement with its parameters bound: everything that depends on the statement alone.

AWS answers these before it looks a table up (dynamodb-conformance partiqlGrammar and
partiqlParameterNumbers: malformed literals, parameter counts, aliases and FROM paths fail even
for tables that do not exist), so `prepare` runs before any table is read:
- the number of `?` must equal the number of Parameters;
- FROM / INTO / UPDATE name a table, optionally `"table"."index"` (at most two non-empty
  components; writes name a table only);
- aliases, RETURNING where the statement takes none, and bare expressions are refused;
- WHERE, SET/REMOVE, VALUE and the SELECT list are translated (translate.py, values.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb import values as av
from dynoscale.services.dynamodb.partiql import ast
from dynoscale.services.dynamodb.partiql import messages as m
from dynoscale.services.dynamodb.partiql.translate import Conditions, Updates, projection
from dynoscale.services.dynamodb.partiql.values import struct_of, value_of

RETURN_VALUES = {"ALL OLD *": "ALL_OLD", "MODIFIED OLD *": "UPDATED_OLD",
                 "ALL NEW *": "ALL_NEW", "MODIFIED NEW *": "UPDATED_NEW"}
_OPERATION_NAMES = {ast.IsExpr: "IsType", ast.Call: "Call", ast.Binary: "NAry",
                    ast.Unary: "NAry", ast.Between: "NAry", ast.InExpr: "NAry",
                    ast.Literal: "Literal", ast.Name: "VariableReference",
                    ast.PathExpr: "Path", ast.ListExpr: "Seq", ast.BagExpr: "Seq",
                    ast.StructExpr: "Struct", ast.Param: "Parameter"}


@dataclass(frozen=True)
class Read:
    """A SELECT: `paths` is None for `*`."""
    table: str
    index: Optional[str]
    paths: Optional[tuple]   # ((path, output name), ...)
    where: Optional[object]  # resolved condition node
    order_by: tuple          # ((path or None, descending, node), ...)


@dataclass(frozen=True)
class Write:
    """INSERT (item), UPDATE (actions), DELETE, or EXISTS (a transaction's condition check)."""
    kind: str                # "insert" | "update" | "delete" | "exists"
    table: str
    item: Optional[dict]
    where: Optional[object]
    actions: tuple
    return_values: str       # the item API's ReturnValues
    returning: Optional[str]  # as written, for the messages that quote it


def prepare(parsed: ast.Parsed, params: list):
    """Read or Write for a parsed statement and its (validated) parameters."""
    if parsed.parameter_count != len(params):
        raise errors.validation(m.PARAMETER_COUNT)
    node = parsed.statement
    if isinstance(node, ast.Select):
        return _select(node, params)
    if isinstance(node, ast.Insert):
        return _insert(node, params)
    if isinstance(node, ast.Update):
        return _update(node, params)
    if isinstance(node, ast.Delete):
        return _delete(node, params)
    if isinstance(node, ast.Exists):
        read = _select(node.select, params)
        if read.index is not None:
            raise errors.validation(m.TRANSACTION_INDEX_WRITE)
        return Write("exists", read.table, None, read.where, (), "NONE", None)
    name = _OPERATION_NAMES.get(type(node.expr), type(node.expr).__name__)
    raise errors.validation(m.UNSUPPORTED_OPERATION.format(name))


def _source(source: ast.Source, *, index_allowed: bool) -> tuple[str, Optional[str]]:
    if source.expr is not None:
        raise errors.validation("Unexpected from source")  # [DDBL] UNEXPECTED_FROM_SOURCE
    if source.alias is not None:
        raise errors.validation(m.ALIASING)
    names = [name for name, _ in source.components]
    if len(names) > 2:
        raise errors.validation(m.TOO_MANY_FROM_COMPONENTS)
    if any(name == "" for name in names):
        raise errors.validation(m.EMPTY_PATH_COMPONENT)
    if len(names) == 2 and not index_allowed:
        raise errors.validation(m.NOT_ON_INDEX)
    return names[0], names[1] if len(names) == 2 else None


def _select(node: ast.Select, params: list) -> Read:
    table, index = _source(node.source, index_allowed=True)
    if node.aliases:
        raise errors.validation(m.ALIASING)
    paths = projection(node)
    where = Conditions(params).node(node.where) if node.where is not None else None
    order_by = []
    for item in node.order_by:
        expr = item.expr
        path = (expr.name,) if isinstance(expr, ast.Name) else None
        order_by.append((path, item.descending, expr))
    return Read(table, index, paths, where, tuple(order_by))


def _insert(node: ast.Insert, params: list) -> Write:
    if len(node.source.components) > 1:
        raise errors.validation(m.DML_SINGLE_TABLE)
    table, _ = _source(node.source, index_allowed=False)
    if node.multiple:
        raise errors.validation("Unsupported operation: Inserting multiple items in a single "
                                'statement is not supported, use "INSERT INTO tableName VALUE '
                                'item" instead')  # [DDBL] INSERT_OP_NOT_SUPPORTED
    if node.returning is not None:
        raise errors.validation(m.RETURNING_ON_INSERT)
    value = node.value
    if isinstance(value, ast.StructExpr):
        item = struct_of(value, params, top_level=True)
    elif isinstance(value, ast.Param):
        item = value_of(value, params)
        if "M" not in item:
            raise errors.validation(m.ITEM_NOT_STRUCT)
        item = item["M"]
    else:
        raise errors.validation(m.ITEM_NOT_STRUCT)
    item = av.check_item(item)
    return Write("insert", table, item, None, (), "NONE", None)


def _update(node: ast.Update, params: list) -> Write:
    table, _ = _source(node.source, index_allowed=False)
    actions = Updates(params).actions(node.actions)
    where = Conditions(params).node(node.where) if node.where is not None else None
    return_values = RETURN_VALUES[node.returning] if node.returning else "NONE"
    return Write("update", table, None, where, actions, return_values, node.returning)


def _delete(node: ast.Delete, params: list) -> Write:
    table, _ = _source(node.source, index_allowed=False)
    if node.returning is not None and node.returning != "ALL OLD *":
        raise errors.validation(m.RETURNING_ON_DELETE.format(node.returning))
    where = Conditions(params).node(node.where) if node.where is not None else None
    return_values = "ALL_OLD" if node.returning else "NONE"
    return Write("delete", table, None, where, (), return_values, node.returning)
