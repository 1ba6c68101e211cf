"""PartiQL expressions -> the item API's resolved expression trees (expr/tree.py).

DynamoDB runs PartiQL on the engine of its expressions: AWS's translator turns a WHERE clause into
the ConditionExpression tree and SET/REMOVE into the UpdateExpression tree, with the same
validator (DynamoDB Local ships it: `ddb.partiql.shared.parser.ExpressionParser`). So do we:
WHERE -> t.Compare / t.Between / t.In / t.And / t.Or / t.Not / t.Call nodes over t.Attr paths and
t.Const values, evaluated by expr.evaluate; SET/REMOVE -> t.Action nodes applied by expr.update.

Mappings (ExpressionParser.handleISOperator, handleINOperator; developer guide "PartiQL
functions"): `x IS [NOT] MISSING` -> [NOT] attribute_not_exists(x); `x IS NULL` -> x = NULL;
`x IS BOOLEAN|NUMERIC|STRING|BLOB|STRUCT|TUPLE|LIST` -> attribute_type(x, 'BOOL'|'N'|...);
`x IN [a, b]` -> x IN (a, b); `NOT IN`, `NOT BETWEEN` -> NOT (...); `!=` -> `<>`;
`SET a = set_add(a, <<..>>)` -> ADD a; `set_delete` -> DELETE a; other SET values as in
UpdateExpression (`+`, `-`, list_append, if_not_exists). Function operands are checked by the
item API's own rules (expr/functions.py) and reported bare, without the `Invalid
ConditionExpression: ` prefix, as AWS reports them for PartiQL (dynamodb-conformance
partiqlFunctions.test.ts: `Operator or function requires a document path; operator or function:
attribute_exists`). Ordering comparisons (`<`, `<=`, `>`, `>=`, BETWEEN) refuse a value of a type
with no order (comparison.test.ts, pinned against AWS).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb import values as av
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.functions import (CONDITION_FUNCTIONS, UPDATE_FUNCTIONS,
                                                        check_condition_call, check_update_call,
                                                        value_type)
from dynoscale.services.dynamodb.partiql import ast
from dynoscale.services.dynamodb.partiql import messages as m
from dynoscale.services.dynamodb.partiql.values import is_literal, value_of

COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")
ORDERED = ("<", "<=", ">", ">=")
UNORDERED_TYPES = ("BOOL", "NULL", "L", "M", "SS", "NS", "BS")
IS_TYPES = {"BOOLEAN": "BOOL", "BOOL": "BOOL", "NUMERIC": "N", "STRING": "S", "BLOB": "B",
            "STRUCT": "M", "TUPLE": "M", "LIST": "L"}
_MISUSED = "The function is not allowed to be used this way in an expression; function: "


class _First:
    """Collects the first message the item API's function checks report (Errors-like)."""

    def __init__(self):
        self.message: Optional[str] = None

    def add(self, category: str, message: str) -> None:
        if self.message is None:
            self.message = message

    def raise_any(self) -> None:
        if self.message is not None:
            raise errors.validation(self.message)


# -- paths ---------------------------------------------------------------------------------------
def path_of(node) -> Optional[tuple]:
    """The document path a Name or PathExpr denotes, or None for any other node."""
    if isinstance(node, ast.Name):
        return (node.name,)
    if not isinstance(node, ast.PathExpr) or not isinstance(node.root, ast.Name):
        return None
    out: list = [node.root.name]
    for kind, value in node.steps:
        if kind in ("dot", "key"):
            out.append(value)
        elif kind == "index":
            if not value.isdigit():
                raise errors.validation(f"List index is not within the allowable range; index: "
                                        f"[{value}]")  # [DDBL] LIST_INDEX_OUTSIDE_RANGE
            out.append(int(value))
        elif kind == "wildcard":
            raise errors.validation("Wildcard path component like a[*].b are not supported"
                                    if value == "[*]" else
                                    "Unpivot path component like a.*.b are not supported")  # [DDBL]
        else:
            raise m.validation(m.UNSUPPORTED_TOKEN.format(type(value).__name__), node.token.where)
    return tuple(out)


def collapsed_name(path: tuple) -> str:
    """The name a projected path comes back under: its last map step, then its list indexes
    (`a.b[0]` -> `b[0]`; DynamoDB Local's ProjectionExpressionParser.collapseDocPath; conformance
    executeStatement.test.ts: `SELECT mymap.nested` returns `nested`)."""
    name = ""
    for step in path:
        name = name + f"[{step}]" if isinstance(step, int) else step
    return name


# -- conditions ----------------------------------------------------------------------------------
class Conditions:
    """Translates one statement's WHERE (and EXISTS) clauses with its bound parameters."""

    def __init__(self, params: list):
        self.params = params

    def condition(self, node) -> t.ConditionTree:
        return t.ConditionTree("FilterExpression", self.node(node))

    def node(self, node):
        if isinstance(node, ast.Binary):
            if node.op in ("and", "or"):
                left, right = self.node(node.left), self.node(node.right)
                return t.And(left, right) if node.op == "and" else t.Or(left, right)
            if node.op in COMPARATORS:
                left, right = self.operand(node.left), self.operand(node.right)
                if node.op in ORDERED:
                    _check_ordered(node.op, (left, right))
                return t.Compare(node.op, left, right)
            raise errors.validation(m.CONDITION_OPERATOR.format(node.op))
        if isinstance(node, ast.Unary) and node.op == "not":
            if not _is_boolean(node.operand):
                raise errors.validation(m.NOT_OPERAND)
            return t.Not(self.node(node.operand))
        if isinstance(node, ast.Between):
            parts = tuple(self.operand(x) for x in (node.subject, node.low, node.high))
            _check_ordered("BETWEEN", parts)
            between = t.Between(*parts)
            return t.Not(between) if node.negated else between
        if isinstance(node, ast.InExpr):
            if not isinstance(node.options, ast.ListExpr) or not node.options.items:
                raise errors.validation(m.IN_OPERAND)
            found = t.In(self.operand(node.subject),
                         tuple(self.operand(x) for x in node.options.items))
            return t.Not(found) if node.negated else found
        if isinstance(node, ast.IsExpr):
            return self.is_type(node)
        if isinstance(node, ast.Call):
            call = self.call(node)
            if call.name == "size":
                raise errors.validation(_MISUSED + "size")
            return call
        if isinstance(node, ast.Unary):
            raise errors.validation(m.CONDITION_OPERATOR.format(node.op))
        raise errors.validation(m.WHERE_NOT_BOOLEAN)

    def is_type(self, node: ast.IsExpr):
        subject = node.subject
        if not (isinstance(subject, (ast.Name, ast.PathExpr, ast.Literal, ast.Param))):
            raise errors.validation(m.IS_OPERAND)
        if node.type_name == "MISSING":
            operand = self.operand(subject)
            found = t.Call("attribute_not_exists", (operand,))
            _check_call(found)
        elif node.type_name == "NULL":
            found = t.Compare("=", self.operand(subject), t.Const({"NULL": True}))
        elif node.type_name in IS_TYPES:
            found = t.Call("attribute_type", (self.operand(subject),
                                              t.Const({"S": IS_TYPES[node.type_name]})))
        else:
            raise errors.validation(m.IS_TYPE.format(node.type_name))
        return t.Not(found) if node.negated else found

    def call(self, node: ast.Call) -> t.Call:
        name = node.name.lower()
        if name not in CONDITION_FUNCTIONS:
            raise m.validation(m.UNRECOGNIZED_FUNCTION.format(name), node.token.where)
        call = t.Call(name, tuple(self.operand(a) for a in node.args))
        _check_call(call)
        return call

    def operand(self, node):
        if is_literal(node):
            return t.Const(av.check_value(value_of(node, self.params)))
        path = path_of(node)
        if path is not None:
            return t.Attr(path)
        if isinstance(node, ast.Call):
            name = node.name.lower()
            if name == "size":
                return self.call(node)
            if name in CONDITION_FUNCTIONS:
                raise errors.validation(_MISUSED + name)
            raise m.validation(m.UNRECOGNIZED_FUNCTION.format(name), node.token.where)
        if isinstance(node, ast.Binary) and node.op not in ("and", "or") + COMPARATORS:
            raise errors.validation(m.CONDITION_OPERATOR.format(node.op))
        if isinstance(node, ast.PathExpr):
            raise m.validation(m.UNSUPPORTED_TOKEN.format(type(node.root).__name__),
                               node.token.where)
        raise errors.validation(m.AND_OR_OPERAND)


def _is_boolean(node) -> bool:
    if isinstance(node, ast.Binary):
        return node.op in ("and", "or") + COMPARATORS
    return isinstance(node, (ast.Between, ast.InExpr, ast.IsExpr, ast.Call)) or (
        isinstance(node, ast.Unary) and node.op == "not")


def _check_ordered(op: str, operands: tuple) -> None:
    for operand in operands:
        if isinstance(operand, t.Const):
            type_name = value_type(operand.value)
            if type_name in UNORDERED_TYPES:
                raise errors.validation(m.ORDERING_OPERAND.format(op, type_name))


def _check_call(call: t.Call) -> None:
    first = _First()
    check_condition_call(call, first)
    first.raise_any()


# -- updates -------------------------------------------------------------------------------------
class Updates:
    """Translates an UPDATE's SET/REMOVE actions into UpdateExpression actions."""

    def __init__(self, params: list):
        self.params = params

    def actions(self, actions: tuple) -> tuple:
        out = []
        for clause, target_node, value_node in actions:
            target = path_of(target_node)
            if target is None:
                raise errors.validation(f"Unrecognized assignment target: "
                                        f"{type(target_node).__name__}")  # [DDBL]
            if clause == "REMOVE":
                out.append(t.Action("REMOVE", t.Attr(target), None))
                continue
            if isinstance(value_node, ast.Call) and value_node.name.lower() in ("set_add",
                                                                                 "set_delete"):
                out.append(self.set_function(target, value_node))
                continue
            out.append(t.Action("SET", t.Attr(target), self.value(value_node)))
        return tuple(out)

    def set_function(self, target: tuple, call: ast.Call) -> t.Action:
        """`a = set_add(a, <<..>>)` -> ADD a; `set_delete` -> DELETE a ([CONF] setFunctions)."""
        verb = "ADD" if call.name.lower() == "set_add" else "DELETE"
        if len(call.args) != 2:
            raise m.validation(m.SET_ARGUMENTS.format(verb), call.token.where)
        if path_of(call.args[0]) != target:
            raise m.validation(m.SET_FIRST_ARGUMENT.format(verb), call.token.where)
        second = call.args[1]
        operand = t.Const(av.check_value(value_of(second, self.params))) if is_literal(second) \
            else None
        if operand is None or value_type(operand.value) not in ("SS", "NS", "BS"):
            raise m.validation(m.SET_SECOND_ARGUMENT.format(verb), _token(call.args[0]).where)
        return t.Action(verb, t.Attr(target), operand)

    def value(self, node):
        if is_literal(node):
            return t.Const(av.check_value(value_of(node, self.params)))
        path = path_of(node)
        if path is not None:
            return t.Attr(path)
        if isinstance(node, ast.Binary):
            if node.op not in ("+", "-"):
                raise errors.validation(m.UPDATE_OPERATOR.format(node.op))
            arith = t.Arith(node.op, self.value(node.left), self.value(node.right))
            _check_update(node.op, (arith.left, arith.right))
            return arith
        if isinstance(node, ast.Call):
            name = node.name.lower()
            if name not in UPDATE_FUNCTIONS:
                raise m.validation(m.UNRECOGNIZED_FUNCTION.format(name), node.token.where)
            call = t.Call(name, tuple(self.value(a) for a in node.args))
            _check_update(name, call.args)
            return call
        if isinstance(node, ast.IsExpr):
            raise errors.validation(m.IS_IN_UPDATE)
        raise errors.validation(m.UPDATE_OPERATOR.format(getattr(node, "op", type(node).__name__)))


def _check_update(name: str, args: tuple) -> None:
    first = _First()
    check_update_call(name, args, first)
    first.raise_any()


def _token(node):
    return getattr(node, "token")


# -- projections ---------------------------------------------------------------------------------
def projection(select: ast.Select) -> Optional[tuple]:
    """((path, output name), ...) of a SELECT list, or None for `*`."""
    if select.star:
        if select.projection:
            raise errors.validation(m.STAR_AND_OTHERS)
        return None
    out, seen = [], set()
    for node in select.projection:
        path = path_of(node)
        if path is None:
            raise m.validation(m.UNEXPECTED_PATH_COMPONENT, _token(node).where)
        name = collapsed_name(path)
        if name in seen:
            raise errors.validation(m.DUPLICATE_SELECT.format(name))
        seen.add(name)
        out.append((path, name))
    return tuple(out)
