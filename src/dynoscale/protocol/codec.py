"""The one interface every protocol codec offers the pipeline, and the error document shared by the
two protocols that answer errors as `{"__type": ..., "message": ...}` (awsJson and rpc-v2-cbor)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Optional

from botocore.model import OperationModel

from dynoscale.errors import AwsError
from dynoscale.protocol import models
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.wire import WireRequest, WireResponse


class Codec(ABC):
    """Reads requests and writes answers of one protocol for one service."""

    def __init__(self, declaration: ServiceDeclaration):
        self.declaration = declaration
        self.service = declaration.name

    def check_body(self, req: WireRequest) -> None:
        """Raise the protocol's error for a body it cannot read at all. Called before the
        signature's presence is checked, where AWS reports an unreadable body first; protocols
        that do not (or read nothing but a form) keep this no-op."""

    @abstractmethod
    def parse(self, op: OperationModel, req: WireRequest) -> dict[str, Any]:
        """The request's input, typed per the operation's input shape (raises AwsError)."""

    @abstractmethod
    def response(self, op: OperationModel, output: Optional[dict[str, Any]],
                 request_id: str) -> WireResponse:
        """A handler's output on the wire."""

    @abstractmethod
    def error(self, err: AwsError, request_id: str) -> WireResponse:
        """An AwsError on the wire."""


class ErrorDocument:
    """How awsJson and rpc-v2-cbor spell an error: `__type` is `<namespace>#<name>` and the text
    sits under the key the error shape spells (models.error_message_key). The name is the code,
    or for awsQueryCompatible services the model's shape name (CloudWatch: code `LimitExceeded`,
    shape `LimitExceededFault`), whose errors also carry `x-amzn-query-error: <Code>;<Sender|
    Receiver>` (Smithy awsQueryCompatible trait; botocore parsers read either)."""

    def __init__(self, declaration: ServiceDeclaration):
        self.declaration = declaration
        self.query_compatible = "awsQueryCompatible" in models.service_model(declaration.name).metadata

    def body(self, err: AwsError) -> dict[str, Any]:
        d = self.declaration
        code = err.code
        type_name = models.error_shape_name(d.name, code) if self.query_compatible else code
        namespace = err.namespace
        if namespace is None and code == d.validation_code:
            namespace = d.validation_namespace
        namespace = namespace or d.error_namespace
        doc: dict[str, Any] = {"__type": f"{namespace}#{type_name}" if namespace else type_name}
        if err.message is not None:
            doc[models.error_message_key(d.name, code, namespace)] = err.message
        doc.update(err.extra)
        return doc

    def headers(self, err: AwsError) -> list[tuple[str, str]]:
        headers = []
        if self.query_compatible:
            headers.append(("x-amzn-query-error", f"{err.code};{'Sender' if err.sender else 'Receiver'}"))
        headers.extend(err.headers.items())
        return headers
