"""Composition root: builds the clock, scheduler, store and the services listed in SERVICES,
wires their ports, and serves them over HTTP (server/http.py). Nothing else constructs services
or names the list of them."""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
from dataclasses import dataclass

from dynoscale.clock import Clock, Priority, Scheduler
from dynoscale.config import Config
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.services.registry import Parts, Service
from dynoscale.storage.interface import Store
from dynoscale.storage.sqlite import SqliteStore

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
        self.start()

    def save_clock(self) -> None:
        self.store.put_doc(*CLOCK_DOC, {"now": self.clock.now()})

    def close(self) -> None:
        try:
            self.save_clock()
        finally:
            self.store.close()


def _components(config: Config, store: Store, clock: Clock, scheduler: Scheduler) -> list:
    parts = Parts(store, clock, scheduler, config)
    components = []
    for package in SERVICES:
        component = importlib.import_module(f"dynoscale.services.{package}.service").build(parts)
        parts.ports[package] = getattr(component, "api", None)
        components.append(component)
    return components


def build(config: Config) -> App:
    store = SqliteStore(":memory:" if config.in_memory else config.data_dir, config.durability)
    saved = store.get_doc(*CLOCK_DOC)
    clock = Clock(config.clock, config.time_scale, start=saved["now"] if saved else None)
    scheduler = Scheduler(clock)
    components = _components(config, store, clock, scheduler)
    services = {c.service.name: c.service for c in components}
    return App(config, clock, scheduler, store, declarations(), services, components)


def serve(config: Config) -> None:
    from dynoscale.server import workers
    from dynoscale.server.dispatch import Dispatcher
    from dynoscale.server.http import HttpServer

    # With --workers N the owner binds first (so port 0 resolves to one port for all), forks the
    # N-1 front processes before it opens the store, and leaves HTTP to them (server/workers.py).
    several = config.workers > 1
    sock = workers.listener(config.host, config.port, reuse_port=several, listen=not several)
    port = sock.getsockname()[1]
    fronts = (workers.fork_fronts(config, port, config.workers - 1, declarations())
              if config.workers > 1 else [])
    app = build(config)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        app.start()  # migrations and timed jobs before the first request can be read
        dispatcher = Dispatcher(app)
        http = HttpServer(dispatcher, app.store, loop)
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
                listener.close()
            watcher.cancel()
            await workers.stop_fronts(ends)
            http.shutdown()  # commits and sends what a last batch left, closes connections
            app.scheduler.stop()
            await ticker
            app.store.stop_group_commit()
        # exit status 1 when the server stopped because its fronts died, not because it was asked
        return 1 if watcher.done() and not watcher.cancelled() and watcher.result() else 0

    shown = f"http://{config.host}:{port}"
    print(f"Dynoscale listening on {shown} | data: {config.data_location} | "
          f"clock: {config.clock_label}" + (f" | workers: {config.workers}" if fronts else "") +
          f" | dashboard: {shown}/_dynoscale/ui", flush=True)
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
