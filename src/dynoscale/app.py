"""Composition root: builds the clock, scheduler, store and the services listed in SERVICES,
wires their ports, and serves them over HTTP (server/http.py). Nothing else constructs services
or names the list of them."""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
from dataclasses import dataclass
from typing import Any, Optional

from dynoscale import durations
from dynoscale.clock import Clock, Priority, Scheduler
from dynoscale.config import Config
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.services.registry import Parts, Service
from dynoscale.storage.interface import Store
from dynoscale.storage.sqlite import SqliteStore
from dynoscale.timing import profile

log = logging.getLogger("dynoscale")

# Every service, by package under dynoscale/services/, in build order: a service may use the
# ports of those before it (sts: iam; dynamodb: cloudwatch, dynamodbstreams; autoscaling:
# cloudwatch, dynamodb, iam). The first query-protocol service answers forms no service claims.
SERVICES = ("iam", "sts", "cloudwatch", "dynamodbstreams", "dynamodb", "autoscaling")

CLOCK_DOC = ("clock", "_", "state")  # where the last simulated time is kept across restarts


def declarations() -> list[ServiceDeclaration]:
    """The wire identity of every service (each package's wire.WIRE): all the HTTP front needs,
    so front processes load these without building any service."""
    return [importlib.import_module(f"dynoscale.services.{package}.wire").WIRE for package in SERVICES]


@dataclass
class App:
    config: Config
    clock: Clock
    scheduler: Scheduler
    store: Store
    declarations: list[ServiceDeclaration]
    services: dict[str, Service]
    components: list
    auth: Optional[Any] = None  # auth.Auth under --auth verify/enforce

    @property
    def authenticate(self):
        return self.auth.authenticate if self.auth is not None else None

    @property
    def authorize(self):
        return self.auth.authorize if self.auth is not None else None

    def start(self) -> None:
        for c in self.components:
            start = getattr(c, "start", None)
            if start:
                start()
        # Persist simulated time each minute so a restart never moves time backwards.
        self.scheduler.every(60, self.save_clock, key="clock:save", priority=Priority.CLOCK_SAVE)

    def reset(self) -> None:
        """Forget every resource (POST /_dynoscale/reset): wipe the store, cancel every timed
        job, build fresh services in place. Simulated time goes on from where it is."""
        now = self.clock.now()
        self.scheduler.clear()
        self.store.wipe()
        self.store.put_doc(*CLOCK_DOC, {"now": now})
        self.components = _components(self.config, self.store, self.clock, self.scheduler)
        self.services.clear()  # the request pipeline holds this same dict
        self.services.update({c.service.name: c.service for c in self.components})
        if self.auth is not None:
            self.auth.rebind(_ports(self.components))
        self.start()

    def save_clock(self) -> None:
        self.store.put_doc(*CLOCK_DOC, {"now": self.clock.now()})

    def close(self) -> None:
        try:
            for c in reversed(self.components):  # a clean shutdown: what each keeps of its state
                stop = getattr(c, "stop", None)
                if stop:
                    try:
                        stop()
                    except Exception:  # one component's failure must not lose the others'
                        log.exception("stopping %s failed", type(c).__name__)
            self.save_clock()
        finally:
            self.store.close()


def _components(config: Config, store: Store, clock: Clock, scheduler: Scheduler) -> list:
    # One timing profile for every service (timing.py): `--timing fast|aws`.
    parts = Parts(store, clock, scheduler, config, timing=profile(config.timing))
    components = []
    for package in SERVICES:
        component = importlib.import_module(f"dynoscale.services.{package}.service").build(parts)
        parts.ports[package] = getattr(component, "api", None)
        components.append(component)
    return components


def _ports(components: list) -> dict[str, Any]:
    return {package: getattr(c, "api", None) for package, c in zip(SERVICES, components)}


def build(config: Config) -> App:
    store = SqliteStore(":memory:" if config.in_memory else config.data_dir, config.durability)
    saved = store.get_doc(*CLOCK_DOC)
    if config.from_wall_time and saved and saved["now"] > Clock.wall_now():
        # Simulated time never runs backwards over stored state (token buckets, metric points,
        # alarm and table timestamps, timed jobs all lie in that future), so starting at wall
        # time again means starting from an empty store, as POST /_dynoscale/reset leaves it.
        log.warning("--from-wall-time: the saved simulated time was %s ahead of wall time; "
                    "everything stored was forgotten", durations.format(saved["now"] - Clock.wall_now()))
        with store.transaction():
            store.wipe()
        saved = None
    clock = Clock(config.clock, config.time_scale, start=saved["now"] if saved else None)
    scheduler = Scheduler(clock)
    components = _components(config, store, clock, scheduler)
    services = {c.service.name: c.service for c in components}
    decls = declarations()
    auth = None
    if config.auth != "none":
        from dynoscale.auth import Auth
        auth = Auth(config, clock, decls, services, _ports(components))
    return App(config, clock, scheduler, store, decls, services, components, auth)


def clock_offset_note(clock: Clock) -> str:
    """For the start line: how far simulated time is from wall time, when it is noticeably, and
    how to come back (a previous accelerated or manual session on the same data directory)."""
    offset = clock.now() - Clock.wall_now()
    if abs(offset) < 60:  # a manual clock drifts behind by the seconds start-up takes
        return ""
    where = "ahead of" if offset > 0 else "behind"
    note = f" | simulated time {durations.format(abs(offset))} {where} wall time"
    if offset > 0 and clock.mode == "real":
        note += " (--from-wall-time starts over at wall time)"
    return note


def _open(config: Config) -> App:
    """build(config), with a one-line message instead of a traceback when the data directory
    cannot be created, written or read."""
    import sqlite3
    try:
        return build(config)
    except (OSError, sqlite3.Error) as e:
        raise SystemExit(f"dynoscale: cannot use data directory {config.data_location}: "
                         f"{getattr(e, 'strerror', None) or e}") from None


def serve(config: Config) -> None:
    from dynoscale.protocol import convert
    from dynoscale.server import workers
    from dynoscale.server.dispatch import Dispatcher
    from dynoscale.server.http import HttpServer, Limits

    # With --workers N the owner binds first (so port 0 resolves to one port for all), forks the
    # N-1 front processes before it opens the store, and leaves HTTP to them (server/workers.py).
    convert.allow_nesting()
    several = config.workers > 1
    try:
        sock = workers.listener(config.host, config.port, reuse_port=several, listen=not several)
    except OSError as e:  # one line, not a traceback: the port is taken or not ours to bind
        raise SystemExit(f"dynoscale: cannot listen on {config.host}:{config.port}: "
                         f"{e.strerror or e}") from None
    port = sock.getsockname()[1]
    fronts = (workers.fork_fronts(config, port, config.workers - 1, declarations())
              if config.workers > 1 else [])
    try:
        app = _open(config)  # fronts exit on their own when the owner does
    except BaseException:
        sock.close()
        raise

    async def main() -> int:
        loop = asyncio.get_running_loop()
        app.start()  # migrations and timed jobs before the first request can be read
        dispatcher = Dispatcher(app)
        http = HttpServer(dispatcher, app.store, loop, Limits.of(config))
        http.start()
        listener = None if several else await loop.create_server(http.factory, sock=sock)
        ends = await workers.attach_fronts(fronts, http, dispatcher)
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        ticker = asyncio.ensure_future(app.scheduler.run_forever())
        watcher = asyncio.ensure_future(workers.watch_fronts(ends, stop))
        try:
            await stop.wait()
        finally:
            if listener is not None:
                listener.close()  # no new connections; then the requests in progress finish
                await http.drain()
            watcher.cancel()
            await workers.stop_fronts(ends)  # each front drains its own connections
            http.shutdown()  # commits and sends what a last batch left, closes connections
            app.scheduler.stop()
            await ticker
            app.store.stop_group_commit()
        # exit status 1 when the server stopped because its fronts died, not because it was asked
        return 1 if watcher.done() and not watcher.cancelled() and watcher.result() else 0

    shown = f"http://{config.host}:{port}"
    print(f"Dynoscale listening on {shown} | data: {config.data_location} | "
          f"clock: {config.clock_label}{clock_offset_note(app.clock)} | auth: {config.auth}"
          + (f" | workers: {config.workers}" if fronts else "")
          + (f" | timing: {config.timing}" if config.timing != "fast" else "")
          + f" | dashboard: {shown}/_dynoscale/ui", flush=True)
    try:
        import uvloop
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:  # uvloop is optional (not on Windows)
        pass
    try:
        status = asyncio.run(main())
    finally:
        sock.close()
        app.close()
    if status:
        raise SystemExit(status)
