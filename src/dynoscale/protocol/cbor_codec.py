"""smithy-rpc-v2-cbor (CloudWatch's first protocol in current SDKs).

Requests: `POST /service/<ServiceShape>/operation/<Op>` with `smithy-protocol: rpc-v2-cbor` and a
CBOR map body. Responses: CBOR map; timestamps as tag 1 (epoch seconds); blobs as byte strings.
An operation without output answers with an empty body and no Content-Type.
Errors: `{"__type": "<namespace>#<Shape>", "message": ...}` plus `x-amzn-query-error` for
query-compatible services (codec.ErrorDocument; Smithy rpcv2Cbor spec; botocore
parsers.RpcV2CBORParser).
"""

from __future__ import annotations

from typing import Any, Optional

import cbor2
from botocore.model import OperationModel, Shape

from dynoscale.errors import AwsError
from dynoscale.protocol.codec import Codec, ErrorDocument
from dynoscale.protocol.convert import to_epoch, to_python
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.errors import serialization
from dynoscale.protocol.shapes import transform
from dynoscale.protocol.wire import WireRequest, WireResponse


def _scalar(shape: Shape, v: Any) -> Any:
    if shape.type_name == "timestamp":
        return cbor2.CBORTag(1, to_epoch(v))
    return v


class CborCodec(Codec):
    content_type = "application/cbor"

    def __init__(self, declaration: ServiceDeclaration):
        super().__init__(declaration)
        self.errors = ErrorDocument(declaration)

    def parse(self, op: OperationModel, req: WireRequest) -> dict[str, Any]:
        if not req.body:
            doc: Any = {}
        else:
            try:
                doc = cbor2.loads(req.body)
            except Exception:
                raise serialization() from None
        if not isinstance(doc, dict):
            raise serialization()
        shape = op.input_shape
        return to_python(shape, doc, binary_native=True) if shape is not None else {}

    def response(self, op: OperationModel, output: Optional[dict[str, Any]], request_id: str) -> WireResponse:
        shape = op.output_shape
        if shape is None:
            # Smithy rpcv2Cbor protocol test `no_output` (empty-input-output.smithy): an operation
            # without output (PutMetricData, SetAlarmState, ...) answers with an empty body and no
            # Content-Type; only `smithy-protocol` says what protocol it is.
            return WireResponse(200, b"", [("smithy-protocol", "rpc-v2-cbor"),
                                           ("x-amzn-requestid", request_id)])
        doc = transform(shape, output or {}, _scalar)
        return WireResponse(200, cbor2.dumps(doc), self._headers(request_id))

    def error(self, err: AwsError, request_id: str) -> WireResponse:
        headers = self._headers(request_id)
        headers.extend(self.errors.headers(err))
        return WireResponse(err.status, cbor2.dumps(self.errors.body(err)), headers)

    def _headers(self, request_id: str) -> list[tuple[str, str]]:
        return [("content-type", self.content_type), ("smithy-protocol", "rpc-v2-cbor"),
                ("x-amzn-requestid", request_id)]
