"""Recursive-descent parser: expression text -> tree (tree.py), raising AWS's syntax errors.

Grammar (dynalite db/conditionParser.pegjs, updateParser.pegjs, projectionParser.pegjs, whose
shapes were checked against live DynamoDB; DynamoDB developer guide "Condition and filter
expressions" and "Update expressions"):

    condition  := or EOF
    or         := and (OR and)*                    precedence NOT > AND > OR
    and        := not (AND not)*
    not        := NOT not | primary
    primary    := '(' or ')' | comparison
    comparison := operand (comparator operand | BETWEEN operand AND operand
                  | IN '(' operand (',' operand)* ')')?   (bare operand only if a function call)
    operand    := '(' operand ')' | function | :value | path
    update     := (SET set (',' set)* | REMOVE path (',' path)* | ADD path :value (',' ...)*
                  | DELETE path :value (',' ...)*)+
    set        := path '=' ('(' sum ')' | sum);  sum := term (('+' | '-') term)?
    term       := '(' uterm ')' | uterm;  uterm := function | :value | path
    projection := path (',' path)* EOF
    path       := name ('.' name | '[' digits ']')*;  name := identifier | #placeholder

On failure the parser reports the furthest token it could not get past (PEG practice), worded as
tokens.syntax_error_detail says. Everything that is not syntax (unknown functions, reserved
words, placeholders, operand types, duplicate clauses) is checked later, in resolve.py, in AWS's
order. Expressions longer than 4 KB are refused first, with the text a user recorded from AWS
("Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression
size: 5872"; limit from the developer guide "Constraints: expression parameters").
"""

from __future__ import annotations

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.tokens import (EOF, NAME, NAMEREF, NUMBER, OP, VALUEREF,
                                                     Token, syntax_error_detail, tokenize)

MAX_EXPRESSION_BYTES = 4096
# Parentheses opened deeper than this can never be closed within MAX_EXPRESSION_BYTES, so the text
# is a syntax error wherever it fails; the parser stops there (at EOF, where the exhaustive
# search would end up for the texts that reach it: inferred) instead of recursing on.
MAX_NESTING = MAX_EXPRESSION_BYTES // 2
# A document path of more elements than this is refused once the text parses: "The document path
# has too many nesting levels; nesting levels: 33" (scylladb test_projection_expression.py::
# test_projection_expression_path_nesting_levels, run against AWS; the developer guide's "Quotas"
# page: nested attribute depth 32). Checked in every expression kind, as Alternator's one path
# grammar does (inferred for the kinds other than ProjectionExpression); reported after syntax
# errors and before the semantic ones (inferred).
MAX_PATH_DEPTH = 32
COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")
CONDITION_WORDS = frozenset({"AND", "OR", "NOT", "BETWEEN", "IN"})
UPDATE_CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")


class _Fail(Exception):
    """Internal: this alternative does not match here."""


_FAILED = object()  # an operand memo entry: no operand starts at this position


def invalid(kind: str, detail: str):
    return errors.validation(f"Invalid {kind}: {detail}")


class _Parser:
    def __init__(self, text: str, kind: str, keywords: frozenset):
        self.text, self.kind, self.keywords = text, kind, keywords
        self.tokens: list[Token] = tokenize(text)
        self.pos = 0
        self.furthest = 0
        self.depth = 0
        self.too_deep = 0  # elements of the first path longer than MAX_PATH_DEPTH, 0 if none
        # operand results by start position: a condition that fails as a group is retried as a
        # comparison over the same tokens, which without this re-parses every inner operand
        # (quadratic in the nesting: seconds for a 4 KB run of parentheses)
        self.operands: dict = {}

    # -- token plumbing ------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != EOF:
            self.pos += 1
        return token

    def fail(self):
        self.furthest = max(self.furthest, self.pos)
        raise _Fail

    def expect_op(self, op: str) -> Token:
        if not self.peek().is_op(op):
            self.fail()
        return self.take()

    def expect_end(self) -> None:
        if self.peek().kind != EOF:
            self.fail()

    def run(self, rule):
        try:
            parsed = rule()
        except _Fail:
            raise invalid(self.kind, syntax_error_detail(self.text, self.tokens, self.furthest))
        if self.too_deep:
            raise invalid(self.kind, "The document path has too many nesting levels; "
                                     f"nesting levels: {self.too_deep}")
        return parsed

    def attempt(self, rule):
        """Run `rule`; on failure rewind and return None (PEG ordered choice)."""
        saved = self.pos
        try:
            return rule()
        except _Fail:
            self.pos = saved
            return None

    # -- paths and operands --------------------------------------------------------------------
    def path(self) -> t.Path:
        start = self.peek().start
        elements = [self.path_name()]
        while True:
            if self.peek().is_op("."):
                self.take()
                elements.append(self.path_name())
            elif self.peek().is_op("["):
                self.take()
                if self.peek().kind != NUMBER:
                    self.fail()
                elements.append(int(self.take().text))
                self.expect_op("]")
            else:
                if len(elements) > MAX_PATH_DEPTH and not self.too_deep:
                    self.too_deep = len(elements)
                return t.Path(tuple(elements), start)

    def path_name(self):
        token = self.peek()
        if token.kind == NAME and token.text.upper() not in self.keywords:
            return self.take().text
        if token.kind == NAMEREF:
            return t.NameRef(self.take().text)
        self.fail()

    def call(self, argument) -> t.Call:
        name = self.take().text
        self.expect_op("(")
        args = [argument()]
        while self.peek().is_op(","):
            self.take()
            args.append(argument())
        self.expect_op(")")
        return t.Call(name, tuple(args))

    def nested(self, rule):
        """`rule` one parenthesis deeper, refused past MAX_NESTING."""
        if self.depth >= MAX_NESTING:
            self.furthest = len(self.tokens) - 1
            raise _Fail
        self.depth += 1
        try:
            return rule()
        finally:
            self.depth -= 1

    def operand(self):
        """Condition operand: any depth of parentheses (redundant ones are flagged later);
        memoised by position (operands read the same wherever they are parsed from)."""
        start = self.pos
        known = self.operands.get(start)
        if known is _FAILED:
            raise _Fail
        if known is not None:
            self.pos = known[1]
            return known[0]
        try:
            node = self._operand()
        except _Fail:
            self.operands[start] = _FAILED
            raise
        self.operands[start] = (node, self.pos)
        return node

    def _operand(self):
        if self.peek().is_op("("):
            self.take()
            inner = self.nested(self.operand)
            self.expect_op(")")
            return t.Paren(inner)
        return self.plain_operand(self.operand)

    def plain_operand(self, argument):
        token = self.peek()
        if token.kind == VALUEREF:
            return t.ValueRef(self.take().text)
        if token.kind == NAME and self.peek(1).is_op("("):
            return self.call(argument)
        if token.kind in (NAME, NAMEREF):
            return self.path()
        self.fail()

    # -- conditions ----------------------------------------------------------------------------
    def condition(self):
        node = self.or_expr()
        self.expect_end()
        return node

    def or_expr(self):
        node = self.and_expr()
        while self.peek().is_word("OR"):
            self.take()
            node = t.Or(node, self.and_expr())
        return node

    def and_expr(self):
        node = self.not_expr()
        while self.peek().is_word("AND"):
            self.take()
            node = t.And(node, self.not_expr())
        return node

    def not_expr(self):
        if self.peek().is_word("NOT"):
            self.take()
            return t.Not(self.not_expr())
        return self.primary()

    def primary(self):
        if self.peek().is_op("("):
            group = self.attempt(self.grouped_condition)
            if group is not None:
                return group
        return self.comparison()

    def grouped_condition(self):
        self.take()
        inner = self.nested(self.or_expr)
        self.expect_op(")")
        return t.Paren(inner)

    def comparison(self):
        left = self.operand()
        token = self.peek()
        if token.kind == OP and token.text in COMPARATORS:
            self.take()
            return t.Compare(token.text, left, self.operand())
        if token.is_word("BETWEEN"):
            self.take()
            low = self.operand()
            if not self.peek().is_word("AND"):
                self.fail()
            self.take()
            return t.Between(left, low, self.operand())
        if token.is_word("IN"):
            self.take()
            self.expect_op("(")
            options = [self.operand()]
            while self.peek().is_op(","):
                self.take()
                options.append(self.operand())
            self.expect_op(")")
            return t.In(left, tuple(options))
        if isinstance(left, t.Call):
            return left  # a function used as a condition; misuse (size) is flagged later
        self.fail()

    # -- updates -------------------------------------------------------------------------------
    def update(self) -> t.UpdateTree:
        actions, seen, duplicate = [], set(), None
        while True:
            token = self.peek()
            clause = token.text.upper() if token.kind == NAME else None
            if clause not in UPDATE_CLAUSES:
                self.fail()
            self.take()
            if clause in seen and duplicate is None:
                duplicate = clause
            seen.add(clause)
            actions.append(self.action(clause))
            while self.peek().is_op(","):
                self.take()
                actions.append(self.action(clause))
            if self.peek().kind == EOF:
                return t.UpdateTree(tuple(actions), duplicate)

    def action(self, clause: str) -> t.Action:
        path = self.path()
        if clause == "SET":
            self.expect_op("=")
            return t.Action(clause, path, self.set_value())
        if clause == "REMOVE":
            return t.Action(clause, path, None)
        if self.peek().kind != VALUEREF:
            self.fail()
        return t.Action(clause, path, t.ValueRef(self.take().text))

    def set_value(self):
        if self.peek().is_op("("):
            grouped = self.attempt(self.grouped_sum)
            if grouped is not None:
                return grouped
        return self.sum()

    def grouped_sum(self):
        self.take()
        value = self.sum()
        self.expect_op(")")
        return value

    def sum(self):
        left = self.term()
        if self.peek().is_op("+") or self.peek().is_op("-"):
            op = self.take().text
            return t.Arith(op, left, self.term())
        return left

    def term(self):
        if self.peek().is_op("("):
            self.take()
            inner = self.plain_operand(self.term)
            self.expect_op(")")
            return inner
        return self.plain_operand(self.term)

    # -- projections ---------------------------------------------------------------------------
    def projection(self) -> t.ProjectionTree:
        paths = [self.path()]
        while self.peek().is_op(","):
            self.take()
            paths.append(self.path())
        self.expect_end()
        return t.ProjectionTree(tuple(paths))


def _check_text(text: str, kind: str) -> None:
    if not text.strip():
        raise invalid(kind, "The expression can not be empty;")
    size = len(text.encode("utf-8"))
    if size > MAX_EXPRESSION_BYTES:
        raise invalid(kind, "Expression size has exceeded the maximum allowed size; "
                            f"expression size: {size}")


def parse_condition(text: str, kind: str = "ConditionExpression") -> t.ConditionTree:
    """ConditionExpression or FilterExpression (pass the member name as `kind`)."""
    _check_text(text, kind)
    parser = _Parser(text, kind, CONDITION_WORDS)
    return t.ConditionTree(kind, parser.run(parser.condition))


def parse_key_condition(text: str) -> t.ConditionTree:
    return parse_condition(text, "KeyConditionExpression")


def parse_update(text: str) -> t.UpdateTree:
    _check_text(text, "UpdateExpression")
    parser = _Parser(text, "UpdateExpression", frozenset(UPDATE_CLAUSES))
    return parser.run(parser.update)


def parse_projection(text: str) -> t.ProjectionTree:
    _check_text(text, "ProjectionExpression")
    parser = _Parser(text, "ProjectionExpression", frozenset())
    return parser.run(parser.projection)
