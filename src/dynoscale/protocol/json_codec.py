"""awsJson1_0 / awsJson1_1: JSON in, JSON out; the version is the model's `jsonVersion`.

Errors are `{"__type": "<namespace>#<Code>", "message": "..."}` (codec.ErrorDocument); every SDK
takes the code after the last `#`. A service declaring `body_crc32` adds `x-amz-crc32` (unsigned
CRC32 of the body) to every response, which botocore checks (botocore.retries / the
`crc32` check in botocore.handlers).
"""

from __future__ import annotations

import base64
import zlib
from typing import Any, Optional

import orjson
from botocore.model import OperationModel

from dynoscale.errors import AwsError
from dynoscale.protocol import models
from dynoscale.protocol.codec import Codec, ErrorDocument
from dynoscale.protocol.convert import to_python
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.errors import serialization
from dynoscale.protocol.wire import WireRequest, WireResponse


def _default(obj: Any) -> Any:
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(obj)).decode()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(type(obj).__name__)


def dumps(doc: Any) -> bytes:
    return orjson.dumps(doc, default=_default)


class JsonCodec(Codec):
    def __init__(self, declaration: ServiceDeclaration):
        super().__init__(declaration)
        version = models.service_model(declaration.name).metadata.get("jsonVersion", "1.0")
        self.content_type = f"application/x-amz-json-{version}"
        self.crc32 = declaration.body_crc32
        self.empty_body_rejected = declaration.empty_body_rejected
        self.server_header = declaration.server_header
        self.errors = ErrorDocument(declaration)

    def parse(self, op: OperationModel, req: WireRequest) -> dict[str, Any]:
        doc = self.decode(req)
        shape = op.input_shape
        return to_python(shape, doc) if shape is not None else {}

    def check_body(self, req: WireRequest) -> None:
        # A body that is not JSON is refused before the target and the signature are looked at,
        # an empty one only after them (dynalite index.js, recorded against DynamoDB: "the
        # serialization checks seem to be a bit out of sync").
        if req.body.strip():
            req.decoded = self.decode(req)  # parse reuses it: one JSON decode per request

    def decode(self, req: WireRequest) -> dict[str, Any]:
        """The body as a JSON object, untyped (SerializationException if it is not one)."""
        if req.decoded is not None:
            return req.decoded
        body = req.body
        if not body.strip():
            if self.empty_body_rejected:
                raise serialization()
            doc: Any = {}
        else:
            try:
                doc = orjson.loads(body)
            except orjson.JSONDecodeError:
                raise serialization() from None
        if not isinstance(doc, dict):
            raise serialization()
        return doc

    def response(self, op: OperationModel, output: Optional[dict[str, Any]], request_id: str) -> WireResponse:
        # An operation without output (DynamoDB TagResource, UntagResource) answers with an empty
        # body (scylladb Alternator test_manual_requests.py test_tags_return_empty_body, run
        # against DynamoDB; Smithy's awsJson1_0 protocol test for no output: an empty payload);
        # inferred: the Content-Type and x-amz-crc32 (0) stay, as on every other answer.
        body = dumps(output or {}) if op.output_shape is not None else b""
        return WireResponse(200, body, self.headers(body, request_id))

    def error(self, err: AwsError, request_id: str) -> WireResponse:
        body = dumps(self.errors.body(err))
        headers = self.headers(body, request_id)
        headers.extend(self.errors.headers(err))
        return WireResponse(err.status, body, headers)

    def headers(self, body: bytes, request_id: str) -> list[tuple[str, str]]:
        """The headers every answer with this body carries."""
        headers = [("content-type", self.content_type), ("x-amzn-requestid", request_id)]
        if self.server_header:
            headers.append(("server", self.server_header))
        if self.crc32:
            headers.append(("x-amz-crc32", str(zlib.crc32(body) & 0xFFFFFFFF)))
        return headers
