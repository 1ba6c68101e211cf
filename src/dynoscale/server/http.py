"""The HTTP/1.1 server: an asyncio.Protocol per connection, parsed by httptools, no ASGI layer.

Why not uvicorn: profiled under the repository's benchmark (bench/README.md, "What made it
faster"), uvicorn's ASGI layer took a quarter of the server's CPU per PutItem; a Protocol with
httptools needs about half of that time per request.

What it does: keep-alive (HTTP/1.0 and `Connection: close` honoured), pipelined requests answered
in order (requests are handled synchronously, in arrival order, as the parser completes them),
Content-Length and chunked request bodies (httptools decodes chunks), `Expect: 100-continue`,
413 for a body over MAX_BODY, 400 for a request line and headers over MAX_HEAD or more than
MAX_HEADERS header lines, 400 and close for unparsable HTTP, HEAD without a body, a `Date` header
on every answer.

Slow and hostile clients (`Limits`, README "Slow and hostile clients"): a connection idle between
requests longer than the idle timeout is closed; a request whose headers (or, from the end of its
headers, whose body) take longer than the header (body) timeout is answered 408 and closed, so a
client declaring a Content-Length it never sends, or trickling one byte a second, holds its
connection for a bounded time only; a client that stops reading its answers, or that keeps sending
after a refusal, is dropped too (and the pipelined requests it sent meanwhile wait, parsed, in
`backlog`, rather than being answered into memory; so do those beyond MAX_IN_FLIGHT answers
still to come from the owner process); past `max_connections` open connections a new one is
answered 503 and closed at once. One sweep every `Limits.tick` seconds checks every connection
against its deadline: the request path itself only copies the sweep's last clock reading at each
phase change (no timer per request). On shutdown `drain` closes idle connections, lets the
requests in progress finish (within the drain timeout) and closes each connection after that
answer (requests pipelined behind it are not run, as after `Connection: close`).

Group commit: the store opens one transaction for all writes of an event-loop batch and calls
`_schedule_commit` when it does (storage/sqlite.py). While that group holds uncommitted changes,
responses are queued instead of written; `_commit` runs once the batch's requests are handled,
commits (one fsync for the whole batch) and only then writes the queued responses, in order.
So no response ever reports a write that a killed process could lose. If the commit fails, the
queued requests are answered with an internal failure instead (HTTP 500, `InternalFailure` in the
request's protocol, which SDKs retry): none of them was acknowledged, and the reads among them may
have seen the group's rolled-back writes.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
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
# Inferred: AWS documents no header count for DynamoDB (Application Load Balancers, too, limit
# only sizes: the ELB user guide's "HTTP headers" quotas). 100 is Apache httpd's default
# LimitRequestFields, which answers more with 400; refused here like an over-long head, 400 and
# close. An SDK request carries about ten.
MAX_HEADERS = 100
# httptools gathers each header's name and value before calling on_header (and so before
# MAX_HEAD is checked): this bounds the raw bytes of an unfinished request head, whatever their
# shape, so one endless header line cannot grow without limit. Generous: the framing (CRLFs,
# ": ", method and version) never doubles a head MAX_HEAD admits.
MAX_RAW_HEAD = 2 * MAX_HEAD
_REASONS = {s.value: s.phrase.encode("latin-1") for s in HTTPStatus}
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
MAX_DEFERRALS = 16  # loop passes a durable group may stay open while requests keep arriving
# Answers a connection may have coming (Deferred: forwarded to the owner process by a front,
# server/workers.py) before further pipelined requests wait, parsed, with reading paused: a
# client pipelining without reading must not make the owner compute (and hold) every answer.
# Inferred: deep enough that pipelining clients lose nothing.
MAX_IN_FLIGHT = 16

Handler = Callable[[str, str, dict, bytes], "WireResponse | Deferred"]
# A request's (method, target, headers, body): kept with a held response, to answer it with an
# internal failure should its group's commit fail.
Request = tuple


@dataclass(frozen=True)
class Limits:
    """What a client may take of the server, in wall-time seconds (clock.py says why): the
    `serve` flags of the same names (config.py says why each default)."""
    idle_timeout: float     # between requests on a keep-alive connection
    header_timeout: float   # from a request's first byte (first request: accept) to its head's end
    body_timeout: float     # from the headers' end to the body's end, in total
    max_connections: int    # open connections per process
    drain_timeout: float    # on shutdown, for requests in progress to finish

    @classmethod
    def of(cls, config) -> "Limits":
        return cls(config.idle_timeout, config.header_timeout, config.body_timeout,
                   config.max_connections, config.drain_timeout)

    @property
    def tick(self) -> float:
        """How often the sweep checks deadlines: a deadline is met within this much."""
        return min(1.0, max(0.01, min(self.idle_timeout, self.header_timeout,
                                      self.body_timeout) / 8))


# Connection phases (the sweep's deadline for each: Connection.check)
IDLE, HEAD, BODY = 0, 1, 2


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

    def __init__(self, handler: Handler, store, loop: asyncio.AbstractEventLoop,
                 limits: Limits):
        """`store`: the Store whose group commit responses wait for (None in a front
        process, which holds no state). `handler.failure(method, target, headers, body)`, if
        the handler has it, answers a request with an internal failure in its protocol."""
        self.handler = handler
        self.failure_handler = getattr(handler, "failure", None)
        self.store = store
        self.loop = loop
        self.limits = limits
        self.connections: set[Connection] = set()
        # (connection, response bytes, close after writing, request or None) waiting for the
        # open group's commit
        self.held: list[tuple] = []
        self.now = Clock.wall_monotonic()  # the last sweep's reading (phase changes copy it)
        self.draining = False
        self._emptied: Optional[asyncio.Future] = None  # drain(): set when the last one closes
        self._sweeper: Optional[asyncio.Task] = None
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
            log.error("commit failed (%s); the %d requests waiting for it are answered with an "
                      "internal failure", e, len(self.held),
                      exc_info=log.isEnabledFor(logging.DEBUG))
            try:
                self.store.rollback()
            except Exception as e2:  # the answers below must go out all the same
                log.error("rollback after the failed commit failed too (%s)", e2)
            held, self.held = self.held, []
            for conn, data, close, request in held:
                conn.fail(data, close, request)
            return
        held, self.held = self.held, []
        for conn, data, close, _ in held:
            conn.write(data, close)

    def respond(self, conn: "Connection", data: bytes, close: bool,
                request: Optional[Request] = None) -> None:
        """Send `data` (the answer to `request`) once nothing written before it is uncommitted."""
        self.handled += 1
        if self.held or (self.hold_responses and self.store.uncommitted()):
            self.held.append((conn, data, close, request))
        else:
            conn.write(data, close)

    def failure(self, request: Optional[Request]) -> WireResponse:
        """The internal-failure answer to `request`: in its protocol when the handler knows how
        to render one, else a plain 500."""
        if request is not None and self.failure_handler is not None:
            try:
                return self.failure_handler(*request)
            except Exception:
                log.exception("cannot render an internal failure")
        return WireResponse(500, b"Internal Server Error", [("content-type", "text/plain")])

    def factory(self) -> "Connection":
        return Connection(self)

    # -- deadlines -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the sweep that enforces the timeouts (call from the running loop)."""
        if self._sweeper is None:
            self._sweeper = self.loop.create_task(self._sweep())

    async def _sweep(self) -> None:
        limits = self.limits
        tick = limits.tick
        while True:
            await Clock.wall_pause(tick)
            previous, self.now = self.now, Clock.wall_monotonic()
            now = self.now
            stalled = now - previous - tick
            if stalled > tick:
                # The event loop was blocked (a long admin call, such as advancing a manual
                # clock by days): the clients could not be read meanwhile, so that time is not
                # theirs. Credit it, and check next time, once what they sent has been read.
                for conn in self.connections:
                    conn.since += stalled
                    if conn.paused is not None:
                        conn.paused += stalled
                continue
            for conn in list(self.connections):
                conn.check(now, limits)

    # -- stopping ------------------------------------------------------------------------------
    async def drain(self) -> None:
        """Graceful shutdown, once the listener is closed: answer what is held, close idle
        connections, let requests in progress finish (each connection is closed after its
        answer) and wait, at most the drain timeout, for every connection to close."""
        self.draining = True
        self._deferrals = MAX_DEFERRALS
        self._commit()
        for conn in list(self.connections):
            conn.drain()
        if self.connections:
            self._emptied = self.loop.create_future()
            if not await Clock.wall_wait_for(self._emptied, self.limits.drain_timeout):
                log.warning("%d connections still open after the %g s drain timeout are closed",
                            len(self.connections), self.limits.drain_timeout)

    def lost(self, conn: "Connection") -> None:
        self.connections.discard(conn)
        if self._emptied is not None and not self.connections and not self._emptied.done():
            self._emptied.set_result(None)

    def shutdown(self) -> None:
        """Commit and send what is held, then close every connection."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
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


_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
         b"content-length: 34\r\nconnection: close\r\n\r\nToo many open connections; retry.\n")


class Connection(asyncio.Protocol):
    __slots__ = ("server", "transport", "parser", "url", "headers", "body", "size", "head_size",
                 "closed", "done", "rejected", "waiting", "phase", "since", "used", "count",
                 "raw_head", "paused", "backlog")

    def __init__(self, server: HttpServer):
        self.server = server
        self.transport: Optional[asyncio.Transport] = None
        self.parser = httptools.HttpRequestParser(self)
        self.url = b""
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.size = 0
        self.head_size = 0   # bytes of the request line and headers so far (MAX_HEAD)
        self.count = 0       # header lines so far (MAX_HEADERS)
        self.raw_head = 0    # bytes received while a request head is unfinished (MAX_RAW_HEAD)
        self.closed = False  # the transport is closed: nothing more can be written
        self.done = False    # a fatal error was answered: ignore anything the client still sends
        self.rejected = -1   # after a refusal (>= 0): bytes the client sent since, discarded
        # Pipelined responses queued behind a Deferred one, in request order: [bytes | None, close]
        self.waiting: list[list] = []
        # Deadlines (Connection.check): the phase of the request being read, and since when
        # (the sweep's clock); `used` once a request was read (before: the header timeout runs
        # from the accept); `paused` since when the client has not read its answers (or None).
        self.phase = IDLE
        self.since = server.now
        self.used = False
        self.paused: Optional[float] = None
        # Requests read while the client was not reading its answers (paused), handled in order
        # once it reads again: pausing stops reading, but the chunk already read may hold many
        # pipelined requests, whose answers would otherwise pile up in memory unread.
        self.backlog: list[tuple] = []

    # -- asyncio.Protocol ----------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport
        server = self.server
        if len(server.connections) >= server.limits.max_connections or server.draining:
            # Over the limit: refused at once, so that the descriptors and memory of the
            # connections being served stay bounded. Inferred: 503 (which SDKs retry) and close,
            # before reading anything, as a front end at capacity answers.
            self.closed = self.done = True
            transport.write(_BUSY)
            transport.close()
            log.info("refused a connection: %d open (--max-connections)", len(server.connections))
            return
        server.connections.add(self)

    def connection_lost(self, exc) -> None:
        self.closed = True
        self.server.lost(self)

    def data_received(self, data: bytes) -> None:
        if self.done:
            if self.rejected >= 0:  # discard what the client still sends after a refusal
                self.rejected += len(data)
                if self.rejected > MAX_BODY:
                    self.abort()
            return
        if self.phase != BODY:
            self.raw_head += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._reject(400, b"Upgrades are not supported.")
        except httptools.HttpParserError:
            if not self.done:
                self._reject(400, b"Invalid HTTP request received.")
        else:
            if self.phase == HEAD and self.raw_head > MAX_RAW_HEAD and not self.done:
                self._reject(400, b"")

    def pause_writing(self) -> None:  # a client that does not read its responses: stop reading
        self.paused = self.server.now
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        self.paused = None
        self._run_backlog()
        if self.paused is None and not self.closed and not self.backlog and (
                not self.done or self.rejected >= 0):
            self.transport.resume_reading()

    def _run_backlog(self) -> None:
        """Handle the requests that waited, as far as the client reads and the answers in flight
        allow; reading resumes once none is left."""
        backlog = self.backlog
        while (backlog and self.paused is None and len(self.waiting) < MAX_IN_FLIGHT
               and not self.done and not self.closed):
            self._handle(*backlog.pop(0))
        if not backlog and self.paused is None and not self.done and not self.closed:
            self.transport.resume_reading()

    # -- deadlines -----------------------------------------------------------------------------
    def check(self, now: float, limits: Limits) -> None:
        """Called by the sweep: drop the connection if it overstayed its phase's timeout."""
        if self.paused is not None:
            # The client stopped reading its answers (so we stopped reading its requests), or
            # a close waits for it to read the last one.
            if now - self.paused > limits.idle_timeout:
                log.info("dropped a client that read no answer for %g s", limits.idle_timeout)
                self.abort()
        elif self.closed:
            return
        elif self.rejected >= 0:  # after a refusal, still sending: as long as a body may take
            if now - self.since > limits.body_timeout:
                self.abort()
        elif self.done:  # answering a last request (Connection: close)
            return
        elif self.phase == IDLE:
            if self.waiting or self.backlog:  # an answer is still to come: the client waits
                self.since = now
            elif now - self.since > (limits.idle_timeout if self.used else limits.header_timeout):
                self.close()
        elif self.phase == HEAD:
            if now - self.since > limits.header_timeout:
                self._timed_out("headers", limits.header_timeout)
        elif now - self.since > limits.body_timeout:
            self._timed_out("body", limits.body_timeout)

    def _timed_out(self, what: str, seconds: float) -> None:
        log.info("dropped a client whose request %s took over %g s", what, seconds)
        # Inferred: 408 Request Timeout (RFC 9110 15.5.9: the server would not wait any longer)
        # and close, without lingering for what the client may still send.
        self._reject(408, b"The request was not received in time.", linger=False)

    def drain(self) -> None:
        """Shutdown: close now if between requests, else after the answer to the request in
        progress (on_message_complete and write read `server.draining`)."""
        if self.phase == IDLE and not self.waiting and not self.backlog and not self.done:
            self.close()

    # -- httptools callbacks -------------------------------------------------------------------
    def on_message_begin(self) -> None:
        self.url = b""
        self.headers = {}
        self.body = []
        self.size = 0
        self.head_size = 0
        self.count = 0
        self.phase = HEAD
        if self.used:  # a new connection's first request: its header timeout runs from the accept
            self.since = self.server.now

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
        self.count += 1
        if self.head_size + len(self.url) > MAX_HEAD or self.count > MAX_HEADERS:
            self._reject(400, b"")
            return
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self.phase = BODY
        self.since = self.server.now
        self.raw_head = 0
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
        self.phase = IDLE
        self.used = True
        self.since = self.server.now
        if self.done:
            return
        method = self.parser.get_method().decode("ascii")
        url = self.url.decode("latin-1")
        body = self.body[0] if len(self.body) == 1 else b"".join(self.body)
        if self.paused is not None or self.backlog or len(self.waiting) >= MAX_IN_FLIGHT:
            self.backlog.append((method, url, self.headers, body, self.parser.should_keep_alive()))
            self.transport.pause_reading()  # until the backlog is handled
            return
        self._handle(method, url, self.headers, body, self.parser.should_keep_alive())

    def _handle(self, method: str, url: str, headers: dict, body: bytes, keep_alive: bool) -> None:
        request = (method, url, headers, body)
        try:
            resp = self.server.handler(method, url, headers, body)
        except Exception:
            log.exception("unhandled error serving %s %s", method, url)
            resp = self.server.failure(request)
        # While draining, the answer to the request in progress is the connection's last.
        close = self.server.draining or not keep_alive
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
                                             head=head, close=close), close, request)

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
        if self.backlog:
            self._run_backlog()

    # -- writing -------------------------------------------------------------------------------
    def write(self, data: bytes, close: bool) -> None:
        if self.closed:
            return
        self.transport.write(data)
        self.since = self.server.now  # an idle connection's timeout runs from its last answer
        if close:
            if self.rejected >= 0 and self.transport.can_write_eof():
                # After a refusal the client may still be sending its body: closing now would
                # reset the connection and lose the answer before it is read. End our side and
                # read (and discard) until the client closes, MAX_BODY more bytes arrive or
                # the body timeout passes.
                self.transport.write_eof()
            else:
                self.close()
        elif self.server.draining and not self.waiting and self.phase == IDLE:
            self.close()  # the last answer owed before shutdown (one that was still to come)

    def fail(self, data: bytes, close: bool, request: Optional[Request]) -> None:
        """The group commit this connection's answer (`data`) waited for failed: answer
        `request` with an internal failure instead (nothing was acknowledged)."""
        if request is None:  # a refusal by the HTTP layer, which read no state: it stands
            self.write(data, close)
            return
        resp = self.server.failure(request)
        self.write(render(resp.status, resp.headers, resp.body, head=request[0] == "HEAD",
                          close=close), close)

    def _reject(self, status: int, body: Optional[bytes] = None, linger: bool = True) -> None:
        """An error that ends the connection, after any responses still held for it. Without a
        body (None): an empty chunked body and no Content-Type, as DynamoDB answers a request
        over its size limit (413 with `Transfer-Encoding: chunked`, dynalite test/connection.js,
        recorded against AWS). `linger`: read and discard what the client still sends (for at
        most the body timeout), so that it reads the answer before the connection closes."""
        self.done = True
        if linger:
            self.rejected = 0
            self.since = self.server.now
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
            if self.paused is None and self.transport.get_write_buffer_size():
                # the close waits for the client to read what is buffered: bound that wait
                self.paused = self.server.now
            self.transport.close()

    def abort(self) -> None:
        if not self.closed or self.paused is not None:
            self.closed = True
            self.transport.abort()
