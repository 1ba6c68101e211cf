"""PartiQL tokens: keywords, names, literals, operators, with the position AWS reports.

Rules (the PartiQL specification's lexical grammar as DynamoDB applies it; behaviours recorded
against AWS in dynamodb-conformance tests/tier2/partiql/grammar.test.ts and
tests/tier3/error-messages/partiqlGrammar.test.ts):
- keywords are case-insensitive and reserved: a bare name that is a keyword is no attribute name
  (partiql-lang-kotlin LexerConstants.kt KEYWORDS: SQL-92 plus PartiQL's, e.g. `pad`, `inner`);
- `"name"` is a quoted identifier (`""` inside is a quote); `'text'` a string (`''` a quote);
- numbers: digits with an optional fraction and exponent, or a leading `.` (`.73e1`);
- `--` comments run to the end of the line, `/* ... */` comments may span lines; an unterminated
  block comment, an unterminated quote and any other character (`#`) are refused with AWS's
  envelope and nothing after its colon;
- positions are `line:column` (both from 1, in characters) plus the token's length, as in
  `Unexpected path component at 1:8:16`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dynoscale.services.dynamodb.partiql import messages

KEYWORD, NAME, QUOTED, STRING, NUMBER, PARAM, OP, PUNCT, EOF = (
    "keyword", "name", "quoted", "string", "number", "param", "op", "punct", "eof")

KEYWORDS = frozenset("""
    absolute action add all allocate alter and any are as asc assertion at authorization avg
    begin between bit bit_length by cascade cascaded case cast catalog char character
    character_length char_length check close coalesce collate collation column commit connect
    connection constraint constraints continue convert corresponding count create cross current
    current_date current_time current_timestamp current_user cursor date deallocate dec decimal
    declare default deferrable deferred delete desc describe descriptor diagnostics disconnect
    distinct domain double drop else end escape except exception exec execute exists external
    extract date_add date_diff false fetch first float for foreign found from full get global go
    goto grant group having identity immediate in indicator initially inner input insensitive
    insert int integer intersect interval into is isolation join key language last left level
    like local lower match max min module names national natural nchar next no not null nullif
    numeric octet_length of on only open option or order outer output overlaps pad partial
    position precision prepare preserve primary prior privileges procedure public read real
    references relative restrict revoke right rollback rows schema scroll section select session
    session_user set size smallint some space sql sqlcode sqlerror sqlstate substring sum
    system_user table temporary then time timestamp to transaction translate translation trim
    true union unique unknown update upper usage user using value values varchar varying view
    when whenever where with work write zone
    can_cast can_lossless_cast missing pivot unpivot limit offset tuple remove index let
    integer2 int2 integer4 int4 integer8 int8 bigint conflict do nothing returning modified new
    old bool boolean string symbol clob blob struct list sexp bag
""".split())

# Keywords that name functions: `size(a)`, `exists(...)` are calls, not misplaced keywords.
FUNCTION_KEYWORDS = frozenset({"exists", "count", "avg", "max", "min", "sum", "substring",
                               "char_length", "character_length", "octet_length", "bit_length",
                               "upper", "lower", "size", "sexp", "list", "bag"})

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<line_comment>--[^\n]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<quoted>"(?:[^"]|"")*")
  | (?P<string>'(?:[^']|'')*')
  | (?P<param>\?)
  | (?P<op><<|>>|<>|<=|>=|!=|\|\||[=<>+\-*/%])
  | (?P<punct>[()\[\]{},.:;])
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str       # as written; for names the spelling, for quoted/strings the unquoted value
    line: int
    column: int
    length: int

    @property
    def where(self) -> str:
        """`line:column:length`, the position AWS appends to semantic errors."""
        return f"{self.line}:{self.column}:{self.length}"

    def is_keyword(self, *words: str) -> bool:
        return self.kind == KEYWORD and self.text.lower() in words

    def is_punct(self, text: str) -> bool:
        return self.kind == PUNCT and self.text == text

    def is_op(self, *ops: str) -> bool:
        return self.kind == OP and self.text in ops


def tokenize(text: str) -> list[Token]:
    """Every token of `text`, comments and blanks dropped, ending with an EOF token."""
    tokens: list[Token] = []
    line, line_start, pos = 1, 0, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or (m.lastgroup == "op" and text.startswith("/*", pos)):
            raise messages.malformed("")  # `#`, an unterminated quote or block comment
        kind = m.lastgroup
        raw = m.group()
        column = pos - line_start + 1
        if kind == "quoted":
            tokens.append(Token(QUOTED, raw[1:-1].replace('""', '"'), line, column, len(raw)))
        elif kind == "string":
            tokens.append(Token(STRING, raw[1:-1].replace("''", "'"), line, column, len(raw)))
        elif kind == "name":
            tokens.append(Token(KEYWORD if raw.lower() in KEYWORDS else NAME, raw, line, column,
                                len(raw)))
        elif kind in ("number", "param", "op", "punct"):
            tokens.append(Token({"number": NUMBER, "param": PARAM, "op": OP,
                                 "punct": PUNCT}[kind], raw, line, column, len(raw)))
        newlines = raw.count("\n")
        if newlines:
            line += newlines
            line_start = pos + raw.rindex("\n") + 1
        pos = m.end()
    tokens.append(Token(EOF, "", line, pos - line_start + 1, 0))
    return tokens
