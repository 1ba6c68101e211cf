"""Order-preserving key bytes: DynamoDB key values -> bytes whose memcmp order is DynamoDB's order.

DynamoDB sorts S keys by UTF-8 bytes, B keys by unsigned bytes and N keys numerically
(DynamoDB Developer Guide, "Query": "sorted by sort key value ... UTF-8 bytes ... numerically").
A partition key and a sort key go into separate storage columns, so no separators are needed:
strings and binaries encode as their own bytes.

Numbers (at most 38 significant digits, magnitude 1E-130 .. 9.99..E+125, per the DynamoDB "Data
types" page) are written as a class byte (negative < zero < positive), an exponent byte and the
significant digits packed two per byte (centesimal). For negatives the exponent and the digit pairs
are complemented and a terminator larger than any pair is appended, so that a longer mantissa (a
larger magnitude) sorts first. Equal numbers ("1", "1.0", "10E-1") encode identically.
"""

from __future__ import annotations

from decimal import Decimal

_NEGATIVE, _ZERO, _POSITIVE = b"\x01", b"\x02", b"\x03"
_EXP_BIAS = 129          # decimal-point exponents lie in [-129, 126] -> bytes [0, 255]
_NEG_TERMINATOR = 0xFF   # larger than any complemented digit pair (0..99)


def number_parts(value: Decimal) -> tuple[int, str, int]:
    """(sign, digits, point) with value = sign * 0.digits * 10**point; digits carry no leading or
    trailing zeros. Zero is (0, "", 0)."""
    sign, digit_tuple, exponent = value.as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    if not digits:
        return 0, "", 0
    stripped = digits.rstrip("0")
    point = len(digits) + int(exponent)
    return (-1 if sign else 1), stripped, point


def encode_number(value: Decimal) -> bytes:
    sign, digits, point = number_parts(value)
    if sign == 0:
        return _ZERO
    if len(digits) % 2:
        digits += "0"
    pairs = [int(digits[i:i + 2]) for i in range(0, len(digits), 2)]
    exp_byte = point + _EXP_BIAS
    if not 0 <= exp_byte <= 255:
        raise ValueError(f"number out of DynamoDB range: {value}")
    if sign > 0:
        return _POSITIVE + bytes([exp_byte]) + bytes(pairs)
    return _NEGATIVE + bytes([255 - exp_byte]) + bytes(99 - p for p in pairs) + bytes([_NEG_TERMINATOR])


def encode_key_value(type_name: str, value) -> bytes:
    """Key bytes for one key attribute value: type `S` (str), `N` (Decimal or numeric text) or
    `B` (bytes)."""
    if type_name == "S":
        return value.encode("utf-8")
    if type_name == "B":
        return bytes(value)
    if type_name == "N":
        return encode_number(value if isinstance(value, Decimal) else Decimal(value))
    raise ValueError(f"not a key type: {type_name}")
