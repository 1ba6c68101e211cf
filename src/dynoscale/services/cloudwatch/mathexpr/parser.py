"""Recursive-descent parser for metric math: expression text -> a small frozen tree.

Precedence, lowest first: OR/||, AND/&&, NOT/!, comparisons (== != <= >= < >), + -, * /,
unary minus, ^ (right-associative), then primaries: numbers, strings, query Ids, bare keywords
(REPEAT, LINEAR, ASC, DESC and the SORT functions AVG/MIN/MAX/SUM), FUNCTION(args), ( expr ) and
arrays [a, b, ...]. Facts: CloudWatch User Guide, "Using math expressions with CloudWatch
metrics" (syntax tables, `SUM([m1,m2])`, `FILL(m1, REPEAT)`, `SORT(METRICS(), AVG, DESC, 10)`).
A Metrics Insights query (text starting with SELECT) is kept whole as an `Sql` node.

Syntax errors name the offending token and its 0-based position, in the form AWS uses for
composite alarm rules ("Error in AlarmRule [Unsupported token ')' at char 1]", observed in
aws/aws-cdk#34662 and #13953); the same form for math expressions is [inferred].
`MathParser` caches trees by expression text (one per service).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Optional, Union

from dynoscale.services.cloudwatch.mathexpr.errors import MathError
from dynoscale.services.cloudwatch.mathexpr.functions import FUNCTIONS, UNSUPPORTED
from dynoscale.services.cloudwatch.mathexpr.lexer import Token, tokenize

KEYWORDS = frozenset({"REPEAT", "LINEAR", "ASC", "DESC", "AVG", "MIN", "MAX", "SUM"})
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Ref:
    name: str
    pos: int


@dataclass(frozen=True)
class Word:
    name: str
    pos: int


@dataclass(frozen=True)
class Unary:
    op: str
    operand: "Node"
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: "Node"
    right: "Node"
    pos: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    pos: int


@dataclass(frozen=True)
class Array:
    items: tuple
    pos: int


@dataclass(frozen=True)
class Sql:
    text: str


Node = Union[Num, Str, Ref, Word, Unary, Binary, Call, Array, Sql]


@dataclass(frozen=True)
class Parsed:
    root: Node
    refs: tuple          # every Ref in the tree, in text order
    uses_metrics: bool   # METRICS() appears: depends on every MetricStat query
    unsupported: bool    # SEARCH, anomaly bands, Insights rules, SQL...: never evaluated


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0
        self.refs: list[Ref] = []
        self.uses_metrics = False
        self.unsupported = False

    # -- token helpers -------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "name") and self.tok.text in texts

    def take(self) -> Token:
        tok = self.tok
        self.i += 1
        return tok

    def expect(self, text: str) -> Token:
        if not self.at(text):
            raise self.unexpected(text)
        return self.take()

    def unexpected(self, expected: Optional[str] = None) -> MathError:
        tok = self.tok
        if tok.kind == "end":
            return MathError(f"Unexpected end of expression at char {tok.pos}")  # [inferred]
        tail = f", must be: '{expected}'" if expected else ""
        return MathError(f"Unsupported token '{tok.text}' at char {tok.pos}{tail}")

    # -- grammar -------------------------------------------------------------------------------
    def parse(self) -> Node:
        node = self.or_expr()
        if self.tok.kind != "end":
            raise self.unexpected()
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.at("OR", "||"):
            pos = self.take().pos
            node = Binary("OR", node, self.and_expr(), pos)
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.at("AND", "&&"):
            pos = self.take().pos
            node = Binary("AND", node, self.not_expr(), pos)
        return node

    def not_expr(self) -> Node:
        if self.at("NOT", "!"):
            pos = self.take().pos
            return Unary("NOT", self.not_expr(), pos)
        return self.cmp_expr()

    def cmp_expr(self) -> Node:
        node = self.add_expr()
        while self.tok.kind == "op" and self.tok.text in COMPARISONS:
            tok = self.take()
            node = Binary(tok.text, node, self.add_expr(), tok.pos)
        return node

    def add_expr(self) -> Node:
        node = self.mul_expr()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            tok = self.take()
            node = Binary(tok.text, node, self.mul_expr(), tok.pos)
        return node

    def mul_expr(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            tok = self.take()
            node = Binary(tok.text, node, self.unary(), tok.pos)
        return node

    def unary(self) -> Node:
        if self.tok.kind == "op" and self.tok.text == "-":
            pos = self.take().pos
            operand = self.unary()
            if isinstance(operand, Num):
                return Num(-operand.value)
            return Unary("-", operand, pos)
        return self.power()

    def power(self) -> Node:
        node = self.primary()
        if self.tok.kind == "op" and self.tok.text == "^":
            pos = self.take().pos
            node = Binary("^", node, self.unary(), pos)
        return node

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "number":
            self.take()
            return Num(float(tok.text))
        if tok.kind == "string":
            self.take()
            return Str(tok.value)
        if tok.kind == "name":
            return self.name()
        if self.at("("):
            self.take()
            node = self.or_expr()
            self.expect(")")
            return node
        if self.at("["):
            pos = self.take().pos
            items = [self.or_expr()]
            while self.at(","):
                self.take()
                items.append(self.or_expr())
            self.expect("]")
            return Array(tuple(items), pos)
        raise self.unexpected()

    def name(self) -> Node:
        tok = self.take()
        first = tok.text[0]
        if first.islower():
            ref = Ref(tok.text, tok.pos)
            self.refs.append(ref)
            return ref
        if not first.isupper():
            raise MathError(f"Unsupported token '{tok.text}' at char {tok.pos}")
        if self.at("("):
            if tok.text not in FUNCTIONS:  # [inferred] text
                raise MathError(f"Unknown function '{tok.text}' at char {tok.pos}")
            return self.call(tok)
        if tok.text in KEYWORDS:
            return Word(tok.text, tok.pos)
        if tok.text in FUNCTIONS:
            raise self.unexpected("(")
        raise MathError(f"Unknown function '{tok.text}' at char {tok.pos}")  # [inferred] text

    def call(self, tok: Token) -> Call:
        self.expect("(")
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.or_expr())
            while self.at(","):
                self.take()
                args.append(self.or_expr())
        self.expect(")")
        if tok.text == "METRICS":
            self.uses_metrics = True
        if tok.text in UNSUPPORTED:
            self.unsupported = True
        return Call(tok.text, tuple(args), tok.pos)


def parse(text: str) -> Parsed:
    """Parse one expression; MathError on a syntax error or an unknown function."""
    if text.lstrip()[:6].upper() == "SELECT":
        return Parsed(Sql(text), (), False, True)
    p = _Parser(text)
    root = p.parse()
    return Parsed(root, tuple(p.refs), p.uses_metrics, p.unsupported)


class MathParser:
    """Parsed trees (and syntax errors) cached by expression text, least recently used out."""

    def __init__(self, maxsize: int = 2048):
        self.maxsize = maxsize
        self._cache: OrderedDict[str, Union[Parsed, MathError]] = OrderedDict()

    def parse(self, text: str) -> Parsed:
        found = self._cache.get(text)
        if found is None:
            try:
                found = parse(text)
            except MathError as exc:
                found = exc
            self._cache[text] = found
            if len(self._cache) > self.maxsize:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(text)
        if isinstance(found, MathError):
            raise MathError(found.detail)
        return found
