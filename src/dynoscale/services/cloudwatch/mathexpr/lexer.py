"""Tokens of CloudWatch metric math expressions, each with its 0-based character position.

The language (CloudWatch User Guide, "Using math expressions with CloudWatch metrics", sections
"Metric math syntax and functions", "Comparison and logical operators", "Using IF expressions"):
numbers (`5`, `-5`, `50.25`), query Ids (letters, digits and `_`, first a lower-case letter),
upper-case function names and keywords (`AVG`, `REPEAT`, `AND`), strings (`METRICS("errors")`;
the guide's own examples also use curly quotes, and SEARCH uses single quotes), the arithmetic
operators `+ - * / ^`, comparisons `== != <= >= < >`, logical `AND`/`&&`, `OR`/`||`, and `( ) [ ] ,`.
`NOT`/`!` is accepted as logical negation [inferred: the guide names AND and OR only].
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dynoscale.services.cloudwatch.mathexpr.errors import MathError

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<string>"[^"]*"|'[^']*'|\u201c[^\u201d]*\u201d)
  | (?P<op>==|!=|<=|>=|&&|\|\||[-+*/^<>(),\[\]!])
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str    # number | name | string | op | end
    text: str
    pos: int     # 0-based character position in the expression

    @property
    def value(self) -> str:
        return self.text[1:-1] if self.kind == "string" else self.text


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an `end` token; an unknown character is a syntax error."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise MathError(f"Unsupported token '{text[pos]}' at char {pos}")
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens
