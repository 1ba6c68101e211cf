"""Recursive-descent parser: statement text -> ast.py tree, raising AWS's syntax errors.

Grammar (DynamoDB developer guide "PartiQL select/insert/update/delete statements"; PartiQL
specification for expressions; the FROM-first UPDATE form recorded against AWS in
dynamodb-conformance tests/tier2/partiql/fromFirstUpdate.test.ts):

    statement := (select | insert | update | delete | from_update | expression) [';'] EOF
    select    := SELECT ('*' | item (',' item)*) FROM source [alias] [WHERE expr]
                 [ORDER BY expr [ASC|DESC] (',' ...)*]
    insert    := INSERT INTO names (VALUE expr | VALUES ...) [RETURNING ...]
    update    := UPDATE names [alias] action+ [WHERE expr] [RETURNING ...]
    from_upd  := FROM source [alias] [WHERE expr] action+ [RETURNING ...]
    delete    := DELETE FROM names [alias] [WHERE expr] [RETURNING ...]
    action    := SET target '=' expr (',' target '=' expr)* | REMOVE target (',' target)*
    returning := RETURNING (ALL|MODIFIED) (OLD|NEW) '*'

Expressions climb PartiQL's precedence (partiql-lang-kotlin LexerConstants.kt
OPERATOR_PRECEDENCE): OR < AND < NOT < (= <> IS IN) < (< <= > >= BETWEEN LIKE) < (+ - ||)
< (* / %) < unary minus < path steps (`.name`, `[n]`, `['key']`). EXISTS(SELECT ...) is a
call whose argument is a sub-select.

Syntax errors are AWS's envelope plus the detail AWS gives at that spot (messages.py): a missing
term ("Unexpected term"), a keyword or operator where a term belongs, an infix operator with
nothing after it, something left after a whole statement ("Unexpected token after expression").
Parsed statements hold no parameter values, so StatementCache shares them by text.
"""

from __future__ import annotations

from collections import OrderedDict

from dynoscale.services.dynamodb.partiql import ast
from dynoscale.services.dynamodb.partiql import messages as m
from dynoscale.services.dynamodb.partiql.lexer import (EOF, FUNCTION_KEYWORDS, KEYWORD, NAME,
                                                       NUMBER, OP, PARAM, QUOTED, STRING, Token,
                                                       tokenize)

# Keywords that are operators in PartiQL's lexer: misplaced, they are "Unexpected operator".
OPERATOR_WORDS = frozenset({"and", "or", "not", "in", "is", "like", "between"})
LITERAL_WORDS = frozenset({"true", "false", "null", "missing"})
INFIX = {"or": 10, "and": 20, "=": 40, "<>": 40, "!=": 40, "is": 40, "in": 40, "<": 50,
         "<=": 50, ">": 50, ">=": 50, "between": 50, "like": 50, "+": 60, "-": 60, "||": 60,
         "*": 70, "/": 70, "%": 70}
NOT_PRECEDENCE = 30
# Guards that keep a hostile 8 KB statement from exhausting the stack. AWS's limit for PartiQL is
# not recorded; the operator count is the item API's (expression language: 300 operators).
MAX_OPERATORS = 300
MAX_NESTING = 100
# Type names IS accepts (PartiQL's CORE_TYPE_NAME_ARITY_MAP and aliases); two-word ones joined.
TYPE_NAMES = frozenset({"MISSING", "NULL", "BOOLEAN", "BOOL", "SMALLINT", "INTEGER", "INT",
                        "INTEGER2", "INT2", "INTEGER4", "INT4", "INTEGER8", "INT8", "BIGINT",
                        "FLOAT", "REAL", "DOUBLE PRECISION", "DECIMAL", "DEC", "NUMERIC",
                        "TIMESTAMP", "DATE", "TIME", "CHARACTER", "CHAR", "CHARACTER VARYING",
                        "VARCHAR", "STRING", "SYMBOL", "CLOB", "BLOB", "STRUCT", "TUPLE", "LIST",
                        "SEXP", "BAG", "ANY"})


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.pos = 0
        self.params = 0
        self.operators = 0   # infix and prefix operators, counted against MAX_OPERATORS
        self.depth = 0       # open brackets and calls, counted against MAX_NESTING

    # -- plumbing ------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != EOF:
            self.pos += 1
        return token

    def keyword(self, *words: str) -> bool:
        return self.peek().is_keyword(*words)

    def accept_keyword(self, *words: str):
        if self.keyword(*words):
            return self.take()
        return None

    def expect_keyword(self, word: str) -> Token:
        if not self.keyword(word):
            raise m.malformed(self._detail_here(m.EXPECTED_KEYWORD))
        return self.take()

    def accept_punct(self, text: str):
        if self.peek().is_punct(text):
            return self.take()
        return None

    def expect_punct(self, text: str) -> Token:
        if not self.peek().is_punct(text):
            raise m.malformed(self._detail_here(m.EXPECTED_TOKEN))
        return self.take()

    def _detail_here(self, default: str) -> str:
        token = self.peek()
        if token.kind == EOF or token.is_punct(";"):
            return m.UNEXPECTED_TERM
        return default

    def term_error(self) -> Exception:
        """AWS's detail for a token that cannot start a term."""
        token = self.peek()
        if token.kind == KEYWORD and token.text.lower() in OPERATOR_WORDS or token.kind == OP:
            return m.malformed(m.UNEXPECTED_OPERATOR)
        if token.kind == KEYWORD:
            return m.malformed(m.UNEXPECTED_KEYWORD)
        return m.malformed(m.UNEXPECTED_TERM)

    # -- statements ----------------------------------------------------------------------------
    def statement(self):
        token = self.peek()
        if token.is_keyword("select"):
            node = self.select()
        elif token.is_keyword("insert"):
            node = self.insert()
        elif token.is_keyword("update"):
            node = self.update()
        elif token.is_keyword("delete"):
            node = self.delete()
        elif token.is_keyword("from"):
            node = self.from_update()
        else:
            expr = self.expr()
            if isinstance(expr, (ast.Select, ast.Update)):
                node = expr
            elif (isinstance(expr, ast.Call) and expr.name.lower() == "exists"
                  and len(expr.args) == 1 and isinstance(expr.args[0], ast.Select)):
                node = ast.Exists(expr.args[0], expr.token)
            else:
                node = ast.ExprStatement(expr, token)
        self.accept_punct(";")
        if self.peek().kind != EOF:
            raise m.malformed(m.LEFTOVER)
        return node

    def select(self) -> ast.Select:
        start = self.take()
        star, items, aliases = False, [], []
        if self.peek().is_op("*"):
            self.take()
            star = True
        else:
            while True:
                if self.peek().is_op("*"):  # `SELECT a, *`: refused once parsed
                    self.take()
                    star = True
                else:
                    items.append(self.expr())
                    alias = self.alias()
                    if alias is not None:
                        aliases.append(alias)
                if not self.accept_punct(","):
                    break
        if not self.keyword("from"):
            raise m.malformed(self._detail_here(m.EXPECTED_KEYWORD))
        self.take()
        source = self.source()
        where = self.expr() if self.accept_keyword("where") else None
        order_by = []
        if self.accept_keyword("order"):
            self.expect_keyword("by")
            while True:
                expr = self.expr()
                descending = bool(self.accept_keyword("desc"))
                if not descending:
                    self.accept_keyword("asc")
                order_by.append(ast.OrderItem(expr, descending))
                if not self.accept_punct(","):
                    break
        return ast.Select(star, tuple(items), tuple(aliases), source, where, tuple(order_by), start)

    def alias(self):
        """`AS name` or a bare name after an expression: parsed, refused later."""
        if self.accept_keyword("as"):
            token = self.peek()
            if token.kind not in (NAME, QUOTED):
                raise m.malformed(self._detail_here(m.EXPECTED_TOKEN))
            return self.take()
        if self.peek().kind in (NAME, QUOTED):
            return self.take()
        return None

    def source(self) -> ast.Source:
        """FROM's source: an expression, normally a path of names (`"t"."index"`)."""
        token = self.peek()
        expr = self.postfix(self.primary())
        components = _name_components(expr)
        source = ast.Source(components or (), token, expr=None if components else expr)
        alias = self.alias()
        if alias is not None:
            source = ast.Source(source.components, token, alias, source.expr)
        return source

    def names(self) -> ast.Source:
        """INSERT INTO / UPDATE / DELETE FROM: a path of names (a simple path)."""
        token = self.peek()
        if token.kind not in (NAME, QUOTED):
            raise m.malformed(m.EXPECTED_SIMPLE_PATH)
        components = [(self.take().text, token)]
        while self.peek().is_punct("."):
            self.take()
            part = self.peek()
            if part.kind not in (NAME, QUOTED):
                raise m.malformed(m.EXPECTED_SIMPLE_PATH)
            components.append((self.take().text, part))
        return ast.Source(tuple(components), token)

    def insert(self) -> ast.Insert:
        start = self.take()
        self.expect_keyword("into")
        source = self.names()
        if self.accept_keyword("value"):
            value, multiple = self.expr(), False
        elif self.accept_keyword("values"):
            value, multiple = self.expr(), True
            while self.accept_punct(","):
                self.expr()
        else:
            raise m.malformed(m.LEFTOVER if self.peek().kind != EOF else m.UNEXPECTED_TERM)
        return ast.Insert(source, value, self.returning(), multiple, start)

    def update(self) -> ast.Update:
        start = self.take()
        source = self.names()
        alias = self.alias()
        if alias is not None:
            source = ast.Source(source.components, source.token, alias)
        actions = self.actions()
        where = self.expr() if self.accept_keyword("where") else None
        return ast.Update(source, tuple(actions), where, self.returning(), start)

    def from_update(self) -> ast.Update:
        start = self.take()
        source = self.source()
        where = self.expr() if self.accept_keyword("where") else None
        if not self.keyword("set", "remove"):
            raise m.malformed(m.EXPECTED_DML)
        actions = self.actions()
        return ast.Update(source, tuple(actions), where, self.returning(), start)

    def actions(self) -> list:
        if not self.keyword("set", "remove"):
            raise m.malformed(self._detail_here(m.EXPECTED_DML))
        actions = []
        while self.keyword("set", "remove"):
            clause = self.take().text.upper()
            while True:
                target = self.postfix(self.primary())
                if clause == "SET":
                    if not self.peek().is_op("="):
                        raise m.malformed(self._detail_here(m.EXPECTED_TOKEN))
                    self.take()
                    actions.append(("SET", target, self.operand_after_infix(0)))
                else:
                    actions.append(("REMOVE", target, None))
                if not self.accept_punct(","):
                    break
        return actions

    def delete(self) -> ast.Delete:
        start = self.take()
        if not self.keyword("from"):
            raise m.malformed(m.EXPECTED_SIMPLE_PATH)
        self.take()
        source = self.names()
        alias = self.alias()
        if alias is not None:
            source = ast.Source(source.components, source.token, alias)
        where = self.expr() if self.accept_keyword("where") else None
        return ast.Delete(source, where, self.returning(), start)

    def returning(self):
        if not self.accept_keyword("returning"):
            return None
        mode = self.accept_keyword("all", "modified")
        image = self.accept_keyword("old", "new") if mode else None
        if mode is None or image is None or not self.peek().is_op("*"):
            raise m.validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in "
                               "RETURNING clause")  # [DDBL] UNSUPPORTED_RETURNING_SYNTAX
        self.take()
        if self.peek().is_punct(","):
            raise m.validation("Invalid syntax with multiple returning elements in RETURNING "
                               "clause")  # [DDBL] UNSUPPORTED_MULTIPLE_RETURNING_ELEMENTS
        return f"{mode.text.upper()} {image.text.upper()} *"

    # -- expressions ---------------------------------------------------------------------------
    def expr(self):
        return self.binary(0)

    def infix(self):
        """(operator, precedence, token, negated) of the infix operator at hand, or None."""
        token = self.peek()
        if token.kind == OP and token.text in INFIX:
            return token.text, INFIX[token.text], token, False
        if token.kind == KEYWORD:
            word = token.text.lower()
            if word == "not" and self.peek(1).is_keyword("in", "between", "like"):
                second = self.peek(1).text.lower()
                return second, INFIX[second], token, True
            if word in INFIX:
                return word, INFIX[word], token, False
        return None

    def binary(self, minimum: int):
        left = self.unary()
        while True:
            found = self.infix()
            if found is None or found[1] < minimum:
                return left
            op, precedence, token, negated = found
            self.count_operator()
            self.take()
            if negated:
                self.take()
            if op == "is":
                left = self.is_type(left, token)
            elif op == "between":
                low = self.operand_after_infix(precedence + 1)
                if not self.keyword("and"):
                    raise m.malformed(self._detail_here(m.EXPECTED_KEYWORD))
                self.take()
                high = self.operand_after_infix(precedence + 1)
                left = ast.Between(left, low, high, negated, token)
            elif op == "in":
                left = ast.InExpr(left, self.operand_after_infix(precedence + 1), negated, token)
            else:
                right = self.operand_after_infix(precedence + 1)
                node = ast.Binary("<>" if op == "!=" else op, left, right, token)
                left = ast.Unary("not", node, token) if negated else node

    def operand_after_infix(self, minimum: int):
        token = self.peek()
        if token.kind == EOF or token.is_punct(";"):
            raise m.malformed(m.MISSING_RIGHT)
        return self.binary(minimum)

    def is_type(self, subject, token: Token) -> ast.IsExpr:
        negated = bool(self.accept_keyword("not"))
        first = self.peek()
        if first.kind not in (KEYWORD, NAME):
            raise m.malformed(m.EXPECTED_TYPE_NAME)
        name = first.text.upper()
        second = self.peek(1).text.upper() if self.peek(1).kind in (KEYWORD, NAME) else ""
        if f"{name} {second}" in TYPE_NAMES:
            self.take()
            self.take()
            return ast.IsExpr(subject, f"{name} {second}", negated, token)
        if name not in TYPE_NAMES:
            raise m.malformed(m.EXPECTED_TYPE_NAME)
        self.take()
        return ast.IsExpr(subject, name, negated, token)

    def count_operator(self) -> None:
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise m.validation(m.TOO_MANY_OPERATORS.format(self.operators))

    def unary(self):
        token = self.peek()
        if token.is_keyword("not"):
            self.count_operator()
            self.take()
            return ast.Unary("not", self.operand_after_unary(NOT_PRECEDENCE + 1), token)
        if token.is_op("-", "+"):
            self.take()
            operand = self.operand_after_unary(80)
            if isinstance(operand, ast.Literal) and operand.kind == "number":
                text = operand.text if token.text == "+" else (
                    operand.text[1:] if operand.text.startswith("-") else "-" + operand.text)
                return ast.Literal("number", text, token)
            return ast.Unary(token.text, operand, token)
        return self.postfix(self.primary())

    def operand_after_unary(self, minimum: int):
        return self.binary(minimum) if minimum < 80 else self.unary()

    def primary(self):
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise m.malformed("")
        try:
            return self._primary()
        finally:
            self.depth -= 1

    def _primary(self):
        token = self.peek()
        kind = token.kind
        if kind == STRING:
            return ast.Literal("string", self.take().text, token)
        if kind == NUMBER:
            return ast.Literal("number", self.take().text, token)
        if kind == PARAM:
            self.take()
            self.params += 1
            return ast.Param(self.params - 1, token)
        if kind in (NAME, QUOTED):
            self.take()
            if kind == NAME and self.peek().is_punct("("):
                return self.call(token)
            return ast.Name(token.text, token)
        if kind == KEYWORD:
            word = token.text.lower()
            if word in LITERAL_WORDS:
                self.take()
                return ast.Literal(word, word, token)
            if word in FUNCTION_KEYWORDS and self.peek(1).is_punct("("):
                self.take()
                return self.call(token)
            if word == "select":
                return self.select()
            if word == "from":
                return self.from_update()
            raise self.term_error()
        if token.is_punct("("):
            self.take()
            first = self.expr()
            if self.accept_punct(","):
                items = [first, self.expr()]
                while self.accept_punct(","):
                    items.append(self.expr())
                self.expect_punct(")")
                return ast.ListExpr(tuple(items), token)
            self.expect_punct(")")
            return first
        if token.is_punct("["):
            return ast.ListExpr(self.sequence("]"), token)
        if token.is_punct("{"):
            return self.struct()
        if token.is_op("<<"):
            self.take()
            items = []
            if not self.peek().is_op(">>"):
                items.append(self.expr())
                while self.accept_punct(","):
                    items.append(self.expr())
            if not self.peek().is_op(">>"):
                raise m.malformed(self._detail_here(m.EXPECTED_TOKEN))
            self.take()
            return ast.BagExpr(tuple(items), token)
        raise self.term_error()

    def sequence(self, close: str) -> tuple:
        self.take()
        items = []
        if not self.peek().is_punct(close):
            items.append(self.expr())
            while self.accept_punct(","):
                items.append(self.expr())
        self.expect_punct(close)
        return tuple(items)

    def struct(self) -> ast.StructExpr:
        token = self.take()
        pairs = []
        if not self.peek().is_punct("}"):
            while True:
                key = self.expr()
                self.expect_punct(":")
                pairs.append((key, self.expr()))
                if not self.accept_punct(","):
                    break
        self.expect_punct("}")
        return ast.StructExpr(tuple(pairs), token)

    def call(self, name: Token) -> ast.Call:
        self.take()  # (
        args = []
        if not self.peek().is_punct(")"):
            args.append(self.expr())
            while self.accept_punct(","):
                args.append(self.expr())
        self.expect_punct(")")
        return ast.Call(name.text, tuple(args), name)

    def postfix(self, node):
        steps = []
        start = getattr(node, "token", self.peek())
        while True:
            if self.peek().is_punct("."):
                self.take()
                token = self.peek()
                if token.kind in (NAME, QUOTED):
                    steps.append(("dot", self.take().text))
                elif token.is_op("*"):
                    self.take()
                    steps.append(("wildcard", ".*"))
                else:
                    raise m.malformed(m.INVALID_PATH_DOT)
            elif self.peek().is_punct("["):
                self.take()
                token = self.peek()
                if token.is_op("*") and self.peek(1).is_punct("]"):
                    self.take()
                    steps.append(("wildcard", "[*]"))
                else:
                    index = self.expr()
                    if isinstance(index, ast.Literal) and index.kind == "number":
                        steps.append(("index", index.text))
                    elif isinstance(index, ast.Literal) and index.kind == "string":
                        steps.append(("key", index.text))
                    else:
                        steps.append(("expr", index))
                self.expect_punct("]")
            else:
                break
        if not steps:
            return node
        return ast.PathExpr(node, tuple(steps), start)


def _name_components(expr):
    """((name, token), ...) when `expr` is a path of names (`"t"` or `"t"."i"`), else None."""
    if isinstance(expr, ast.Name):
        return ((expr.name, expr.token),)
    if isinstance(expr, ast.PathExpr) and isinstance(expr.root, ast.Name) \
            and all(kind == "dot" for kind, _ in expr.steps):
        return ((expr.root.name, expr.root.token),) + tuple((v, expr.token) for _, v in expr.steps)
    return None


def parse(text: str) -> ast.Parsed:
    """The statement tree of `text`, or AWS's ValidationException for a malformed statement."""
    parser = _Parser(text)
    statement = parser.statement()
    return ast.Parsed(statement, parser.params)


class StatementCache:
    """LRU cache of parsed statements by text (like expr.ExpressionCache): trees hold no
    parameter values. Malformed statements are not cached; they are parsed again each time."""

    def __init__(self, maxsize: int = 1024):
        self.maxsize = maxsize
        self._trees: OrderedDict = OrderedDict()

    def parse(self, text: str) -> ast.Parsed:
        parsed = self._trees.get(text)
        if parsed is not None:
            self._trees.move_to_end(text)
            return parsed
        parsed = parse(text)
        self._trees[text] = parsed
        if len(self._trees) > self.maxsize:
            self._trees.popitem(last=False)
        return parsed

    def __len__(self) -> int:
        return len(self._trees)
