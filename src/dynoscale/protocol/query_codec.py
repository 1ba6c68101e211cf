"""AWS query protocol: form-encoded request (`Action=...&Version=...`), XML response.

Input: dotted keys (`Tags.member.1.Key`, `Attributes.entry.1.key`) are folded into a tree and
converted per shape. Output: `<OpResponse xmlns=...><OpResult>...</OpResult><ResponseMetadata>
<RequestId>...</RequestId></ResponseMetadata></OpResponse>`; lists as `<member>` elements,
maps as `<entry><key/><value/></entry>`, timestamps ISO-8601. Errors: `<ErrorResponse><Error>
<Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>` (botocore QueryParser).
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any, Optional
from xml.sax.saxutils import escape

from botocore.model import OperationModel, Shape

from dynoscale.errors import AwsError
from dynoscale.protocol import models
from dynoscale.protocol.codec import Codec
from dynoscale.protocol.convert import iso8601, to_epoch
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.wire import WireRequest, WireResponse

CONTENT_TYPE = "text/xml"


class _Malformed(Exception):
    """A form value that is not of its member's type: the service's validation error."""

    def __init__(self, path: str, value: str, what: str):
        super().__init__(f"1 validation error detected: Value '{value}' at '{path}' "
                         f"failed to satisfy constraint: Member must be {what}")


def fold(form: dict[str, str]) -> dict[str, Any]:
    """`{'A.member.1.B': 'x'}` -> `{'A': {'member': {'1': {'B': 'x'}}}}`."""
    tree: dict[str, Any] = {}
    for key, value in form.items():
        if key in ("Action", "Version"):
            continue
        node = tree
        parts = key.split(".")
        for p in parts[:-1]:
            nxt = node.get(p)
            if not isinstance(nxt, dict):
                nxt = node[p] = {}
            node = nxt
        if not isinstance(node.get(parts[-1]), dict):
            node[parts[-1]] = value
    return tree


def _indexed(node: Any) -> list[Any]:
    if not isinstance(node, dict):
        return []
    # ASCII decimal indices only ("²".isdigit() holds, int() refuses it), ordered by index
    # alone: "0" and "00" are the same index, and their values may not compare (a crasher of
    # reliability/fuzz_atheris.py query)
    items = [(int(k), v) for k, v in node.items() if k.isascii() and k.isdecimal()]
    return [v for _, v in sorted(items, key=_index)]


def _index(item: tuple[int, Any]) -> int:
    return item[0]


def to_python(shape: Shape, node: Any, path: str = "") -> Any:
    t = shape.type_name
    if t == "structure":
        if not isinstance(node, dict):
            return {}
        out = {}
        for name, member in shape.members.items():
            key = member.serialization.get("name", name)
            if key in node:
                sub = path + ("." if path else "") + name[:1].lower() + name[1:]
                out[name] = to_python(member, node[key], sub)
        return out
    if t == "list":
        if node == "":
            return []
        if not shape.serialization.get("flattened"):
            node = node.get(shape.member.serialization.get("name", "member"), {}) if isinstance(node, dict) else {}
        return [to_python(shape.member, v, path) for v in _indexed(node)]
    if t == "map":
        if not isinstance(node, dict):
            return {}
        entries = node if shape.serialization.get("flattened") else node.get("entry", {})
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        out = {}
        for e in _indexed(entries):
            if isinstance(e, dict) and kname in e:
                out[str(e[kname])] = to_python(shape.value, e.get(vname, ""), path)
        return out
    if isinstance(node, dict):
        return None
    if t == "string":
        return node
    if t in ("integer", "long"):
        try:
            return int(node)
        except ValueError:
            raise _Malformed(path, node, "a number") from None
    if t in ("double", "float"):
        try:
            return float(node)
        except ValueError:
            raise _Malformed(path, node, "a number") from None
    if t == "boolean":
        if node.lower() not in ("true", "false"):
            raise _Malformed(path, node, "a boolean")
        return node.lower() == "true"
    if t == "timestamp":
        try:
            return to_epoch(node)
        except AwsError:
            raise _Malformed(path, node, "a timestamp") from None
    if t == "blob":
        try:
            return base64.b64decode(node, validate=True)
        except (binascii.Error, ValueError):
            raise _Malformed(path, node, "base64 encoded") from None
    return node


def _scalar_text(shape: Shape, v: Any) -> str:
    t = shape.type_name
    if t == "boolean":
        return "true" if v else "false"
    if t == "timestamp":
        return iso8601(to_epoch(v))
    if t == "blob":
        return base64.b64encode(v).decode()
    if t in ("double", "float"):
        f = float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return repr(f)
    return escape(str(v))


def _xml(shape: Shape, value: Any, out: list[str]) -> None:
    t = shape.type_name
    if t == "structure":
        for name, member in shape.members.items():
            v = value.get(name)
            if v is None:
                continue
            tag = member.serialization.get("name", name)
            if member.type_name == "list" and member.serialization.get("flattened"):
                for item in v:
                    out.append(f"<{tag}>")
                    _xml(member.member, item, out)
                    out.append(f"</{tag}>")
                continue
            out.append(f"<{tag}>")
            _xml(member, v, out)
            out.append(f"</{tag}>")
    elif t == "list":
        tag = shape.member.serialization.get("name", "member")
        for item in value:
            out.append(f"<{tag}>")
            _xml(shape.member, item, out)
            out.append(f"</{tag}>")
    elif t == "map":
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        for k, v in value.items():
            out.append(f"<entry><{kname}>{escape(str(k))}</{kname}><{vname}>")
            _xml(shape.value, v, out)
            out.append(f"</{vname}></entry>")
    else:
        out.append(_scalar_text(shape, value))


class QueryCodec(Codec):
    content_type = CONTENT_TYPE

    def __init__(self, declaration: ServiceDeclaration):
        super().__init__(declaration)
        meta = models.service_model(declaration.name).metadata
        self.namespace = meta.get("xmlNamespace", "")

    def parse(self, op: OperationModel, req: WireRequest) -> dict[str, Any]:
        shape = op.input_shape
        if shape is None:
            return {}
        try:
            return to_python(shape, fold(req.form or {}))
        except _Malformed as bad:
            raise AwsError(self.declaration.validation_code, str(bad), 400) from None

    def response(self, op: OperationModel, output: Optional[dict[str, Any]], request_id: str) -> WireResponse:
        name = op.name
        out = [f'<{name}Response xmlns="{self.namespace}">']
        shape = op.output_shape
        if shape is not None:
            wrapper = shape.serialization.get("resultWrapper", f"{name}Result")
            out.append(f"<{wrapper}>")
            _xml(shape, output or {}, out)
            out.append(f"</{wrapper}>")
        out.append(f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
                   f"</{name}Response>")
        body = "".join(out).encode()
        return WireResponse(200, body, [("content-type", CONTENT_TYPE), ("x-amzn-requestid", request_id)])

    def error(self, err: AwsError, request_id: str) -> WireResponse:
        kind = "Sender" if err.sender else "Receiver"
        msg = f"<Message>{escape(err.message)}</Message>" if err.message is not None else ""
        extra = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in err.extra.items()
                        if not isinstance(v, (dict, list)))
        body = (f'<ErrorResponse xmlns="{self.namespace}"><Error><Type>{kind}</Type>'
                f"<Code>{escape(err.code)}</Code>{msg}{extra}</Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>").encode()
        headers = [("content-type", CONTENT_TYPE), ("x-amzn-requestid", request_id)]
        headers.extend(err.headers.items())
        return WireResponse(err.status, body, headers)
