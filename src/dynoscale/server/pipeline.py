"""The fixed sequence of steps for one AWS call:

route -> request id -> codec -> credential scope -> operation lookup -> parse (types) ->
model validation -> handler -> serialize; any AwsError is rendered by the request's codec, and
anything else becomes InternalFailure with a logged traceback (never a leaked traceback).
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import logging
import os
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
from dynoscale.server import request_log, sigv4
from dynoscale.server.routing import Route, Router

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


class Call:
    """A validated AWS call, ready for its handler."""
    __slots__ = ("service", "operation", "caller", "params", "codec", "op_model", "rid", "claim")

    def __init__(self, service: str, operation: str, caller: Caller, params: dict, codec: Codec,
                 op_model, rid: str, claim=None):
        self.claim = claim  # a signature a --workers front could not settle (authenticate.py)
        self.service = service
        self.operation = operation
        self.caller = caller
        self.params = params
        self.codec = codec
        self.op_model = op_model
        self.rid = rid


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
        except Exception:
            log.exception("internal failure in %s.%s", call.service, call.operation)
            return call.codec.error(internal_failure(), call.rid)
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
        except Exception:
            log.exception("internal failure in %s.%s", call.service, call.operation)
            status, error = 500, "InternalFailure"
            response = call.codec.error(internal_failure(), call.rid)
        self.request_log.line(call.service, call.operation, call.params, call.caller.usage,
                              status, error, started)
        return response

    # The three stages. `prepare` and `finish` depend on nothing but the request and the models,
    # so with --workers they run in front processes; `run` needs the services and their state,
    # so it runs only in the process that owns them (server/workers.py).
    def prepare(self, req: WireRequest, endpoint: str) -> "Call | WireResponse":
        """Route, decode, check the signature's presence and validate against the model: a
        validated `Call`, or the response when the request ends here (errors)."""
        cred = sigv4.parse(req.headers, req.form)
        r = self.router.route(req.method, req.path, req.headers, req.form,
                              cred.service if cred else None)
        if r is None:
            return self._unroutable(req, cred)
        rid = self._request_id(r.service)
        codec = self.codec(r.service, r.protocol)
        try:
            return self._prepare(r, codec, req, cred, rid, endpoint)
        except AwsError as err:
            if self.request_log is not None:
                self._refused = (r.service.name, r.operation, err.code)
            return codec.error(err, rid)
        except Exception:
            log.exception("internal failure in %s.%s", r.service.name, r.operation)
            if self.request_log is not None:
                self._refused = (r.service.name, r.operation, "InternalFailure")
            return codec.error(internal_failure(), rid)

    def _prepare(self, r: Route, codec: Codec, req: WireRequest, cred: Optional[sigv4.Credential],
                 rid: str, endpoint: str) -> "Call":
        service = r.service
        op_model = models.operation(service.name, r.operation) if r.operation else None
        if op_model is None:
            if r.protocol == "query":
                if not r.operation:
                    raise missing_action()
                raise invalid_action(r.operation, (req.form or {}).get("Version", ""))
            raise unknown_operation()
        if cred is None:
            codec.check_body(req)  # AWS reports an unreadable body before a missing signature
            raise AwsError("MissingAuthenticationTokenException" if r.protocol == "json" else
                           "MissingAuthenticationToken", "Request is missing Authentication Token",
                           service.auth_status, namespace=service.auth_namespace)
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
        return Call(service.name, r.operation, caller, params, codec, op_model, rid, claim)

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
            return call.codec.response(call.op_model, output, call.rid)
        except Exception:
            log.exception("internal failure rendering %s.%s", call.service, call.operation)
            return call.codec.error(internal_failure(), call.rid)

    def account_for(self, access_key: str) -> str:
        # As LocalStack does: a 12-digit access key id names the account, so tests can use
        # several accounts; any other key acts in the server's account.
        if len(access_key) == 12 and access_key.isdigit():
            return access_key
        return self.account_id

    def _unroutable(self, req: WireRequest, cred: Optional[sigv4.Credential]) -> WireResponse:
        # dynalite (recorded against DynamoDB): a non-POST or non-JSON request gets a bare 404
        # `<UnknownOperationException/>`; a JSON request without a known target gets a 400
        # UnknownOperationException; a form without a known Action a MissingAction.
        ctype = req.headers.get("content-type", "")
        router = self.router
        signer = router.signer(cred.service if cred else None)
        if req.method == "POST" and "json" in ctype and signer is not None and signer.json_target:
            return self.codec(signer, "json").error(unknown_operation(), self._request_id(signer))
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
