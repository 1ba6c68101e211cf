"""Several processes on one port (`--workers N`), with throttling as exact as with one.

One process, the *owner*, holds everything with state: the store, the clock and scheduler, the
token buckets, every service. It only executes calls: it binds the port (so `--port 0` resolves
once, and a port in use fails at once) but does not listen on it. N-1 *front* processes (forked
before the owner opens its store) accept the connections on that port (`SO_REUSEPORT`: the kernel
spreads new connections over the listening sockets) and do the per-request work that
depends on nothing but the request: HTTP parsing, gzip and form decoding, signature scope,
routing, body decoding, conversion and validation against the model (`Pipeline.prepare`), and
rendering the answer (`Pipeline.finish`). They forward each validated call to the owner over a
socket pair, where `Pipeline.run` executes it; admin requests are forwarded whole. Every capacity
decision is made in the owner's one event loop, in arrival order, exactly as with one process;
splitting the buckets across processes instead would make throttling approximate.

The link: frames of a 4-byte length and a pickle, `(seq, kind, args)` one way and
`(seq, status, value)` back. Frames written in one event-loop pass go out in one write on each
side. The owner answers through `HttpServer.respond`, so a reply waits for its group's commit
like any response (`--durability`), and a reply whose commit failed becomes FAILED: the front
answers the client with an internal failure, as the owner does for its own connections.

Lifecycle: a front exits when its link closes (the owner exited, even by SIGKILL) or on
SIGTERM/SIGINT, after the calls it forwarded are answered. The owner, stopping, signals the
fronts and keeps answering until each link closes, then reaps them.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import pickle
import signal
import socket
import struct
from typing import Callable, Optional, Sequence

from dynoscale.clock import Clock
from dynoscale.config import Config
from dynoscale.context import Caller, Usage
from dynoscale.errors import AwsError, internal_failure
from dynoscale.protocol import models
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.wire import WireRequest, WireResponse
from dynoscale.server import admin
from dynoscale.server.authenticate import Authenticator
from dynoscale.server.dispatch import Dispatcher, cors_policy
from dynoscale.server.http import Deferred, HttpServer, Limits
from dynoscale.server.pipeline import Call, Pipeline, own_failure
from dynoscale.storage.interface import StorageFault

log = logging.getLogger("dynoscale.workers")

_FRAME = struct.Struct("!I")
CALL, HTTP = 0, 1                       # kinds of request frames
OK, ERROR, FAILED = 0, 1, 2  # statuses of reply frames
_PICKLE = pickle.HIGHEST_PROTOCOL


def listener(host: str, port: int, reuse_port: bool, listen: bool = True) -> socket.socket:
    """A bound TCP socket, listening unless told not to (the same port in every process with
    `reuse_port`; the owner of several workers only holds the port, its fronts listen)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(2048)
    sock.setblocking(False)
    return sock


def fork_fronts(config: Config, port: int, count: int,
                declarations: Sequence[ServiceDeclaration]) -> list[tuple[int, socket.socket]]:
    """Fork `count` front processes serving `port` for the declared services; (pid, owner's end
    of its link) for each. Call before the owner builds its app: a front must not inherit the
    store."""
    fronts: list[tuple[int, socket.socket]] = []
    for _ in range(count):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the front
            ours.close()
            for _, other in fronts:
                other.close()
            code = 0
            try:
                run_front(config, port, theirs, declarations)
            except BaseException:  # noqa: BLE001 - a front must never return into the owner's code
                log.exception("front process failed")
                code = 1
            finally:
                logging.shutdown()
                os._exit(code)
        theirs.close()
        fronts.append((pid, ours))
    return fronts


class Link(asyncio.Protocol):
    """One end of an owner-front socket pair: length-prefixed frames, batched per loop pass."""

    def __init__(self, loop: asyncio.AbstractEventLoop, on_frame: Callable[[bytes], None],
                 on_lost: Callable[[], None]):
        self.loop = loop
        self.on_frame = on_frame
        self.on_lost = on_lost
        self.transport: Optional[asyncio.Transport] = None
        self.inbox = bytearray()
        self.outbox: list[bytes] = []
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def connection_lost(self, exc) -> None:
        self.closed = True
        self.on_lost()

    def data_received(self, data: bytes) -> None:
        inbox = self.inbox
        inbox += data
        start, end = 0, len(inbox)
        while end - start >= 4:
            size = _FRAME.unpack_from(inbox, start)[0]
            if end - start - 4 < size:
                break
            frame = bytes(inbox[start + 4:start + 4 + size])
            start += 4 + size
            self.on_frame(frame)
        del inbox[:start]

    def send(self, payload: bytes) -> None:
        if self.closed:
            return
        if not self.outbox:
            self.loop.call_soon(self._flush)
        self.outbox.append(_FRAME.pack(len(payload)))
        self.outbox.append(payload)

    def _flush(self) -> None:
        if self.outbox and not self.closed:
            self.transport.write(b"".join(self.outbox))
        self.outbox.clear()


# ----------------------------------------------------------------------------- owner side
class _Reply:
    """Where HttpServer.respond delivers one forwarded call's reply (it may hold it until the
    group commit, and turn it into a failure if that commit fails)."""
    __slots__ = ("link", "seq")

    def __init__(self, link: Link, seq: int):
        self.link = link
        self.seq = seq

    def write(self, data: bytes, close: bool) -> None:
        self.link.send(data)

    def fail(self, data: bytes, close: bool, request) -> None:
        # The front answers the client with an internal failure in the request's protocol.
        self.link.send(pickle.dumps((self.seq, FAILED, None), _PICKLE))


class OwnerEnd:
    """Runs the calls one front forwards, in arrival order, on the owner's event loop."""

    def __init__(self, http: HttpServer, dispatcher: Dispatcher, pid: int):
        self.http = http
        self.dispatcher = dispatcher
        self.pipeline: Pipeline = dispatcher.pipeline
        self.pid = pid
        self.link: Optional[Link] = None
        self.gone = asyncio.get_running_loop().create_future()

    def make_link(self, loop: asyncio.AbstractEventLoop) -> Link:
        # Made by the transport's protocol factory: frames may arrive before
        # connect_accepted_socket returns.
        self.link = Link(loop, self.on_frame, self.lost)
        return self.link

    def lost(self) -> None:
        if not self.gone.done():
            self.gone.set_result(None)

    def on_frame(self, frame: bytes) -> None:
        seq, kind, args = pickle.loads(frame)
        try:
            if kind == CALL:
                service, operation, caller, params, claim = args
                if self.pipeline.request_log is not None:
                    reply = (seq, OK, self._run_logged(service, operation, caller, params, claim))
                else:
                    reply = (seq, OK, self.pipeline.run(service, operation, Caller(*caller),
                                                        params, claim))
            else:
                method, target, headers, body = args
                resp = self.dispatcher.dispatch(method, target, headers, body)  # the front adds CORS
                reply = (seq, OK, (resp.status, resp.body, resp.headers))
            data = pickle.dumps(reply, _PICKLE)
        except AwsError as err:
            data = pickle.dumps((seq, ERROR, err), _PICKLE)
        except StorageFault as e:  # locked by another process, disk full: one line
            log.error("storage failed in a forwarded call %r (%s)", args[:2], e)
            data = pickle.dumps((seq, FAILED, None), _PICKLE)
        except Exception:
            log.exception("internal failure in a forwarded call %r", args[:2])
            data = pickle.dumps((seq, FAILED, None), _PICKLE)
        self.http.respond(_Reply(self.link, seq), data, False)


    def _run_logged(self, service: str, operation: str, caller: tuple, params: dict, claim):
        """The call, and its request-log line (the owner knows what it consumed; the latency
        is the handler's, without the front's decoding and encoding)."""
        log_ = self.pipeline.request_log
        started = log_.start()
        usage = Usage()
        try:
            output = self.pipeline.run(service, operation, Caller(*caller, usage=usage), params,
                                       claim)
        except AwsError as err:
            log_.line(service, operation, params, usage, err.status, err.code, started)
            raise
        except Exception:
            code = own_failure(self.pipeline.declarations[service]).code
            log_.line(service, operation, params, usage, 500, code, started)
            raise
        log_.line(service, operation, params, usage, 200, None, started)
        return output


async def attach_fronts(fronts: list[tuple[int, socket.socket]], http: HttpServer,
                        dispatcher: Dispatcher) -> list[OwnerEnd]:
    loop = asyncio.get_running_loop()
    ends = []
    for pid, sock in fronts:
        end = OwnerEnd(http, dispatcher, pid)
        await loop.connect_accepted_socket(lambda end=end: end.make_link(loop), sock)
        ends.append(end)
    return ends


async def watch_fronts(ends: list[OwnerEnd], stop: asyncio.Event) -> bool:
    """Log each front that exits on its own; when none is left nothing serves the port, so stop
    the owner too (a supervisor then sees the server gone rather than a silent port). True when
    it stopped the server."""
    waiting = {end.gone: end for end in ends}
    while waiting and not stop.is_set():
        done, _ = await asyncio.wait(list(waiting), return_when=asyncio.FIRST_COMPLETED)
        for future in done:
            end = waiting.pop(future)
            if not stop.is_set():
                log.error("front process %d exited unexpectedly", end.pid)
    if ends and not stop.is_set():
        log.error("no front process is left to serve the port; stopping")
        stop.set()
        return True
    return False


async def stop_fronts(ends: list[OwnerEnd]) -> None:
    """Ask every front to stop, keep answering until each link closes, then reap them."""
    for end in ends:
        try:
            os.kill(end.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for end in ends:
        await end.gone
        try:
            os.waitpid(end.pid, 0)
        except ChildProcessError:
            pass


# ----------------------------------------------------------------------------- front side
class FrontDispatcher(Dispatcher):
    """The HTTP side of a front: everything up to a validated call here, the call itself (and
    every admin request) in the owner."""

    def __init__(self, config: Config, port: int, owner: "OwnerLink",
                 declarations: Sequence[ServiceDeclaration]):
        self.app = None
        # With --auth verify/enforce a front checks a signature's form and date and computes the
        # string to sign; the owner, which holds the keys, settles the claim (authenticate.py).
        claims = (Authenticator(None, None, Clock.wall_now) if config.auth != "none" else None)
        self.pipeline = Pipeline(declarations, {}, config.account_id, config.region, claims)
        self.cors = cors_policy(self.pipeline)
        self.default_host = f"{config.host}:{port}"
        self.owner = owner

    def admin(self, req: WireRequest, method: str, target: str, headers: dict[str, str],
              body: bytes):
        return self.owner.forward(None, (method, target, headers, body))

    def serve(self, req: WireRequest, endpoint: str):
        pipeline = self.pipeline
        if pipeline.request_log is None:
            call = pipeline.prepare(req, endpoint)
        else:  # the owner logs the calls it runs; the front those it answers itself
            started = pipeline.request_log.start()
            call = pipeline.prepare(req, endpoint)
            if call.__class__ is not Call:
                pipeline.log_refused(call, started)
        if call.__class__ is not Call:
            return call
        c = call.caller  # as a tuple: pickles in half the time of the dataclass
        return self.owner.forward(call, (call.service, call.operation,
                                         (c.account_id, c.region, c.request_id, c.access_key,
                                          c.principal_arn, c.endpoint), call.params, call.claim))


class OwnerLink:
    """A front's calls in flight to the owner, and what to do with each reply."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.link: Optional[Link] = None
        self.pipeline: Optional[Pipeline] = None
        self.pending: dict[int, tuple[Deferred, Optional[Call]]] = {}
        self._seq = itertools.count(1).__next__
        self.lost = asyncio.Event()
        self.drained = asyncio.Event()  # set while nothing is in flight
        self.drained.set()

    def forward(self, call: Optional[Call], args: tuple) -> "Deferred | WireResponse":
        if self.link is None or self.link.closed:
            return WireResponse(503, b"The Dynoscale owner process is gone.",
                                [("content-type", "text/plain")])
        seq = self._seq()
        try:
            frame = pickle.dumps((seq, CALL if call is not None else HTTP, args), _PICKLE)
        except Exception:
            log.exception("cannot forward %r", args[:2])
            if call is None:
                raise
            return call.codec.error(internal_failure(), call.rid)
        deferred = Deferred()
        self.pending[seq] = (deferred, call)
        self.drained.clear()
        self.link.send(frame)
        return deferred

    def on_frame(self, frame: bytes) -> None:
        seq, status, value = pickle.loads(frame)
        deferred, call = self.pending.pop(seq)
        if call is None:  # an admin request
            deferred.resolve(WireResponse(*value) if status == OK else admin.failure())
        elif status == OK:
            deferred.resolve(self.pipeline.finish(call, value))
        elif status == ERROR:
            deferred.resolve(call.codec.error(value, call.rid))
        else:  # the owner's handler or its commit failed
            deferred.resolve(call.codec.error(own_failure(call.codec.declaration), call.rid))
        if not self.pending:
            self.drained.set()

    def on_lost(self) -> None:
        # The owner is gone: nothing in flight can be acknowledged.
        pending, self.pending = self.pending, {}
        for deferred, _ in pending.values():
            deferred.resolve(None)
        self.drained.set()
        self.lost.set()


def run_front(config: Config, port: int, sock: socket.socket,
              declarations: Sequence[ServiceDeclaration]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        import uvloop
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:  # uvloop is optional (not on Windows)
        pass
    asyncio.run(_front_main(config, port, sock, declarations))


async def _front_main(config: Config, port: int, sock: socket.socket,
                      declarations: Sequence[ServiceDeclaration]) -> None:
    loop = asyncio.get_running_loop()
    owner = OwnerLink(loop)
    dispatcher = FrontDispatcher(config, port, owner, declarations)
    owner.pipeline = dispatcher.pipeline
    _, owner.link = await loop.connect_accepted_socket(
        lambda: Link(loop, owner.on_frame, owner.on_lost), sock)
    for declaration in declarations:
        models.service_model(declaration.name)  # load the models before the first request
    http = HttpServer(dispatcher, None, loop, Limits.of(config))
    http.start()
    server = await loop.create_server(http.factory, sock=listener(config.host, port, True))
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(owner.lost.wait())]
    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    server.close()
    if not owner.lost.is_set():
        await http.drain()  # requests in progress finish, their answers come from the owner
    await owner.drained.wait()  # answers to calls already forwarded
    http.shutdown()
    for waiter in waiters:
        waiter.cancel()
    if owner.link is not None and owner.link.transport is not None:
        owner.link._flush()
        owner.link.transport.close()
