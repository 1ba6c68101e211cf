"""What the server and the codecs need to know of a service's wire identity, declared once by the
service in its own package (`services/<package>/wire.py`). `server/` and `protocol/` read these
declarations and name no service themselves (tests/unit/test_architecture.py keeps it so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping, Optional

from dynoscale.protocol.overlay import Overlay


@dataclass(frozen=True)
class AuthErrors:
    """The codes a service answers signature and permission failures with under `--auth verify`
    / `enforce` (server/authenticate.py). The defaults are the query-protocol services' (IAM,
    STS and CloudWatch API references, Common Errors: InvalidClientTokenId,
    SignatureDoesNotMatch, IncompleteSignature, ExpiredToken, AccessDenied; all 403)."""
    unknown_key: str = "InvalidClientTokenId"
    bad_signature: str = "SignatureDoesNotMatch"
    incomplete: str = "IncompleteSignature"
    expired_token: str = "ExpiredToken"
    access_denied: str = "AccessDenied"
    status: int = 403


# Coral's JSON services (DynamoDB, DynamoDB Streams, Application Auto Scaling): 400 with
# `...Exception` codes (DynamoDB API Reference, Common Errors; scylladb Alternator's
# test_authorization.py recorded UnrecognizedClientException / InvalidSignatureException).
CORAL_AUTH_ERRORS = AuthErrors("UnrecognizedClientException", "InvalidSignatureException",
                               "IncompleteSignatureException", "ExpiredTokenException",
                               "AccessDeniedException", 400)


@dataclass(frozen=True)
class Cors:
    """How an endpoint answers cross-origin requests (a request with `Origin`): every answer
    carries `Access-Control-Allow-Origin: *` and `Access-Control-Expose-Headers`; a preflight
    (`OPTIONS` with `Origin`) is answered 200 with an empty body, the requested method and
    headers echoed as allowed, and `Access-Control-Max-Age`."""
    expose_headers: tuple[str, ...]
    max_age: int


@dataclass(frozen=True, eq=False)
class ServiceDeclaration:
    """name:            botocore model name (`botocore/data/<name>/<api_version>/service-2.json`);
                        also the name the service's handlers are registered under.
    api_version:       the model's `metadata.apiVersion` (a test checks the installed model).
    signing_names:     SigV4 credential-scope service names that mean this service.

    How requests are recognised, one per protocol the service speaks (None: not spoken):
    json_target:       awsJson `X-Amz-Target: <json_target>.<Operation>`.
    cbor_service:      rpc-v2-cbor `POST /service/<cbor_service>/operation/<Operation>`.
    query_version:     query protocol form `Version=<query_version>&Action=<Operation>`.

    How answers look:
    error_namespace:   the namespace before `#` in an awsJson / CBOR `__type` when the error
                       names none (None: the bare code).
    validation_code:   the error code of a model constraint violation.
    validation_namespace: its `__type` namespace, when it differs from error_namespace.
    auth_status / auth_namespace: HTTP status and `__type` namespace of a request without a
                       signature (MissingAuthenticationToken).
    request_ids:       "coral": 52 upper-case alphanumerics; "uuid": UUID-shaped.
    body_crc32:        responses carry `x-amz-crc32`, the CRC32 of the body, which SDKs check.
    empty_body_rejected: an empty awsJson body is a SerializationException (not `{}`).
    answers_unrouted:  the service that answers requests no declaration recognises.
    validation:        the service's own server-side validation rules (protocol/overlay.py).
    auth_errors:       codes and status of signature / permission failures (AuthErrors).
    internal_error:    (code, message) of the service's own failure: the request was decoded
                       and routed, then the service failed or its commit did (a full disk);
                       HTTP 500, in error_namespace. None: the front end's InternalFailure.
    body_limits:       operation -> the most bytes its body may have as sent (compressed, when
                       it is): a larger one is 413 RequestEntityTooLarge, before the signature
                       is looked at (the endpoint's own 16 MB limit applies to every request).

    How the endpoint around the service answers (HTTP level):
    server_header:     the `Server` header of every answer (None: none sent).
    compress_min:      with `Accept-Encoding: gzip` or `deflate`, response bodies of at least this
                       many bytes are compressed (None: never); `x-amz-crc32` covers the
                       compressed bytes.
    health_check:      the answer to `GET /` ("{region}" is replaced), from the catch-all service.
    cors:              the CORS answers of the endpoint (server/cors.py), from the catch-all
                       service: one endpoint serves every service, and a preflight names none.
    """
    name: str
    api_version: str
    signing_names: tuple[str, ...]
    json_target: Optional[str] = None
    cbor_service: Optional[str] = None
    query_version: Optional[str] = None
    error_namespace: Optional[str] = None
    validation_code: str = "ValidationException"
    validation_namespace: Optional[str] = None
    auth_status: int = 403
    auth_namespace: Optional[str] = None
    request_ids: Literal["coral", "uuid"] = "uuid"
    body_crc32: bool = False
    empty_body_rejected: bool = False
    answers_unrouted: bool = False
    validation: Overlay = Overlay()
    auth_errors: AuthErrors = AuthErrors()
    internal_error: Optional[tuple[str, str]] = None
    body_limits: Mapping[str, int] = field(default_factory=dict)
    server_header: Optional[str] = None
    compress_min: Optional[int] = None
    health_check: Optional[str] = None
    cors: Optional["Cors"] = None

    @property
    def protocols(self) -> tuple[str, ...]:
        return tuple(p for p, recognised in (("json", self.json_target), ("cbor", self.cbor_service),
                                             ("query", self.query_version)) if recognised)
