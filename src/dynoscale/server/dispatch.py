"""One HTTP request in, one wire response out: undo the body's Content-Encoding, decode a
query-protocol form, then run an admin endpoint or the AWS pipeline; answer CORS preflights and
add CORS headers to every answer of a cross-origin request (server/cors.py). Synchronous; the
HTTP layer (http.py) calls it once per complete request."""

from __future__ import annotations

from typing import Optional
from urllib.parse import parse_qsl, unquote

from dynoscale.protocol.wire import WireRequest, WireResponse
from dynoscale.server import admin, encoding
from dynoscale.server.cors import CorsPolicy
from dynoscale.server.http import MAX_BODY, Deferred
from dynoscale.server.pipeline import Pipeline


class Dispatcher:
    def __init__(self, app):
        self.app = app
        self.pipeline = Pipeline(app.declarations, app.services, app.config.account_id,
                                 app.config.region, app.authenticate, app.authorize)
        self.default_host = f"{app.config.host}:{app.config.port}"
        self.cors = cors_policy(self.pipeline)

    def __call__(self, method: str, target: str, headers: dict[str, str], body: bytes):
        if self.cors is None:
            return self.dispatch(method, target, headers, body)
        preflight = self.cors.preflight(method, headers)
        if preflight is not None:
            return self.pipeline.preflight(preflight)
        resp = self.dispatch(method, target, headers, body)
        extra = self.cors.headers(headers)
        if extra is None:
            return resp
        return with_headers(resp, extra)

    def dispatch(self, method: str, target: str, headers: dict[str, str], body: bytes):
        path, _, query = target.partition("?")
        if "%" in path:
            path = unquote(path)
        if path.startswith("/_dynoscale/"):
            return self.admin(WireRequest(method, path, headers, body, query=query), method,
                              target, headers, body)
        return self.serve(self._aws_request(method, path, query, headers, body),
                          "http://" + headers.get("host", self.default_host))

    def failure(self, method: str, target: str, headers: dict[str, str], body: bytes):
        """The answer to a request when its own cannot be given (server/http.py: its group
        commit failed, or the handler raised): an internal failure, in the request's protocol."""
        path, _, query = target.partition("?")
        if "%" in path:
            path = unquote(path)
        if path.startswith("/_dynoscale/"):
            return admin.failure()
        return self.pipeline.failure(self._aws_request(method, path, query, headers, body))

    def _aws_request(self, method: str, path: str, query: str, headers: dict[str, str],
                     body: bytes) -> WireRequest:
        req = WireRequest(method, path, headers, body, query=query)
        coding = headers.get("content-encoding")
        if coding:
            # SDKs compress large bodies of operations with the `requestcompression` trait
            # (CloudWatch PutMetricData >= 10 KB) and, configured so, any request.
            try:
                decoded = encoding.decode(coding, body, MAX_BODY)
                req.raw_body = body  # what the client signed (authenticate.py hashes it)
                req.body = body = decoded
            except encoding.UndecodableBody:
                req.undecodable = True  # answered by the pipeline once the request is routed
                body = b""
        ctype = headers.get("content-type", "")
        if ctype.startswith("application/x-www-form-urlencoded") or (method == "GET" and query):
            form = dict(parse_qsl(query, keep_blank_values=True))
            try:
                form.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            except UnicodeDecodeError:
                pass
            req.form = form
        return req

    # Overridden in front processes (server/workers.py), which hold no state.
    def admin(self, req: WireRequest, method: str, target: str, headers: dict[str, str],
              body: bytes):
        return admin.handle(self.app, req, target.partition("?")[2])

    def serve(self, req: WireRequest, endpoint: str):
        return self.pipeline.handle(req, endpoint)


def cors_policy(pipeline: Pipeline) -> Optional[CorsPolicy]:
    """The endpoint's CORS answers: the catch-all service's (None: no CORS)."""
    catch_all = pipeline.router.catch_all
    if catch_all is None or catch_all.cors is None:
        return None
    return CorsPolicy(catch_all.cors)


def with_headers(resp, extra: list[tuple[str, str]]):
    """`resp` (a WireResponse, or a Deferred one from a front process) with `extra` headers."""
    if resp.__class__ is Deferred:
        later = Deferred()
        resp.resolve = lambda r: later.resolve(None if r is None else
                                               WireResponse(r.status, r.body, r.headers + extra))
        return later
    return WireResponse(resp.status, resp.body, resp.headers + extra)
