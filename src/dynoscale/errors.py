"""AwsError: the one error type operations raise. It knows no wire format.

The codec of the request's protocol renders it: `__type` for awsJson, `<ErrorResponse>` for query,
CBOR `__type` for rpc-v2-cbor, plus `x-amzn-query-error` for query-compatible services.
"""

from __future__ import annotations

from typing import Any, Optional


class AwsError(Exception):
    """An error AWS would return.

    code:      the error code (`ValidationException`, `NoSuchEntity`, ...).
    message:   the exact AWS message text (None when AWS sends none).
    status:    HTTP status.
    sender:    True for client faults (`Sender`), False for server faults (`Receiver`).
    namespace: for awsJson `__type` values that carry one, e.g.
               `com.amazonaws.dynamodb.v20120810` or `com.amazon.coral.validate`.
               None lets the codec pick the service default.
    extra:     further members of the error shape (e.g. `Item`, `CancellationReasons`).
    headers:   extra response headers.
    """

    def __init__(self, code: str, message: Optional[str] = None, status: int = 400, *,
                 sender: bool = True, namespace: Optional[str] = None,
                 extra: Optional[dict[str, Any]] = None,
                 headers: Optional[dict[str, str]] = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender
        self.namespace = namespace
        self.extra = extra or {}
        self.headers = headers or {}

    def __reduce__(self):
        # Pickled between processes with --workers (server/workers.py); Exception's default
        # would rebuild it from the formatted text alone.
        return (_rebuild, (self.code, self.message, self.status, self.sender, self.namespace,
                           self.extra, self.headers))


def _rebuild(code, message, status, sender, namespace, extra, headers) -> AwsError:
    return AwsError(code, message, status, sender=sender, namespace=namespace, extra=extra,
                    headers=headers)


def internal_failure(own: Optional[tuple[str, str]] = None) -> AwsError:
    """HTTP 500: the front end's InternalFailure, or `own`, the (code, message) a service answers
    its own failures with (ServiceDeclaration.internal_error)."""
    if own is not None:
        return AwsError(own[0], own[1], 500, sender=False)
    return AwsError("InternalFailure", "The request processing has failed because of an unknown error, "
                    "exception or failure.", 500, sender=False)
