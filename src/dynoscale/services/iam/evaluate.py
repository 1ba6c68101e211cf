"""IAM policy evaluation: does a set of policy documents allow an action on a resource?

Pure functions over parsed JSON; no storage, no HTTP. The rules are the IAM User Guide's
("Policy evaluation logic", "IAM JSON policy elements: Action / NotAction / Resource /
NotResource / Condition", "Condition operators", "Policy variables"):

- A request is denied unless a statement allows it; any matching Deny wins over every Allow.
- A statement matches when its Action (or NotAction), Resource (or NotResource), Principal (or
  NotPrincipal, resource-based policies only) and every Condition block match.
- Action names are matched case-insensitively, resources case-sensitively; both take the `*` and
  `?` wildcards. `${key}` policy variables in Resource and condition values are replaced by the
  request context's value (`${*}`, `${?}`, `${$}` stand for the characters themselves).
- Conditions: every operator block must hold, every key in a block must hold, and a key matches
  when any of the policy's values matches (OR). A key missing from the context makes the
  condition false, except for the negated operators (StringNotEquals, StringNotLike,
  ArnNotEquals, ArnNotLike, NumericNotEquals, DateNotEquals: true), `...IfExists` (true) and
  Null. `ForAllValues:` / `ForAnyValue:` compare multi-valued keys.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence


from dynoscale.services.iam.api import Decision

Context = Mapping[str, Any]  # condition key (lower case) -> str | list[str]


def parse(document: "str | dict") -> dict:
    """A policy document as stored (JSON text) -> its dict; a malformed one allows nothing."""
    if isinstance(document, dict):
        return document
    try:
        doc = json.loads(document)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def evaluate(policies: Iterable[dict], action: str, resource: str, context: Context,
             principal: Optional[Mapping[str, Sequence[str]]] = None) -> Decision:
    """The decision of `policies` (parsed documents) for one action on one resource.
    `principal`: for resource-based policies, the caller as Principal-element values
    ({"AWS": [arn, account id...], "Service": [...]}); None for identity policies."""
    allowed = False
    for doc in policies:
        for st in _statements(doc):
            if not _statement_matches(st, action, resource, context, principal):
                continue
            if st.get("Effect") == "Deny":
                return Decision.EXPLICIT_DENY
            if st.get("Effect") == "Allow":
                allowed = True
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


def _statements(doc: dict) -> list:
    st = doc.get("Statement", [])
    return [s for s in (st if isinstance(st, list) else [st]) if isinstance(s, dict)]


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _statement_matches(st: dict, action: str, resource: str, context: Context,
                       principal: Optional[Mapping[str, Sequence[str]]]) -> bool:
    if "Action" in st:
        if not any(_action_match(a, action) for a in _as_list(st["Action"])):
            return False
    elif "NotAction" in st:
        if any(_action_match(a, action) for a in _as_list(st["NotAction"])):
            return False
    else:
        return False
    if "Resource" in st:
        if not any(_resource_match(r, resource, context) for r in _as_list(st["Resource"])):
            return False
    elif "NotResource" in st:
        if any(_resource_match(r, resource, context) for r in _as_list(st["NotResource"])):
            return False
    elif principal is None:  # an identity policy's statement must name its resources
        return False
    if principal is not None:
        if "Principal" in st:
            if not _principal_match(st["Principal"], principal):
                return False
        elif "NotPrincipal" in st:
            if _principal_match(st["NotPrincipal"], principal):
                return False
        else:
            return False
    condition = st.get("Condition")
    return not condition or conditions_hold(condition, context)


# -- names and wildcards ----------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> "re.Pattern[str]":
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(rx, re.S | (re.I if ignore_case else 0))


def like(pattern: str, value: str, ignore_case: bool = False) -> bool:
    return _glob(pattern, ignore_case).fullmatch(value) is not None


def _action_match(pattern: Any, action: str) -> bool:
    return isinstance(pattern, str) and like(pattern, action, ignore_case=True)


_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LITERALS = {"*": "*", "?": "?", "$": "$"}


def substitute(text: str, context: Context) -> Optional[str]:
    """`${key}` policy variables replaced from the context; None when a key is missing (the
    element then matches nothing, IAM User Guide "Policy variables": "the policy ... fails")."""
    if "${" not in text:
        return text
    missing = False

    def value(m: "re.Match[str]") -> str:
        nonlocal missing
        name = m.group(1)
        if name in _LITERALS:
            return _LITERALS[name]
        key, _, default = name.partition(", '")  # ${aws:username, 'default'}
        got = context.get(key.strip().lower())
        if isinstance(got, list):
            got = got[0] if got else None
        if got is None:
            if default.endswith("'"):
                return default[:-1]
            missing = True
            return ""
        return str(got)

    out = _VARIABLE.sub(value, text)
    return None if missing else out


def _resource_match(pattern: Any, resource: str, context: Context) -> bool:
    if not isinstance(pattern, str):
        return False
    pattern = substitute(pattern, context)
    return pattern is not None and like(pattern, resource)


def _principal_match(element: Any, principal: Mapping[str, Sequence[str]]) -> bool:
    if element == "*":
        return True
    if not isinstance(element, dict):
        return False
    for kind, wanted in element.items():
        have = principal.get(kind, ())
        for w in _as_list(wanted):
            if w == "*" and have:
                return True
            if isinstance(w, str) and w in have:
                return True
    return False


# -- conditions -------------------------------------------------------------------------------
def _text(policy: str, value: str, ignore_case: bool = False) -> bool:
    return policy.lower() == value.lower() if ignore_case else policy == value


def _number(text: Any) -> Optional[float]:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _date(text: Any) -> Optional[float]:
    """ISO 8601 date/time or epoch seconds (Condition operators: Date)."""
    if isinstance(text, (int, float)):
        return float(text)
    if not isinstance(text, str):
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.timestamp()


def _compare(convert: Callable[[Any], Optional[float]],
             test: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def check(policy: str, value: str) -> bool:
        p, v = convert(policy), convert(value)
        return p is not None and v is not None and test(v, p)
    return check


def _arn_like(policy: str, value: str) -> bool:
    # ARN operators compare the six colon-separated parts each with wildcards (Condition
    # operators: ARN); a value that is not an ARN never matches.
    pp, vv = policy.split(":", 5), value.split(":", 5)
    return len(pp) == 6 and len(vv) == 6 and all(like(p, v) for p, v in zip(pp, vv))


def _ip(policy: str, value: str) -> bool:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(policy, strict=False)
    except ValueError:
        return False


def _bool(policy: str, value: str) -> bool:
    return str(policy).lower() == str(value).lower()


# operator -> (match one policy value against one context value, negated)
_OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "stringequals": (_text, False),
    "stringnotequals": (_text, True),
    "stringequalsignorecase": (lambda p, v: _text(p, v, True), False),
    "stringnotequalsignorecase": (lambda p, v: _text(p, v, True), True),
    "stringlike": (like, False),
    "stringnotlike": (like, True),
    "numericequals": (_compare(_number, lambda v, p: v == p), False),
    "numericnotequals": (_compare(_number, lambda v, p: v == p), True),
    "numericlessthan": (_compare(_number, lambda v, p: v < p), False),
    "numericlessthanequals": (_compare(_number, lambda v, p: v <= p), False),
    "numericgreaterthan": (_compare(_number, lambda v, p: v > p), False),
    "numericgreaterthanequals": (_compare(_number, lambda v, p: v >= p), False),
    "dateequals": (_compare(_date, lambda v, p: v == p), False),
    "datenotequals": (_compare(_date, lambda v, p: v == p), True),
    "datelessthan": (_compare(_date, lambda v, p: v < p), False),
    "datelessthanequals": (_compare(_date, lambda v, p: v <= p), False),
    "dategreaterthan": (_compare(_date, lambda v, p: v > p), False),
    "dategreaterthanequals": (_compare(_date, lambda v, p: v >= p), False),
    "bool": (_bool, False),
    "arnequals": (_arn_like, False),
    "arnlike": (_arn_like, False),
    "arnnotequals": (_arn_like, True),
    "arnnotlike": (_arn_like, True),
    "ipaddress": (_ip, False),
    "notipaddress": (_ip, True),
}


def conditions_hold(condition: Any, context: Context) -> bool:
    if not isinstance(condition, dict):
        return False
    for operator, block in condition.items():
        if not isinstance(block, dict):
            return False
        for key, wanted in block.items():
            if not _condition_holds(str(operator), str(key).lower(), _as_list(wanted), context):
                return False
    return True


def _condition_holds(operator: str, key: str, wanted: list, context: Context) -> bool:
    value = context.get(key)
    name = operator.lower()
    if name == "null":
        # "true": the key must be absent; "false": present (Condition operators: Null).
        return any(_bool(w, "true") == (value is None) for w in wanted)
    qualifier = ""
    if ":" in name:
        qualifier, _, name = name.partition(":")
    if_exists = name.endswith("ifexists")
    if if_exists:
        name = name[:-len("ifexists")]
    entry = _OPERATORS.get(name)
    if entry is None:
        return False  # an operator Dynoscale does not know matches nothing [inferred: safe side]
    match, negated = entry
    if value is None:
        return if_exists or negated or qualifier == "forallvalues"
    values = [str(v) for v in _as_list(value)]
    wanted_text = []
    for w in wanted:
        w = substitute(str(w), context) if isinstance(w, str) else str(w).lower()
        if w is not None:
            wanted_text.append(w)

    def one(v: str) -> bool:
        return any(match(w, v) for w in wanted_text)

    if qualifier == "forallvalues":
        hit = all(one(v) for v in values)
    elif qualifier == "foranyvalue":
        hit = any(one(v) for v in values)
    else:
        hit = any(one(v) for v in values)
    return not hit if negated else hit
