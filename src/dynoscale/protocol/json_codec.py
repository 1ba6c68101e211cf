"""awsJson1_0 / awsJson1_1: JSON in, JSON out (DynamoDB, Application Auto Scaling, CloudWatch).

Errors are `{"__type": "<namespace>#<Code>", "message": "..."}` (`Message` where the model's
error shape spells it so, see models.error_message_key); every SDK takes the code after the last
`#`. DynamoDB responses carry `x-amz-crc32` (unsigned CRC32 of the body), which botocore
checks. CloudWatch is awsQueryCompatible: its errors also carry `x-amzn-query-error: Code;Sender`.
"""

from __future__ import annotations

import base64
import zlib
from typing import Any, Optional

import orjson
from botocore.model import OperationModel

from dynoscale.errors import AwsError
from dynoscale.protocol import models
from dynoscale.protocol.convert import to_python
from dynoscale.protocol.errors import serialization
from dynoscale.protocol.wire import WireRequest, WireResponse

# The namespace AWS puts before the code in `__type`, per service, when the error names none.
DEFAULT_NAMESPACE = {
    "dynamodb": "com.amazonaws.dynamodb.v20120810",
    "cloudwatch": "com.amazonaws.cloudwatch",
}


def _default(obj: Any) -> Any:
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(obj)).decode()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(type(obj).__name__)


def dumps(doc: Any) -> bytes:
    return orjson.dumps(doc, default=_default)


class JsonCodec:
    def __init__(self, service: str, version: str):
        self.service = service
        self.content_type = f"application/x-amz-json-{version}"
        self.crc32 = service == "dynamodb"
        self.query_compatible = "awsQueryCompatible" in models.service_model(service).metadata

    def parse(self, op: OperationModel, req: WireRequest) -> dict[str, Any]:
        doc = self.decode(req)
        shape = op.input_shape
        return to_python(shape, doc) if shape is not None else {}

    def decode(self, req: WireRequest) -> dict[str, Any]:
        """The body as a JSON object, untyped (SerializationException if it is not one)."""
        body = req.body
        if not body.strip():
            # dynalite (recorded against AWS): an empty DynamoDB body is a SerializationException.
            if self.service == "dynamodb":
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
        body = dumps(output or {})
        return WireResponse(200, body, self._headers(body, request_id))

    def error(self, err: AwsError, request_id: str) -> WireResponse:
        code = err.code
        if self.query_compatible:
            type_name = models.error_shape_name(self.service, code)
        else:
            type_name = code
        namespace = err.namespace
        if namespace is None and err.code == "ValidationException" and self.service == "dynamodb":
            namespace = "com.amazon.coral.validate"
        namespace = namespace or DEFAULT_NAMESPACE.get(self.service)
        doc: dict[str, Any] = {"__type": f"{namespace}#{type_name}" if namespace else type_name}
        if err.message is not None:
            doc[models.error_message_key(self.service, code, namespace)] = err.message
        doc.update(err.extra)
        body = dumps(doc)
        headers = self._headers(body, request_id)
        if self.query_compatible:
            headers.append(("x-amzn-query-error", f"{code};{'Sender' if err.sender else 'Receiver'}"))
        headers.extend(err.headers.items())
        return WireResponse(err.status, body, headers)

    def _headers(self, body: bytes, request_id: str) -> list[tuple[str, str]]:
        headers = [("content-type", self.content_type), ("x-amzn-requestid", request_id)]
        if self.crc32:
            headers.append(("x-amz-crc32", str(zlib.crc32(body) & 0xFFFFFFFF)))
        return headers
