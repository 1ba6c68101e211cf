"""The fixed sequence of steps for one AWS call:

signature scope -> route -> request id -> codec -> body decodable (Content-Encoding) -> body
readable -> operation lookup -> signature present and well-formed -> parse (types) -> model
validation -> handler -> serialize (compressed when the client accepts it and the service's
declaration says so); any AwsError is rendered by the request's codec, and anything else becomes
InternalFailure with a logged traceback (never a leaked traceback).
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import logging
import os
import zlib
from typing import Any, Callable, Optional, Sequence

from dynoscale.context import Caller, Usage
from dynoscale.errors import AwsError, internal_failure
from dynoscale.protocol import models, validate
from dynoscale.protocol.cbor_codec import CborCodec
from dynoscale.protocol.codec import Codec
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.errors import invalid_action, missing_action, unknown_operation
from dynoscale.protocol.json_codec import JsonCodec
from dynoscale.protocol.query_codec import QueryCodec
from dynoscale.protocol.wire import WireRequest, WireResponse
from dynoscale.server import encoding, request_log, sigv4
from dynoscale.server.routing import Route, Router
from dynoscale.storage.interface import StorageFault

log = logging.getLogger("dynoscale.server")

CODECS = {"json": JsonCodec, "cbor": CborCodec, "query": QueryCodec}


class RequestIds:
    """Unique request ids without per-request randomness: a random prefix drawn once per process
    (so ids stay unique across restarts) followed by a counter. "coral" ids are 52 upper-case
    alphanumerics (DynamoDB's, as dynalite records from AWS): 26 base32 characters + 26 hex
    digits. "uuid" ids are UUID-shaped: 20 random hex digits + a 12-digit hex counter."""

    def __init__(self) -> None:
        self._coral = base64.b32encode(os.urandom(20)).decode()[:26]
        hex_prefix = os.urandom(10).hex()
        self._uuid = f"{hex_prefix[:8]}-{hex_prefix[8:12]}-{hex_prefix[12:16]}-{hex_prefix[16:20]}-"
        self._next = itertools.count(1).__next__

    def __call__(self, declaration: ServiceDeclaration) -> str:
        if declaration.request_ids == "coral":
            return f"{self._coral}{self._next():026X}"
        return f"{self._uuid}{self._next():012x}"


def own_failure(declaration: ServiceDeclaration) -> AwsError:
    """What a service answers when it failed, or its commit did, after the request was routed:
    its own error (ServiceDeclaration.internal_error), else InternalFailure."""
    return internal_failure(declaration.internal_error)


class Call:
    """A validated AWS call, ready for its handler."""
    __slots__ = ("service", "operation", "caller", "params", "codec", "op_model", "rid", "claim",
                 "coding")

    def __init__(self, service: str, operation: str, caller: Caller, params: dict, codec: Codec,
                 op_model, rid: str, claim=None, coding: Optional[str] = None):
        self.claim = claim  # a signature a --workers front could not settle (authenticate.py)
        self.service = service
        self.operation = operation
        self.caller = caller
        self.params = params
        self.codec = codec
        self.op_model = op_model
        self.rid = rid
        self.coding = coding  # the content coding the answer may be sent in (None: identity)


class Pipeline:
    """declarations: every service's wire identity; services: model name -> Service (empty in a
    front process, which runs no handler)."""

    def __init__(self, declarations: Sequence[ServiceDeclaration], services: dict[str, Any],
                 account_id: str, default_region: str, authenticate: Optional[Callable] = None,
                 authorize: Optional[Callable] = None):
        self.router = Router(declarations)
        # --auth verify/enforce (server/authenticate.py; the composition root's auth.py): who
        # signed the request, then whether their policies allow the call. None: `--auth none`.
        self.authenticate = authenticate
        self.authorize = authorize
        self.declarations = {d.name: d for d in declarations}
        self.services = services
        self.account_id = account_id
        self.default_region = default_region
        catch_all = self.router.catch_all
        self.health = (catch_all.health_check.format(region=default_region).encode()
                       if catch_all is not None and catch_all.health_check else None)
        self._codecs: dict[tuple[str, str], Codec] = {}
        self._request_id = RequestIds()
        # --log-level info: one line per request (request_log.py); None otherwise, so the
        # request path below pays one attribute test for it.
        self.request_log = request_log.enabled()
        self._refused: Optional[tuple[str, str, str]] = None  # set only while the log is on

    def logged(self, call: "Call") -> "Call":
        """The call with a Usage on its caller, for the domain to report consumption to."""
        call.caller = dataclasses.replace(call.caller, usage=Usage())
        return call

    def log_refused(self, response: WireResponse, started: float) -> None:
        """The log line of a request answered before its handler (routing, validation)."""
        service, operation, error = self._refused or ("", "", None)
        self._refused = None
        self.request_log.line(service, operation, None, None, response.status, error, started)

    def codec(self, service: ServiceDeclaration, protocol: str) -> Codec:
        key = (service.name, protocol)
        codec = self._codecs.get(key)
        if codec is None:
            codec = self._codecs[key] = CODECS[protocol](service)
        return codec

    def handle(self, req: WireRequest, endpoint: str) -> WireResponse:
        if self.request_log is not None:
            return self._handle_logged(req, endpoint)
        call = self.prepare(req, endpoint)
        if call.__class__ is not Call:
            return call
        try:
            output = self.run(call.service, call.operation, call.caller, call.params, call.claim)
        except AwsError as err:
            return call.codec.error(err, call.rid)
        except StorageFault as e:  # locked by another process, disk full: one line
            log.error("storage failed in %s.%s (%s)", call.service, call.operation, e)
            return call.codec.error(own_failure(call.codec.declaration), call.rid)
        except Exception:
            log.exception("internal failure in %s.%s", call.service, call.operation)
            return call.codec.error(own_failure(call.codec.declaration), call.rid)
        return self.finish(call, output)

    def _handle_logged(self, req: WireRequest, endpoint: str) -> WireResponse:
        """`handle`, writing the request's log line."""
        started = self.request_log.start()
        call = self.prepare(req, endpoint)
        if call.__class__ is not Call:
            self.log_refused(call, started)
            return call
        call = self.logged(call)
        status, error = 200, None
        try:
            output = self.run(call.service, call.operation, call.caller, call.params, call.claim)
            response = self.finish(call, output)
            status = response.status
        except AwsError as err:
            status, error = err.status, err.code
            response = call.codec.error(err, call.rid)
        except Exception as e:
            if isinstance(e, StorageFault):  # locked by another process, disk full: one line
                log.error("storage failed in %s.%s (%s)", call.service, call.operation, e)
            else:
                log.exception("internal failure in %s.%s", call.service, call.operation)
            failure = own_failure(call.codec.declaration)
            status, error = 500, failure.code
            response = call.codec.error(failure, call.rid)
        self.request_log.line(call.service, call.operation, call.params, call.caller.usage,
                              status, error, started)
        return response

    # The three stages. `prepare` and `finish` depend on nothing but the request and the models,
    # so with --workers they run in front processes; `run` needs the services and their state,
    # so it runs only in the process that owns them (server/workers.py).
    def prepare(self, req: WireRequest, endpoint: str) -> "Call | WireResponse":
        """Route, decode, check the signature's presence and validate against the model: a
        validated `Call`, or the response when the request ends here (errors)."""
        sig = sigv4.parse(req.headers, req.form, req.query)
        cred = sig if sig.__class__ is sigv4.Credential else None
        r = self.router.route(req.method, req.path, req.headers, req.form,
                              cred.service if cred else None)
        if r is None:
            return self._unroutable(req, cred)
        rid = self._request_id(r.service)
        codec = self.codec(r.service, r.protocol)
        try:
            return self._prepare(r, codec, req, sig, rid, endpoint)
        except AwsError as err:
            if self.request_log is not None:
                self._refused = (r.service.name, r.operation, err.code)
            return codec.error(err, rid)
        except Exception:
            log.exception("internal failure in %s.%s", r.service.name, r.operation)
            if self.request_log is not None:
                self._refused = (r.service.name, r.operation, "InternalFailure")
            return codec.error(internal_failure(), rid)

    def _prepare(self, r: Route, codec: Codec, req: WireRequest, sig: sigv4.Signature,
                 rid: str, endpoint: str) -> "Call":
        service = r.service
        if req.undecodable:
            # DynamoDB answers a body its Content-Encoding does not decode with HTTP 500
            # (server/encoding.py); inferred: before anything else is looked at, as the front
            # end must decode a body before reading it, and for every service.
            raise internal_failure()
        # AWS reports a body that is not JSON before an unknown target and a missing or
        # malformed signature (dynalite index.js, recorded against DynamoDB).
        codec.check_body(req)
        op_model = models.operation(service.name, r.operation) if r.operation else None
        if op_model is None:
            if r.protocol == "query":
                if not r.operation:
                    raise missing_action()
                raise invalid_action(r.operation, (req.form or {}).get("Version", ""))
            raise unknown_operation()
        limit = service.body_limits.get(r.operation) if service.body_limits else None
        if limit is not None:
            _check_size(req, limit)
        if sig.__class__ is not sigv4.Credential:
            if sig is not None and self.authenticate is not None:
                self.authenticate.check_date(service, req)  # an expired date is said first
            raise self._unsigned(service, r.protocol, sig)
        cred = sig
        principal = claim = None
        if self.authenticate is not None:
            claim = self.authenticate.claim(service, req)
            if self.authenticate.lookup is not None:  # the keys are here: settle it now
                principal, claim = self.authenticate.settle(service, claim), None
        params = codec.parse(op_model, req)
        if op_model.input_shape is not None:
            errors = validate.collect(op_model.input_shape, params, service.validation)
            if errors:
                raise AwsError(service.validation_code, validate.message(errors), 400)
        account = principal.account_id if principal else self.account_for(cred.access_key)
        caller = Caller(account, cred.region or self.default_region, rid,
                        cred.access_key or None, None, endpoint, principal)
        coding = None
        if service.compress_min is not None:
            accept = req.headers.get("accept-encoding")
            if accept:
                coding = encoding.negotiate(accept)
        return Call(service.name, r.operation, caller, params, codec, op_model, rid, claim, coding)

    @staticmethod
    def _unsigned(service: ServiceDeclaration, protocol: str,
                  problem: Optional[sigv4.SignatureProblem]) -> AwsError:
        """The error for a request without a signature (problem None) or with a malformed one:
        awsJson codes end in `Exception` (Coral's), query codes do not. Inferred for services
        other than DynamoDB: IncompleteSignature and InvalidSignature are 400 (IncompleteSignature
        is 400 in AWS's Common Errors; InvalidSignatureException is 400 on DynamoDB)."""
        suffix = "Exception" if protocol == "json" else ""
        if problem is None:
            return AwsError("MissingAuthenticationToken" + suffix,
                            "Request is missing Authentication Token", service.auth_status,
                            namespace=service.auth_namespace)
        code = "IncompleteSignature" if problem.incomplete else "InvalidSignature"
        return AwsError(code + suffix, problem.message, 400, namespace=service.auth_namespace)

    def run(self, service: str, operation: str, caller: Caller, params: dict,
            claim=None) -> Any:
        """The operation's handler (raises AwsError). `claim`: a signature to settle first
        (a --workers front's call)."""
        if claim is not None:
            principal = self.authenticate.settle(self.declarations[service], claim)
            caller = dataclasses.replace(caller, account_id=principal.account_id,
                                         principal=principal)
        svc = self.services.get(service)
        handler = svc.operations.get(operation) if svc else None
        if handler is None:
            raise AwsError("NotImplemented", f"Dynoscale does not implement {operation} yet.", 501,
                           sender=False)
        if self.authorize is not None and caller.principal is not None:
            self.authorize(service, operation, caller, params)  # raises AccessDenied
        return handler(caller, params)

    def finish(self, call: "Call", output: Any) -> WireResponse:
        """The handler's output on the wire."""
        try:
            resp = call.codec.response(call.op_model, output, call.rid)
        except Exception:
            log.exception("internal failure rendering %s.%s", call.service, call.operation)
            return call.codec.error(internal_failure(), call.rid)
        if call.coding is not None and len(resp.body) >= call.codec.declaration.compress_min:
            return compressed(resp, call.coding, call.codec.declaration.body_crc32)
        return resp

    def preflight(self, headers: list[tuple[str, str]]) -> WireResponse:
        """The answer to a CORS preflight (server/cors.py): 200, an empty body, the CORS
        headers and a request id in the catch-all service's style (dynalite test/connection.js,
        recorded against DynamoDB: no Content-Type, Content-Length 0)."""
        service = self.router.catch_all
        out = [("x-amzn-requestid", self._request_id(service))] if service is not None else []
        if service is not None and service.server_header:
            out.append(("server", service.server_header))
        return WireResponse(200, b"", out + headers)

    def account_for(self, access_key: str) -> str:
        # As LocalStack does: a 12-digit access key id names the account, so tests can use
        # several accounts; any other key acts in the server's account.
        if len(access_key) == 12 and access_key.isdigit():
            return access_key
        return self.account_id

    def failure(self, req: WireRequest) -> WireResponse:
        """HTTP 500 for `req`, in its protocol: the answer when the request's own cannot be sent
        (its group commit failed, server/http.py), the service's own failure (own_failure).
        Unroutable: the catch-all service's awsJson InternalFailure, else a bare 500."""
        sig = sigv4.parse(req.headers, req.form, req.query)
        cred = sig if sig.__class__ is sigv4.Credential else None
        r = self.router.route(req.method, req.path, req.headers, req.form,
                              cred.service if cred else None)
        if r is not None:
            return self.codec(r.service, r.protocol).error(own_failure(r.service),
                                                           self._request_id(r.service))
        service = self.router.catch_all
        if service is None or not service.json_target:
            return WireResponse(500, b"", [])
        return self.codec(service, "json").error(internal_failure(), self._request_id(service))

    def _unroutable(self, req: WireRequest, cred: Optional[sigv4.Credential]) -> WireResponse:
        # dynalite (recorded against DynamoDB): a non-POST or non-JSON request gets a bare 404
        # `<UnknownOperationException/>`; a JSON request without a known target gets a 400
        # UnknownOperationException; a form without a known Action a MissingAction.
        ctype = req.headers.get("content-type", "")
        router = self.router
        if (self.health is not None and req.method in ("GET", "HEAD") and req.path == "/"
                and not req.query):
            return self._health()
        signer = router.signer(cred.service if cred else None)
        if req.method == "POST" and "json" in ctype and signer is not None and signer.json_target:
            codec = self.codec(signer, "json")
            rid = self._request_id(signer)
            try:
                if req.undecodable:
                    raise internal_failure()
                codec.check_body(req)  # a body that is not JSON first (dynalite index.js)
            except AwsError as err:
                return codec.error(err, rid)
            return codec.error(unknown_operation(), rid)
        if req.method == "POST" and ctype.startswith("application/x-www-form-urlencoded"):
            service = signer if signer is not None and signer.query_version else router.first_query
            if service is not None:
                return self.codec(service, "query").error(missing_action(), self._request_id(service))
        service = router.catch_all
        if service is None or not service.json_target:
            return WireResponse(404, b"", [])
        codec = self.codec(service, "json")
        assert isinstance(codec, JsonCodec)
        body = b"<UnknownOperationException/>\n"
        return WireResponse(404, body, codec.headers(body, self._request_id(service)))

    def _health(self) -> WireResponse:
        """DynamoDB's health check: `GET /` answers 200 `healthy: dynamodb.<region>.amazonaws.com `
        (dynalite test/connection.js, recorded against AWS: Content-Length, x-amz-crc32 and a
        request id; no Content-Type, as dynalite sends none)."""
        service = self.router.catch_all
        body = self.health
        headers = [("x-amzn-requestid", self._request_id(service))]
        if service.server_header:
            headers.append(("server", service.server_header))
        if service.body_crc32:
            headers.append(("x-amz-crc32", str(zlib.crc32(body) & 0xFFFFFFFF)))
        return WireResponse(200, body, headers)


def compressed(resp: WireResponse, coding: str, crc32: bool) -> WireResponse:
    """`resp` with its body in `coding`: Content-Encoding says so, and x-amz-crc32 covers the
    bytes sent, the compressed ones (the AWS SDK for Go v2's DynamoDB customizations; botocore
    checks the body as read with decode_content=False)."""
    body = encoding.compress(coding, resp.body)
    headers = [h for h in resp.headers if h[0] != "x-amz-crc32"]
    headers.append(("content-encoding", coding))
    if crc32:
        headers.append(("x-amz-crc32", str(zlib.crc32(body) & 0xFFFFFFFF)))
    return WireResponse(resp.status, body, headers)


def _check_size(req: WireRequest, limit: int) -> None:
    """An operation's own body limit (ServiceDeclaration.body_limits; the declaring service
    cites AWS's text): 413 RequestEntityTooLarge "Request size N exceeded L bytes", counted on
    the body as sent (compressed, when it is), checked before the signature as the endpoint's own
    16 MB limit is (inferred: a front end reads the body before it can hash it)."""
    size = len(req.raw_body if req.raw_body is not None else req.body)
    if size > limit:
        raise AwsError("RequestEntityTooLarge", f"Request size {size} exceeded {limit} bytes", 413)
