"""Typed conversion of decoded request documents (JSON or CBOR) into Python values, per shape.

Type errors become SerializationException with Coral's wording (recorded by dynalite against
AWS, validations/index.js `checkTypes`). Members the model does not know are dropped, as AWS does;
`null` members are treated as absent.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
from typing import Any

from botocore.model import Shape

from dynoscale.protocol.errors import serialization

_JAVA = {"integer": "Integer", "long": "Long", "double": "Double", "float": "Float",
         "string": "String", "boolean": "Boolean", "blob": "Blob", "timestamp": "Date"}


def _java_number_class(v: Any) -> str:
    if isinstance(v, float) and not v.is_integer():
        return "java.lang.Double"
    v = int(v)
    if -32768 <= v <= 32767:
        return "java.lang.Short"
    if -2147483648 <= v <= 2147483647:
        return "java.lang.Integer"
    return "java.lang.Long"


def _container_error(v: Any):
    if isinstance(v, list):
        return serialization("Start of list found where not expected")
    return serialization("Start of structure or map found where not expected.")


def _scalar_error(v: Any, target: str):
    article = "a" if target == "Blob" else "an"
    if isinstance(v, bool):
        return serialization(f"class java.lang.Boolean can not be converted to {article} {target}")
    if isinstance(v, (int, float)):
        return serialization(f"class {_java_number_class(v)} can not be converted to {article} {target}")
    if isinstance(v, str):
        return serialization(f"class java.lang.String can not be converted to {article} {target}")
    return _container_error(v)


def to_python(shape: Shape, value: Any, *, binary_native: bool = False) -> Any:
    """Convert one decoded value. `binary_native`: blobs arrive as bytes (CBOR), not base64."""
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            if isinstance(value, (list, dict)):
                raise _container_error(value)
            raise serialization("Expected null")
        members = shape.members
        out = {}
        for k, v in value.items():
            m = members.get(k)
            if m is None or v is None:
                continue
            out[k] = to_python(m, v, binary_native=binary_native)
        return out
    if t == "list":
        if not isinstance(value, list):
            if isinstance(value, dict):
                raise _container_error(value)
            raise serialization("Expected list or null")
        member = shape.member
        return [to_python(member, v, binary_native=binary_native) for v in value if v is not None]
    if t == "map":
        if not isinstance(value, dict):
            if isinstance(value, list):
                raise _container_error(value)
            raise serialization("Expected map or null")
        vs = shape.value
        return {str(k): to_python(vs, v, binary_native=binary_native) for k, v in value.items()
                if v is not None}
    if t == "string":
        if isinstance(value, str):
            return value
        raise _scalar_error(value, "String")
    if t in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _scalar_error(value, _JAVA[t])
        if isinstance(value, float):
            if not math.isfinite(value):
                raise serialization()
            return math.floor(value)
        return value
    if t in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
                return float(value)
            raise _scalar_error(value, _JAVA[t])
        return float(value)
    if t == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            raise serialization(f"'{value.upper()}' can not be converted to an Boolean")
        if isinstance(value, (int, float)):
            raise serialization(f"class {_java_number_class(value)} can not be converted to an Boolean")
        raise _container_error(value)
    if t == "blob":
        if binary_native and isinstance(value, (bytes, bytearray)):
            return bytes(value)
        if not isinstance(value, str):
            raise _scalar_error(value, "Blob")
        return decode_base64(value)
    if t == "timestamp":
        return to_epoch(value)
    return value


def decode_base64(value: str) -> bytes:
    if len(value) % 4:
        raise serialization(f"'{value}' can not be converted to a Blob: Base64 encoded length is "
                            f"expected a multiple of 4 bytes but found: {len(value)}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        bad = next((c for c in value if not (c.isalnum() or c in "+/=")), None)
        if bad is not None:
            raise serialization(f"'{value}' can not be converted to a Blob: Invalid Base64 character: '{bad}'")
        raise serialization(f"'{value}' can not be converted to a Blob: "
                            "Invalid last non-pad Base64 character dectected")


def to_epoch(value: Any) -> float:
    """A timestamp as epoch seconds: accepts epoch numbers, ISO-8601 strings and datetimes."""
    if isinstance(value, bool):
        raise serialization("class java.lang.Boolean can not be converted to an Date")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.timestamp()
    if isinstance(value, str):
        s = value.strip()
        try:
            return float(s)
        except ValueError:
            pass
        try:
            d = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            raise serialization(f"Unable to parse date: {value}") from None
        if d.tzinfo is None:
            d = d.replace(tzinfo=dt.timezone.utc)
        return d.timestamp()
    raise _container_error(value)


def iso8601(epoch: float) -> str:
    """Query/XML timestamp form, e.g. 2017-03-09T19:36:50.175Z."""
    d = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"
