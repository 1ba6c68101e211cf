"""One HTTP request in, one wire response out: decompress a gzipped body, decode a query-protocol
form, then run an admin endpoint or the AWS pipeline. Synchronous; the HTTP layer (http.py) calls
it once per complete request."""

from __future__ import annotations

import gzip
from urllib.parse import parse_qsl, unquote

from dynoscale.protocol.wire import WireRequest
from dynoscale.server import admin
from dynoscale.server.pipeline import Pipeline


class Dispatcher:
    def __init__(self, app):
        self.app = app
        self.pipeline = Pipeline(app.declarations, app.services, app.config.account_id,
                                 app.config.region, app.authenticate, app.authorize)
        self.default_host = f"{app.config.host}:{app.config.port}"

    def __call__(self, method: str, target: str, headers: dict[str, str], body: bytes):
        path, _, query = target.partition("?")
        if "%" in path:
            path = unquote(path)
        received = body  # what the client signed (authenticate.py hashes it)
        if headers.get("content-encoding", "").strip().lower() == "gzip":
            # botocore gzips large bodies of operations with the requestcompression trait
            # (CloudWatch PutMetricData >= 10 KB).
            try:
                body = gzip.decompress(body)
            except (OSError, EOFError):
                pass  # left as is: the codec reports it as a malformed body
        req = WireRequest(method, path, headers, body, query=query,
                          raw_body=received if received is not body else None)
        if path.startswith("/_dynoscale/"):
            return self.admin(req, method, target, headers, body)
        ctype = headers.get("content-type", "")
        if ctype.startswith("application/x-www-form-urlencoded") or (method == "GET" and query):
            form = dict(parse_qsl(query, keep_blank_values=True))
            try:
                form.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            except UnicodeDecodeError:
                pass
            req.form = form
        return self.serve(req, "http://" + headers.get("host", self.default_host))

    # Overridden in front processes (server/workers.py), which hold no state.
    def admin(self, req: WireRequest, method: str, target: str, headers: dict[str, str],
              body: bytes):
        return admin.handle(self.app, req, target.partition("?")[2])

    def serve(self, req: WireRequest, endpoint: str):
        return self.pipeline.handle(req, endpoint)
