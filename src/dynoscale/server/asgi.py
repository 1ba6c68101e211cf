"""The ASGI callable: read the body, build the wire request, run the pipeline or an admin
endpoint, write the response. Everything after the body is read is synchronous."""

from __future__ import annotations

import gzip
from urllib.parse import parse_qsl

from dynoscale.protocol.wire import WireRequest
from dynoscale.server import admin
from dynoscale.server.pipeline import Pipeline

MAX_BODY = 16 * 1024 * 1024 + 1024  # DynamoDB's largest request (BatchWriteItem, 16 MB) + slack


def make_asgi(app):
    pipeline = Pipeline(app.services, app.config.account_id, app.config.region)

    async def asgi(scope, receive, send):
        if scope["type"] != "http":
            return
        chunks = []
        size = 0
        more = True
        while more:
            msg = await receive()
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await _send(send, 413, [], b"")
                return
            chunks.append(chunk)
            more = msg.get("more_body", False)
        body = b"".join(chunks)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("content-encoding", "").strip().lower() == "gzip":
            # botocore gzips large bodies of operations with the requestcompression trait
            # (CloudWatch PutMetricData >= 10 KB).
            try:
                body = gzip.decompress(body)
            except (OSError, EOFError):
                pass  # left as is: the codec reports it as a malformed body
        path = scope["path"]
        req = WireRequest(scope["method"], path, headers, body)
        if path.startswith("/_dynoscale/"):
            resp = admin.handle(app, req)
        else:
            ctype = headers.get("content-type", "")
            if ctype.startswith("application/x-www-form-urlencoded") or (
                    scope["method"] == "GET" and scope.get("query_string")):
                form = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
                try:
                    form.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
                except UnicodeDecodeError:
                    pass
                req.form = form
            host = headers.get("host", f"{app.config.host}:{app.config.port}")
            resp = pipeline.handle(req, f"{scope.get('scheme', 'http')}://{host}")
        await _send(send, resp.status, resp.headers, resp.body)

    return asgi


async def _send(send, status: int, headers, body: bytes) -> None:
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
