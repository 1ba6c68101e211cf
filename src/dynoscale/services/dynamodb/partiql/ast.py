"""The statement tree the parser builds: frozen dataclasses holding no request data.

Parameters stay `Param(n)` placeholders, so one parsed tree serves every execution of the same
statement text (parser.StatementCache). Each node keeps the token it started at, for the
`at line:column:length` AWS appends to semantic errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from dynoscale.services.dynamodb.partiql.lexer import Token

# -- expressions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """A variable reference: an attribute name, bare (`a`) or quoted (`"a"`)."""
    name: str
    token: Token


@dataclass(frozen=True)
class PathExpr:
    """`root.step[0]...`: steps are ("dot", str), ("index", int), ("key", str) or
    ("wildcard", "*"|"[*]") (refused later)."""
    root: object
    steps: tuple
    token: Token


@dataclass(frozen=True)
class Literal:
    """kind: string, number, true, false, null, missing; `text` is the number as written."""
    kind: str
    text: str
    token: Token


@dataclass(frozen=True)
class Param:
    index: int  # 0-based position among the statement's `?`
    token: Token


@dataclass(frozen=True)
class ListExpr:
    items: tuple
    token: Token


@dataclass(frozen=True)
class StructExpr:
    pairs: tuple  # ((key node, value node), ...)
    token: Token


@dataclass(frozen=True)
class BagExpr:
    items: tuple
    token: Token


@dataclass(frozen=True)
class Unary:
    op: str  # "not", "-", "+"
    operand: object
    token: Token


@dataclass(frozen=True)
class Binary:
    op: str  # and or = <> < <= > >= + - * / % || like
    left: object
    right: object
    token: Token


@dataclass(frozen=True)
class Between:
    subject: object
    low: object
    high: object
    negated: bool
    token: Token


@dataclass(frozen=True)
class InExpr:
    subject: object
    options: object  # a ListExpr (or another node, refused later)
    negated: bool
    token: Token


@dataclass(frozen=True)
class IsExpr:
    subject: object
    type_name: str  # upper case: MISSING, NULL, BOOLEAN, INT4, DOUBLE PRECISION, ...
    negated: bool
    token: Token


@dataclass(frozen=True)
class Call:
    name: str  # as written
    args: tuple
    token: Token


# -- statements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What FROM / INTO / UPDATE names. `components` are (name, token) of a path of names;
    `expr` is set instead when the source is some other expression (refused later)."""
    components: tuple
    token: Token
    alias: Optional[Token] = None
    expr: object = None


@dataclass(frozen=True)
class OrderItem:
    expr: object
    descending: bool


@dataclass(frozen=True)
class Select:
    star: bool
    projection: tuple       # expression nodes (empty when star)
    aliases: tuple          # alias tokens found in the projection
    source: Source
    where: object
    order_by: tuple
    token: Token


@dataclass(frozen=True)
class Insert:
    source: Source
    value: object
    returning: Optional[str]
    multiple: bool          # VALUES (...) rather than VALUE
    token: Token


@dataclass(frozen=True)
class Update:
    """UPDATE ... SET/REMOVE ... WHERE, or FROM ... WHERE ... SET/REMOVE."""
    source: Source
    actions: tuple          # ("SET", target, value) | ("REMOVE", target, None)
    where: object
    returning: Optional[str]
    token: Token


@dataclass(frozen=True)
class Delete:
    source: Source
    where: object
    returning: Optional[str]
    token: Token


@dataclass(frozen=True)
class Exists:
    """EXISTS(SELECT ...): a condition check, in ExecuteTransaction only."""
    select: Select
    token: Token


@dataclass(frozen=True)
class ExprStatement:
    """A bare expression: parses, but DynamoDB runs none (`Unsupported operation: ...`)."""
    expr: object
    token: Token


@dataclass(frozen=True)
class Parsed:
    """A parsed statement and how many `?` it holds."""
    statement: object
    parameter_count: int
