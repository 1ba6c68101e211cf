"""The AlarmRule language of composite alarms: parse, list the alarms it names, evaluate.

Facts (botocore model doc of PutCompositeAlarmInput.AlarmRule): functions ALARM("name or ARN"),
OK(...), INSUFFICIENT_DATA(...), constants TRUE and FALSE, operators AND, OR, NOT and
parentheses; alarm names "can be surrounded with double-quotes, but do not have to be".
Syntax errors are AWS's observed form: "Error in AlarmRule [Unsupported token ')' at char 1]"
(aws/aws-cdk#34662, rule "()") and "Error in AlarmRule [Unsupported token 'Oldest' at char 67,
must be: ')']" (aws/aws-cdk#13953: an unquoted name ends at white space; positions count from 0).
Precedence NOT > AND > OR and the end-of-rule message are [inferred].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Union

from dynoscale.services.cloudwatch import errors

STATE_FUNCTIONS = ("ALARM", "OK", "INSUFFICIENT_DATA")


@dataclass(frozen=True)
class Check:
    state: str    # ALARM | OK | INSUFFICIENT_DATA
    ref: str      # the alarm name or ARN as written


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class Not:
    operand: "Rule"


@dataclass(frozen=True)
class Both:
    op: str       # AND | OR
    left: "Rule"
    right: "Rule"


Rule = Union[Check, Const, Not, Both]


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position): ( ) string word end."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            out.append((c, c, i))
            i += 1
        elif c == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise errors.alarm_rule(f"Unsupported token '\"' at char {i}")
            out.append(("string", text[i + 1:close], i))
            i = close + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in '()"':
                j += 1
            out.append(("word", text[i:j], i))
            i = j
    out.append(("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def fail(self, expected: Optional[str] = None):
        kind, text, pos = self.peek()
        if kind == "end":  # [inferred] text
            return errors.alarm_rule(f"Unexpected end of AlarmRule at char {pos}")
        tail = f", must be: '{expected}'" if expected else ""
        return errors.alarm_rule(f"Unsupported token '{text}' at char {pos}{tail}")

    def word(self, *words: str) -> bool:
        kind, text, _ = self.peek()
        return kind == "word" and text in words

    def expect(self, kind: str) -> None:
        if self.peek()[0] != kind:
            raise self.fail(kind)
        self.i += 1

    def parse(self) -> Rule:
        rule = self.either()
        if self.peek()[0] != "end":
            raise self.fail()
        return rule

    def either(self) -> Rule:
        rule = self.both()
        while self.word("OR"):
            self.i += 1
            rule = Both("OR", rule, self.both())
        return rule

    def both(self) -> Rule:
        rule = self.negation()
        while self.word("AND"):
            self.i += 1
            rule = Both("AND", rule, self.negation())
        return rule

    def negation(self) -> Rule:
        if self.word("NOT"):
            self.i += 1
            return Not(self.negation())
        return self.primary()

    def primary(self) -> Rule:
        kind, text, _ = self.peek()
        if kind == "(":
            self.i += 1
            rule = self.either()
            self.expect(")")
            return rule
        if kind == "word" and text in ("TRUE", "FALSE"):
            self.i += 1
            return Const(text == "TRUE")
        if kind == "word" and text in STATE_FUNCTIONS:
            self.i += 1
            self.expect("(")
            name_kind, name, _ = self.peek()
            if name_kind not in ("word", "string") or not name:
                raise self.fail()
            self.i += 1
            self.expect(")")
            return Check(text, name)
        raise self.fail()


def parse_rule(text: str) -> Rule:
    """The rule's tree; ValidationError "Error in AlarmRule [...]" on a syntax error."""
    return _Parser(text).parse()


def references(rule: Rule) -> list[str]:
    """The alarm names/ARNs the rule checks, in text order, without repeats."""
    out: list[str] = []

    def walk(node: Rule) -> None:
        if isinstance(node, Check):
            if node.ref not in out:
                out.append(node.ref)
        elif isinstance(node, Not):
            walk(node.operand)
        elif isinstance(node, Both):
            walk(node.left)
            walk(node.right)
    walk(rule)
    return out


def holds(rule: Rule, state_of: Callable[[str], Optional[str]]) -> bool:
    """Whether the rule is TRUE given each referenced alarm's state (None: no such alarm)."""
    if isinstance(rule, Const):
        return rule.value
    if isinstance(rule, Check):
        return state_of(rule.ref) == rule.state
    if isinstance(rule, Not):
        return not holds(rule.operand, state_of)
    if rule.op == "AND":
        return holds(rule.left, state_of) and holds(rule.right, state_of)
    return holds(rule.left, state_of) or holds(rule.right, state_of)


def alarm_name(ref: str, account_id: str, region: str) -> Optional[str]:
    """The alarm name a reference means in this account and Region (None: another one)."""
    if not ref.startswith("arn:"):
        return ref
    parts = ref.split(":", 6)
    if len(parts) == 7 and parts[2] == "cloudwatch" and parts[3] == region \
            and parts[4] == account_id and parts[5] == "alarm":
        return parts[6]
    return None
