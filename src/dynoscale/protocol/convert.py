"""Typed conversion of decoded request documents (JSON or CBOR) into Python values, per shape.

Each shape compiles once into closures (`converter`). Type errors become SerializationException with Coral's wording (recorded by dynalite against
AWS, validations/index.js `checkTypes`). Members the model does not know are dropped, as AWS does;
`null` members are treated as absent.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import sys
from functools import lru_cache
from typing import Any, Callable

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


# The decoders bound a document's nesting (orjson refuses more than 1024 levels); converting a
# value and every later walk of it (item checks, sizes, evaluation) recurse a few Python frames
# per level, so the interpreter's limit must cover that bound or a deeply nested AttributeValue
# (legal JSON, refused later as too deep by the service) ends as a RecursionError and a 500.
RECURSION_LIMIT = 20_000


def allow_nesting() -> None:
    """Raise the interpreter's recursion limit to RECURSION_LIMIT (the server calls it once,
    before forking front processes, which inherit it)."""
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)


def to_python(shape: Shape, value: Any, *, binary_native: bool = False) -> Any:
    """Convert one decoded value. `binary_native`: blobs arrive as bytes (CBOR), not base64."""
    return converter(shape, binary_native)(value)


# Each shape compiles once into a converter closure (no per-request walk of botocore shapes).
@lru_cache(maxsize=4096)  # by shape object (botocore shapes hash by identity); keeps it alive
def converter(shape: Shape, binary_native: bool = False) -> Callable[[Any], Any]:
    return _Compiler(binary_native).compile(shape)


class _Compiler:
    def __init__(self, binary_native: bool):
        self.binary_native = binary_native
        self.cells: dict[str, list] = {}  # container shapes by name, for recursive models

    def compile(self, shape: Shape) -> Callable[[Any], Any]:
        t = shape.type_name
        if t in ("structure", "list", "map"):
            cell = self.cells.get(shape.name)
            if cell is not None:
                return lambda v: cell[0](v)
            cell = self.cells[shape.name] = [None]
            cell[0] = getattr(self, "_" + t)(shape)
            return cell[0]
        return getattr(self, "_" + t, _identity)(t)

    def _structure(self, shape: Shape):
        members = {}
        for name, member in shape.members.items():
            members[name] = self.compile(member)
        get = members.get

        def structure(value):
            if not isinstance(value, dict):
                if isinstance(value, list):
                    raise _container_error(value)
                raise serialization("Expected null")
            out = {}
            for k, v in value.items():
                m = get(k)
                if m is None or v is None:
                    continue
                out[k] = m(v)
            return out
        return structure

    def _list(self, shape: Shape):
        member = self.compile(shape.member)

        def list_(value):
            if not isinstance(value, list):
                if isinstance(value, dict):
                    raise _container_error(value)
                raise serialization("Expected list or null")
            return [member(v) for v in value if v is not None]
        return list_

    def _map(self, shape: Shape):
        vs = self.compile(shape.value)

        def map_(value):
            if not isinstance(value, dict):
                if isinstance(value, list):
                    raise _container_error(value)
                raise serialization("Expected map or null")
            return {str(k): vs(v) for k, v in value.items() if v is not None}
        return map_

    @staticmethod
    def _string(t: str):
        def string(value):
            if isinstance(value, str):
                return value
            raise _scalar_error(value, "String")
        return string

    @staticmethod
    def _integer(t: str):
        java = _JAVA[t]

        def integer(value):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise _scalar_error(value, java)
            if isinstance(value, float):
                if not math.isfinite(value):
                    raise serialization()
                return math.floor(value)
            return value
        return integer

    _long = _integer

    @staticmethod
    def _double(t: str):
        java = _JAVA[t]

        def double(value):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
                    return float(value)
                raise _scalar_error(value, java)
            return float(value)
        return double

    _float = _double

    @staticmethod
    def _boolean(t: str):
        def boolean(value):
            if isinstance(value, bool):
                return value
            if isinstance(value, str):
                raise serialization(f"'{value.upper()}' can not be converted to an Boolean")
            if isinstance(value, (int, float)):
                raise serialization(f"class {_java_number_class(value)} can not be converted to an Boolean")
            raise _container_error(value)
        return boolean

    def _blob(self, t: str):
        binary_native = self.binary_native

        def blob(value):
            if binary_native and isinstance(value, (bytes, bytearray)):
                return bytes(value)
            if not isinstance(value, str):
                raise _scalar_error(value, "Blob")
            return decode_base64(value)
        return blob

    @staticmethod
    def _timestamp(t: str):
        return to_epoch


def _identity(t: str):
    return lambda value: value


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
