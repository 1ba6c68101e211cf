"""Tokenizer for DynamoDB expressions, and AWS's syntax-error wording.

Rules (inferred from messages real DynamoDB returned, collected in tests/unit/test_expr_parse.py):
- names are a letter followed by letters, digits and `_`; `#x` and `:x` placeholders are `#`/`:`
  followed by letters, digits and `_`; list indexes are runs of digits;
- operators: `= <> < <= > >= ( ) [ ] , . + -`;
- any other character is a one-character token the parser then rejects: AWS reports
  `__typename` as `token: "_", near: "AND __"` (a user's report of a live error), so `_` starts
  no name and each stray character stands alone;
- `near` is the source text from the start of the token before the offending one to the end of the
  token after it (`"SET a = b c d"` -> token `c`, near `b c d` per moto's AWS-verified test;
  `if_not_exists(x, 0)` -> token `0`, near `, 0)`); at end of input the offending token is
  `<EOF>` and `near` runs from the previous token to the end of the text (`"= "` with its
  trailing blank, dynoxide's captured AWS answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME, NAMEREF, VALUEREF, NUMBER, OP, OTHER, EOF = (
    "name", "#name", ":value", "number", "op", "other", "eof")

_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+)
  | (?P<name>[A-Za-z][A-Za-z0-9_]*)
  | (?P<nameref>\#[A-Za-z0-9_]+)
  | (?P<valueref>:[A-Za-z0-9_]+)
  | (?P<number>[0-9]+)
  | (?P<op><>|<=|>=|[=<>()\[\],.+\-])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

_KINDS = {"name": NAME, "nameref": NAMEREF, "valueref": VALUEREF, "number": NUMBER, "op": OP,
          "other": OTHER}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    def is_word(self, word: str) -> bool:
        """Keywords (AND, SET, BETWEEN, ...) are case-insensitive names."""
        return self.kind == NAME and self.text.upper() == word

    def is_op(self, op: str) -> bool:
        return self.kind == OP and self.text == op


def tokenize(text: str) -> list[Token]:
    """All tokens of `text`, blanks dropped, ending with one EOF token."""
    tokens = []
    for m in _TOKEN.finditer(text):
        group = m.lastgroup
        if group != "space":
            tokens.append(Token(_KINDS[group], m.group(), m.start(), m.end()))
    tokens.append(Token(EOF, "<EOF>", len(text), len(text)))
    return tokens


def syntax_error_detail(text: str, tokens: list[Token], index: int) -> str:
    """`Syntax error; token: "<tok>", near: "<context>"` for the token at `index`."""
    token = tokens[index]
    start = tokens[index - 1].start if index > 0 else token.start
    if token.kind == EOF:
        end = len(text)
    else:
        following = tokens[index + 1]
        end = following.end if following.kind != EOF else token.end
    return f'Syntax error; token: "{token.text}", near: "{text[start:end]}"'
