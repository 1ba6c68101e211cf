"""AttributeValues: validation with AWS's messages, canonical numbers, item size, storage JSON.

An item arrives from the protocol layer as `{name: {"S": str} | {"N": str} | {"B": bytes} | ...}`.
Facts:
- messages and their order: dynalite validations/index.js `validateAttributeValue`/`checkNum`
  (recorded against live DynamoDB); empty strings/binaries are legal outside keys since 2020;
  dynoxide (conformance-tested, 2026) wraps the set families in the "1 validation error detected"
  envelope on PutItem (`enveloped=True` below);
- numbers: up to 38 significant digits, magnitude in [1E-130, 9.99..E+125], stored and returned in
  canonical form (no exponent, no redundant zeros) (DynamoDB "Data types");
- sizes: spec 1.1 (UTF-8 names and strings, dynoxide's number rule 1.1.5, L/M overhead 1.1.6, sets
  as plain sums 1.1.7); maximum item size 409,600 bytes (1.1.9);
- nesting deeper than 32 levels is rejected (dynoxide validation.rs, captured from AWS);
- an attribute name, top-level or a map key at any depth, is at most 65,535 UTF-8 bytes: 65,536
  answers `1 validation error detected: Attribute name is too large, must be less than 65536
  bytes` (measured against the service, ExtendDB/extenddb#365: PutItem top-level and nested names,
  UpdateItem `SET doc = :v` with the long key inside `:v`; scylladb test_limits.py::
  test_limit_attribute_length_nonkey_bad, run against AWS). The protocol layer leaves these names
  to this check (validation.py).
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal
from typing import Any

import orjson

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors
from dynoscale.storage.encoding import number_parts

MAX_ITEM_SIZE = 409_600
MAX_DEPTH = 32
MAX_NAME_BYTES = 65_535


class NameTooLarge(AwsError):
    """An attribute name over MAX_NAME_BYTES: reported as it is wherever the name sits (typed, so
    ExpressionAttributeValues can pass it on unwrapped)."""

    def __init__(self):
        super().__init__("ValidationException", "1 validation error detected: Attribute name is "
                         "too large, must be less than 65536 bytes", namespace=errors.VALIDATE)
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_ENVELOPE = "1 validation error detected: "
MAX_DIGITS = 38
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"


# -- numbers ---------------------------------------------------------------------------------------
def parse_number(text: str) -> Decimal:
    """The Decimal of a DynamoDB number, or the ValidationException AWS gives for it."""
    if not text:
        raise errors.validation("The parameter cannot be converted to a numeric value")
    if not _NUMBER.fullmatch(text):
        raise errors.validation(f"The parameter cannot be converted to a numeric value: {text}")
    value = Decimal(text)
    sign, digits, point = number_parts(value)
    if sign == 0:
        return Decimal(0)
    if point > 126:
        raise errors.validation(OVERFLOW)
    if point < -129:
        raise errors.validation("Number underflow. Attempting to store a number with magnitude "
                                "smaller than supported range")
    if len(digits) > MAX_DIGITS:
        raise errors.validation("Attempting to store more than 38 significant digits in a Number")
    return value


def canonical_number(value: Decimal) -> str:
    """`1.50` -> `1.5`, `1e2` -> `100`, `-0` -> `0`: the form DynamoDB stores and returns."""
    sign, digits, point = number_parts(value)
    if sign == 0:
        return "0"
    if point <= 0:
        text = "0." + "0" * -point + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits))
    else:
        text = digits[:point] + "." + digits[point:]
    return ("-" if sign < 0 else "") + text


def canonical_text(text: str) -> str:
    """canonical_number(parse_number(text)), with a fast path for the commonest numbers: plain
    integers of at most 38 digits (never out of range, never too precise)."""
    digits = text[1:] if text[:1] == "-" else text
    if 0 < len(digits) <= 38 and digits.isascii() and digits.isdigit():
        significant = digits.lstrip("0")
        if not significant:
            return "0"
        return "-" + significant if text[0] == "-" else significant
    return canonical_number(parse_number(text))


def number_size(text: str) -> int:
    """spec 1.1.5 (dynoxide rule): 1 + ceil(int digits/2) + ceil(fraction digits/2) + 1 if < 0."""
    if text.isascii() and text.isdigit():  # fast path: a plain non-negative integer
        significant = text.strip("0")       # leading and trailing zeros do not count
        return 1 + (len(significant) + 1) // 2 if significant else 1
    sign, digits, point = number_parts(Decimal(text))
    if sign == 0:
        return 1
    int_digits = min(len(digits), max(point, 0))
    frac_digits = len(digits) - int_digits
    return 1 + (int_digits + 1) // 2 + (frac_digits + 1) // 2 + (1 if sign < 0 else 0)


# -- validation ------------------------------------------------------------------------------------
def _set_error(message: str, enveloped: bool):
    return errors.validation((_ENVELOPE if enveloped else "") + message)


def _value_str(members: list) -> str:
    return "[" + ", ".join(base64.b64encode(m).decode() if isinstance(m, bytes) else str(m)
                           for m in members) + "]"


def check_value(value: dict, *, enveloped: bool = False, depth: int = 0) -> dict:
    """Validate one AttributeValue and return it with numbers in canonical form."""
    if depth >= MAX_DEPTH:
        raise errors.too_deeply_nested()
    if not value:
        raise errors.validation("Supplied AttributeValue is empty, must contain exactly one of the "
                                "supported datatypes")
    out = {}
    for type_name, v in value.items():
        out[type_name] = _check_typed(type_name, v, enveloped, depth)
    if len(value) > 1:
        raise errors.validation("Supplied AttributeValue has more than one datatypes set, must "
                                "contain exactly one of the supported datatypes")
    return out


def _check_typed(type_name: str, v: Any, enveloped: bool, depth: int) -> Any:
    if type_name == "N":
        return canonical_text(v)
    if type_name == "NULL":
        if not v:
            raise errors.invalid("Null attribute value types must have the value of true")
        return True
    if type_name == "SS":
        if not v:
            raise _set_error(errors.INVALID + "An string set  may not be empty", enveloped)
        if len(set(v)) != len(v):
            raise _set_error(errors.INVALID + f"Input collection {_value_str(v)} contains duplicates.",
                             enveloped)
        return list(v)
    if type_name == "NS":
        if not v:
            raise _set_error(errors.INVALID + "An number set  may not be empty", enveloped)
        numbers = [canonical_text(n) for n in v]
        if len(set(numbers)) != len(numbers):
            raise _set_error("Input collection contains duplicates", enveloped)
        return numbers
    if type_name == "BS":
        if not v:
            raise _set_error(errors.INVALID + "Binary sets should not be empty", enveloped)
        if len(set(v)) != len(v):
            raise _set_error(errors.INVALID + f"Input collection {_value_str(v)}of type BS contains "
                             "duplicates.", enveloped)
        return list(v)
    if type_name == "M":
        return {check_name(k): check_value(x, enveloped=enveloped, depth=depth + 1)
                for k, x in v.items()}
    if type_name == "L":
        return [check_value(x, enveloped=enveloped, depth=depth + 1) for x in v]
    return v  # S, B, BOOL: the protocol layer already checked their JSON types


def too_deep(item: dict) -> bool:
    """Whether an item an update built nests values more than MAX_DEPTH levels deep (a SET can
    deepen a stored document; the request's own values were checked by check_value). Walked
    without recursion; items without documents are answered at once."""
    stack = [(v, 0) for v in item.values() if "M" in v or "L" in v]
    while stack:
        value, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return True
        if "M" in value:
            stack.extend((x, depth + 1) for x in value["M"].values())
        elif "L" in value:
            stack.extend((x, depth + 1) for x in value["L"])
    return False


def check_name(name: str) -> str:
    """An attribute name (or map key) within AWS's 65,535 UTF-8 bytes; returned unchanged."""
    if len(name) * 4 > MAX_NAME_BYTES and len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise NameTooLarge()
    return name


def check_item(item: dict, *, enveloped: bool = False) -> dict:
    return {check_name(name): check_value(v, enveloped=enveloped) for name, v in item.items()}


# -- size ------------------------------------------------------------------------------------------
def value_size(value: dict) -> int:
    (type_name, v), = value.items()
    if type_name == "S":
        return len(v) if v.isascii() else len(v.encode("utf-8"))
    if type_name == "N":
        return number_size(v)
    if type_name == "B":
        return len(v)
    if type_name in ("BOOL", "NULL"):
        return 1
    if type_name == "SS":
        return sum(len(s.encode("utf-8")) for s in v)
    if type_name == "NS":
        return sum(number_size(n) for n in v)
    if type_name == "BS":
        return sum(len(b) for b in v)
    if type_name == "L":
        return 3 + sum(1 + value_size(x) for x in v)
    if type_name == "M":
        return 3 + sum(1 + len(k.encode("utf-8")) + value_size(x) for k, x in v.items())
    raise ValueError(type_name)


def item_size(item: dict) -> int:
    size = 0
    for name, v in item.items():
        size += len(name) if name.isascii() else len(name.encode("utf-8"))
        text = v.get("S")
        if text is not None and len(v) == 1:  # the common case, inlined
            size += len(text) if text.isascii() else len(text.encode("utf-8"))
        else:
            size += value_size(v)
    return size


# -- storage JSON (binary as base64, the DynamoDB-JSON wire form) ----------------------------------
def to_json(value: dict) -> dict:
    (type_name, v), = value.items()
    if type_name == "B":
        return {"B": base64.b64encode(v).decode()}
    if type_name == "BS":
        return {"BS": [base64.b64encode(b).decode() for b in v]}
    if type_name == "M":
        return {"M": {k: to_json(x) for k, x in v.items()}}
    if type_name == "L":
        return {"L": [to_json(x) for x in v]}
    return value


def from_json(value: dict) -> dict:
    (type_name, v), = value.items()
    if type_name == "B":
        return {"B": base64.b64decode(v)}
    if type_name == "BS":
        return {"BS": [base64.b64decode(b) for b in v]}
    if type_name == "M":
        return {"M": {k: from_json(x) for k, x in v.items()}}
    if type_name == "L":
        return {"L": [from_json(x) for x in v]}
    return value


def item_to_json(item: dict) -> dict:
    return {k: to_json(v) for k, v in item.items()}


def item_from_json(item: dict) -> dict:
    return {k: from_json(v) for k, v in item.items()}


# The attribute types whose stored JSON differs from the item: binary is stored as base64, and a
# map or list may hold binary. Nested values are reached only through a top-level M or L, so
# looking at each top-level attribute's one type tag is enough (and costs nothing per byte of a
# large string value, where scanning the stored bytes for these tags cost ~1 ms per 400 KB).
_CONVERTED_TYPES = frozenset(("B", "BS", "M", "L"))


def _base64(value: Any) -> str:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(type(value).__name__)


def item_to_stored(item: dict) -> bytes:
    """The stored bytes of an item: orjson.dumps(item_to_json(item)), with orjson itself walking
    the item and calling back only for the bytes of B and BS values."""
    return orjson.dumps(item, default=_base64)


def item_from_stored(raw: bytes) -> dict:
    """An item from its stored bytes (items.py): item_from_json(orjson.loads(raw)), skipping the
    conversion walk when the item holds no binary, map or list value."""
    doc = orjson.loads(raw)
    for value in doc.values():
        for type_name in value:   # an attribute value has exactly one type tag
            if type_name in _CONVERTED_TYPES:
                return item_from_json(doc)
    return doc
