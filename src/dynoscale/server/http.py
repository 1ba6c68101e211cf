"""The HTTP/1.1 server: an asyncio.Protocol per connection, parsed by httptools, no ASGI layer.

Why not uvicorn: profiled under the repository's benchmark (bench/README.md, "What made it
faster"), uvicorn's ASGI layer took a quarter of the server's CPU per PutItem; a Protocol with
httptools needs about half of that time per request.

What it does: keep-alive (HTTP/1.0 and `Connection: close` honoured), pipelined requests answered
in order (requests are handled synchronously, in arrival order, as the parser completes them),
Content-Length and chunked request bodies (httptools decodes chunks), `Expect: 100-continue`,
413 for a body over MAX_BODY, 400 for a request line and headers over MAX_HEAD, 400 and close for
unparsable HTTP, HEAD without a body, a `Date` header on every answer.

Group commit: the store opens one transaction for all writes of an event-loop batch and calls
`_schedule_commit` when it does (storage/sqlite.py). While that group holds uncommitted changes,
responses are queued instead of written; `_commit` runs once the batch's requests are handled,
commits (one fsync for the whole batch) and only then writes the queued responses, in order.
So no response ever reports a write that a killed process could lose. If the commit fails, the
queued requests' connections are aborted: none of them was acknowledged.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Callable, Optional

import httptools

from dynoscale.clock import Clock
from dynoscale.protocol.wire import WireResponse

log = logging.getLogger("dynoscale.http")

# DynamoDB's request limit: 16 MB is accepted, one byte more is 413 (dynalite test/connection.js,
# recorded against AWS; dynalite index.js MAX_REQUEST_BYTES). The same bound applies to a body
# once its Content-Encoding is undone (server/encoding.py).
MAX_BODY = 16 * 1024 * 1024
# DynamoDB's front end refuses a request whose request line and headers exceed 16 KB with
# "400 Bad Request" (scylladb issue 23438, and Alternator's test of a 17,000-character URL in
# pull request 23442, run against DynamoDB). Inferred: counted as the URL plus each header's name
# and value.
MAX_HEAD = 16 * 1024
_REASONS = {s.value: s.phrase.encode("latin-1") for s in HTTPStatus}
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
MAX_DEFERRALS = 16  # loop passes a durable group may stay open while requests keep arriving

Handler = Callable[[str, str, dict, bytes], "WireResponse | Deferred"]


def render(status: int, headers: list[tuple[str, str]], body: bytes, *, head: bool = False,
           close: bool = False) -> bytes:
    """The bytes of one HTTP/1.1 response."""
    lines = [b"HTTP/1.1 %d %s\r\n" % (status, _REASONS.get(status, b"Unknown"))]
    for name, value in headers:
        lines.append(f"{name}: {value}\r\n".encode("latin-1"))
    lines.append(b"content-length: %d\r\ndate: %s\r\n" % (len(body), Clock.http_date()))
    if close:
        lines.append(b"connection: close\r\n")
    lines.append(b"\r\n")
    if not head:
        lines.append(body)
    return b"".join(lines)


class HttpServer:
    """Owns the connections and the queue of responses waiting for their group's commit."""

    def __init__(self, handler: Handler, store, loop: asyncio.AbstractEventLoop):
        """`store`: the Store whose group commit responses wait for (None in a front
        process, which holds no state)."""
        self.handler = handler
        self.store = store
        self.loop = loop
        self.connections: set[Connection] = set()
        # (connection, response bytes, close after writing) waiting for the open group's commit
        self.held: list[tuple[Connection, bytes, bool]] = []
        # in memory (or in a front process) there is nothing to wait for
        self.hold_responses = store is not None and store.durable
        self.handled = 0        # requests answered (or held) so far
        self._seen = 0          # `handled` when the pending commit last looked
        self._deferrals = 0
        if store is not None:
            store.start_group_commit(self._schedule_commit)

    def _schedule_commit(self) -> None:
        # call_soon: runs after every callback already queued in this loop iteration, i.e. after
        # all requests that arrived in the same batch have been handled.
        self._seen = self.handled
        self._deferrals = 0
        self.loop.call_soon(self._commit)

    def _commit(self) -> None:
        if (self.hold_responses and self.handled != self._seen
                and self._deferrals < MAX_DEFERRALS):
            # Requests are still arriving (clients answered by the last commit send their next
            # ones a moment apart): let one more loop pass join this group, so that one fsync
            # serves them all. An idle pass, or MAX_DEFERRALS busy ones, ends the group.
            self._seen = self.handled
            self._deferrals += 1
            self.loop.call_soon(self._commit)
            return
        try:
            if self.store is not None:
                self.store.commit()
        except Exception as e:  # a full disk, an I/O error: one line (traceback at debug level)
            log.error("commit failed (%s); the %d requests waiting for it are not acknowledged",
                      e, len(self.held), exc_info=log.isEnabledFor(logging.DEBUG))
            self.store.rollback()
            held, self.held = self.held, []
            for conn, _, _ in held:
                conn.abort()
            return
        held, self.held = self.held, []
        for conn, data, close in held:
            conn.write(data, close)

    def respond(self, conn: "Connection", data: bytes, close: bool) -> None:
        self.handled += 1
        if self.held or (self.hold_responses and self.store.uncommitted()):
            self.held.append((conn, data, close))
        else:
            conn.write(data, close)

    def factory(self) -> "Connection":
        return Connection(self)

    def shutdown(self) -> None:
        """Commit and send what is held, then close every connection."""
        self._deferrals = MAX_DEFERRALS
        self._commit()
        for conn in list(self.connections):
            conn.close()


class Deferred:
    """A response that comes later: a front process (server/workers.py) returns one for a call
    the owner process answers, and calls `resolve` with the response (None: drop the connection,
    the request was not acknowledged)."""
    __slots__ = ("resolve",)

    def __init__(self) -> None:
        self.resolve: Callable[[Optional[WireResponse]], None] = _unclaimed


def _unclaimed(resp: Optional[WireResponse]) -> None:
    pass


class Connection(asyncio.Protocol):
    __slots__ = ("server", "transport", "parser", "url", "headers", "body", "size", "head_size",
                 "closed", "done", "rejected", "waiting")

    def __init__(self, server: HttpServer):
        self.server = server
        self.transport: Optional[asyncio.Transport] = None
        self.parser = httptools.HttpRequestParser(self)
        self.url = b""
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.size = 0
        self.head_size = 0   # bytes of the request line and headers so far (MAX_HEAD)
        self.closed = False  # the transport is closed: nothing more can be written
        self.done = False    # a fatal error was answered: ignore anything the client still sends
        self.rejected = -1   # after a refusal (>= 0): bytes the client sent since, discarded
        # Pipelined responses queued behind a Deferred one, in request order: [bytes | None, close]
        self.waiting: list[list] = []

    # -- asyncio.Protocol ----------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport
        self.server.connections.add(self)

    def connection_lost(self, exc) -> None:
        self.closed = True
        self.server.connections.discard(self)

    def data_received(self, data: bytes) -> None:
        if self.done:
            if self.rejected >= 0:  # discard what the client still sends after a refusal
                self.rejected += len(data)
                if self.rejected > MAX_BODY:
                    self.abort()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._reject(400, b"Upgrades are not supported.")
        except httptools.HttpParserError:
            if not self.done:
                self._reject(400, b"Invalid HTTP request received.")

    def pause_writing(self) -> None:  # a client that does not read its responses: stop reading
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        if not self.done or self.rejected >= 0:
            self.transport.resume_reading()

    # -- httptools callbacks -------------------------------------------------------------------
    def on_message_begin(self) -> None:
        self.url = b""
        self.headers = {}
        self.body = []
        self.size = 0
        self.head_size = 0

    def on_url(self, url: bytes) -> None:
        if self.done:
            return
        self.url += url
        if len(self.url) > MAX_HEAD:
            self._reject(400, b"")

    def on_header(self, name: bytes, value: bytes) -> None:
        if self.done:
            return
        self.head_size += len(name) + len(value)
        if self.head_size + len(self.url) > MAX_HEAD:
            self._reject(400, b"")
            return
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        if self.done:
            return
        length = self.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            self._reject(413)
            return
        if self.headers.get("expect", "").lower() == "100-continue":
            self.transport.write(_CONTINUE)

    def on_body(self, chunk: bytes) -> None:
        if self.done:
            return
        self.size += len(chunk)
        if self.size > MAX_BODY:
            self._reject(413)
            return
        self.body.append(chunk)

    def on_message_complete(self) -> None:
        if self.done:
            return
        method = self.parser.get_method().decode("ascii")
        body = self.body[0] if len(self.body) == 1 else b"".join(self.body)
        try:
            resp = self.server.handler(method, self.url.decode("latin-1"), self.headers, body)
        except Exception:
            log.exception("unhandled error serving %s %s", method, self.url)
            resp = WireResponse(500, b"Internal Server Error", [("content-type", "text/plain")])
        close = not self.parser.should_keep_alive()
        if close:
            self.done = True  # requests pipelined after a `Connection: close` one are not run
        head = method == "HEAD"
        if resp.__class__ is Deferred:
            slot = [None, close]
            self.waiting.append(slot)
            resp.resolve = lambda r: self._resolved(slot, r, head)
        elif self.waiting:  # answered at once, but behind a response still to come
            self.waiting.append([render(resp.status, resp.headers, resp.body, head=head,
                                        close=close), close])
        else:
            self.server.respond(self, render(resp.status, resp.headers, resp.body,
                                             head=head, close=close), close)

    def _resolved(self, slot: list, resp: Optional[WireResponse], head: bool) -> None:
        if resp is None:
            self.waiting.clear()
            self.abort()
            return
        slot[0] = render(resp.status, resp.headers, resp.body, head=head, close=slot[1])
        waiting = self.waiting
        while waiting and waiting[0][0] is not None:
            data, close = waiting.pop(0)
            self.server.respond(self, data, close)

    # -- writing -------------------------------------------------------------------------------
    def write(self, data: bytes, close: bool) -> None:
        if self.closed:
            return
        self.transport.write(data)
        if close:
            if self.rejected >= 0 and self.transport.can_write_eof():
                # After a refusal the client may still be sending its body: closing now would
                # reset the connection and lose the answer before it is read. End our side and
                # read (and discard) until the client closes, or MAX_BODY more bytes arrive.
                self.transport.write_eof()
            else:
                self.close()

    def _reject(self, status: int, body: Optional[bytes] = None) -> None:
        """An error that ends the connection, after any responses still held for it. Without a
        body (None): an empty chunked body and no Content-Type, as DynamoDB answers a request
        over its size limit (413 with `Transfer-Encoding: chunked`, dynalite test/connection.js,
        recorded against AWS)."""
        self.done = True
        self.rejected = 0
        if body is None:
            data = b"HTTP/1.1 %d %s\r\ntransfer-encoding: chunked\r\ndate: %s\r\nconnection: close" \
                   b"\r\n\r\n0\r\n\r\n" % (status, _REASONS.get(status, b"Unknown"), Clock.http_date())
        else:
            headers = [("content-type", "text/plain; charset=utf-8")] if body else []
            data = render(status, headers, body, close=True)
        if self.waiting:
            self.waiting.append([data, True])
        else:
            self.server.respond(self, data, True)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.transport.close()

    def abort(self) -> None:
        if not self.closed:
            self.closed = True
            self.transport.abort()
