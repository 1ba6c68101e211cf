"""smithy-rpc-v2-cbor (CloudWatch's first protocol in current SDKs).

Requests: `POST /service/<ServiceShape>/operation/<Op>` with `smithy-protocol: rpc-v2-cbor` and a
CBOR map body. Responses: CBOR map; timestamps as tag 1 (epoch seconds); blobs as byte strings.
An operation without output answers with an empty body and no Content-Type.
Errors: `{"__type": "<namespace>#<Shape>", "message": ...}` (key spelled as the error shape spells
it, models.error_message_key) plus `x-amzn-query-error` for
query-compatible services (Smithy rpcv2Cbor spec; botocore parsers.RpcV2CBORParser).
"""

from __future__ import annotations

from typing import Any, Optional

import cbor2
from botocore.model import OperationModel, Shape

from dynoscale.errors import AwsError
from dynoscale.protocol import models
from dynoscale.protocol.convert import to_epoch, to_python
from dynoscale.protocol.errors import serialization
from dynoscale.protocol.json_codec import DEFAULT_NAMESPACE
from dynoscale.protocol.shapes import transform
from dynoscale.protocol.wire import WireRequest, WireResponse


def _scalar(shape: Shape, v: Any) -> Any:
    if shape.type_name == "timestamp":
        return cbor2.CBORTag(1, to_epoch(v))
    return v


def _untag(v: Any) -> Any:
    """Dates arrive as tag 1; cbor2 decodes them to datetimes, which to_python accepts."""
    return v


class CborCodec:
    content_type = "application/cbor"

    def __init__(self, service: str):
        self.service = service
        self.query_compatible = "awsQueryCompatible" in models.service_model(service).metadata

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
        type_name = models.error_shape_name(self.service, err.code)
        namespace = err.namespace or DEFAULT_NAMESPACE.get(self.service)
        doc: dict[str, Any] = {"__type": f"{namespace}#{type_name}" if namespace else type_name}
        if err.message is not None:
            doc[models.error_message_key(self.service, err.code, namespace)] = err.message
        doc.update(err.extra)
        headers = self._headers(request_id)
        if self.query_compatible:
            headers.append(("x-amzn-query-error", f"{err.code};{'Sender' if err.sender else 'Receiver'}"))
        headers.extend(err.headers.items())
        return WireResponse(err.status, cbor2.dumps(doc), headers)

    def _headers(self, request_id: str) -> list[tuple[str, str]]:
        return [("content-type", self.content_type), ("smithy-protocol", "rpc-v2-cbor"),
                ("x-amzn-requestid", request_id)]
