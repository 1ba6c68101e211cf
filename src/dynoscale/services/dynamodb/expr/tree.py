"""The expression tree: small frozen dataclasses shared by every expression kind.

Two stages use the same node classes (Alternator's "one grammar, one tree"):
- parsed (parser.py, cached by text): document paths are `Path` nodes whose elements are plain
  names (str), `NameRef` placeholders (`#n`) or list indexes (int); values are `ValueRef` (`:v`);
- resolved (resolve.py, per request): paths become `Attr` with a tuple of str/int, values become
  `Const` holding the DynamoDB-JSON value. Evaluation and update work on resolved trees only.

One walker serves every pass that only looks at a tree (operator counts, the document paths a
request names, the conditions AND/OR/NOT join): `children`, `walk`, `terms`, `document_paths`
at the end of this module. Passes that build a new tree (resolution) or compute a value
(evaluation, updates) follow the grammar themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional, Union

# -- operands ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameRef:
    """`#name` inside a path, before resolution."""
    name: str


@dataclass(frozen=True)
class Path:
    elements: tuple  # of str | NameRef | int
    start: int = 0   # offset in the source text, for nothing but debugging


@dataclass(frozen=True)
class ValueRef:
    name: str  # ":v"


@dataclass(frozen=True)
class Attr:
    """A resolved document path: ("a", 2, "b") is a[2].b."""
    path: tuple


@dataclass(frozen=True)
class Const:
    value: dict


@dataclass(frozen=True)
class Call:
    """A function: attribute_exists, size, if_not_exists, list_append, ... (validated later)."""
    name: str
    args: tuple


@dataclass(frozen=True)
class Arith:
    """`x + y` / `x - y` in a SET action."""
    op: str
    left: "Operand"
    right: "Operand"


@dataclass(frozen=True)
class Paren:
    """Parentheses kept from parsing only to detect redundant ones; resolution drops them."""
    inner: object


Operand = Union[Path, ValueRef, Attr, Const, Call, Arith, Paren]

# -- conditions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compare:
    op: str  # = <> < <= > >=
    left: Operand
    right: Operand


@dataclass(frozen=True)
class Between:
    subject: Operand
    low: Operand
    high: Operand


@dataclass(frozen=True)
class In:
    subject: Operand
    options: tuple


@dataclass(frozen=True)
class And:
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Or:
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Not:
    operand: "Node"


Node = Union[Compare, Between, In, And, Or, Not, Call, Paren]

# -- roots -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionTree:
    """ConditionExpression, FilterExpression or KeyConditionExpression (`kind` names which)."""
    kind: str
    root: Node


@dataclass(frozen=True)
class Action:
    """One SET / REMOVE / ADD / DELETE action; `value` is None for REMOVE."""
    clause: str
    path: Union[Path, Attr]
    value: Optional[Operand]


@dataclass(frozen=True)
class UpdateTree:
    actions: tuple  # in the order they appear in the text
    duplicate_clause: Optional[str] = None  # the first clause named twice, reported after parsing
    kind: str = "UpdateExpression"


@dataclass(frozen=True)
class ProjectionTree:
    paths: tuple
    kind: str = "ProjectionExpression"


def path_text(path: tuple) -> str:
    """AWS's rendering of a resolved path in messages: `[a, [2], b]`."""
    return "[" + ", ".join(f"[{p}]" if isinstance(p, int) else p for p in path) + "]"


# -- the walker --------------------------------------------------------------------------------
_CHILDREN = {
    And: lambda n: (n.left, n.right),
    Or: lambda n: (n.left, n.right),
    Not: lambda n: (n.operand,),
    Compare: lambda n: (n.left, n.right),
    Between: lambda n: (n.subject, n.low, n.high),
    In: lambda n: (n.subject,) + n.options,
    Call: lambda n: n.args,
    Arith: lambda n: (n.left, n.right),
    Paren: lambda n: (n.inner,),
    ConditionTree: lambda n: (n.root,),
    UpdateTree: lambda n: n.actions,
    Action: lambda n: (n.path,) if n.value is None else (n.path, n.value),
    # a resolved projection holds bare path tuples: seen as Attr so every tree names paths alike
    ProjectionTree: lambda n: tuple(p if isinstance(p, Path) else Attr(p) for p in n.paths),
}


def children(node) -> tuple:
    """The nodes directly under `node`, in text order; paths and values are leaves."""
    get = _CHILDREN.get(type(node))
    return get(node) if get is not None else ()


def walk(node) -> list:
    """`node` and every node under it, depth first, in text order. A loop, not recursion: a 4 KB
    expression may nest deeper than Python's recursion limit."""
    out: list = []
    stack = [node]
    pop, push, append, get = stack.pop, stack.extend, out.append, _CHILDREN.get
    while stack:
        current = pop()
        append(current)
        kids = get(current.__class__)
        if kids is not None:
            push(kids(current)[::-1])
    return out


_LOGICAL = (And, Or, Not, Paren, ConditionTree)


def terms(node) -> list:
    """The conditions AND, OR and NOT join under `node` (`node` itself when it is none of them),
    in text order; parentheses are looked through."""
    out: list = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, _LOGICAL):
            stack.extend(children(current)[::-1])
        else:
            out.append(current)
    return out


def document_paths(node) -> Iterator[tuple]:
    """Every resolved document path under `node` (any tree, root or node), in text order: an
    update's targets and the paths its values read, a condition's operands, a projection."""
    for current in walk(node):
        if isinstance(current, Attr):
            yield current.path
