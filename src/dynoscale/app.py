"""Composition root: builds the clock, scheduler, store and the five services, wires their ports,
and serves it over HTTP (server/http.py). Nothing else constructs services."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass

from dynoscale.clock import Clock, Scheduler
from dynoscale.config import Config
from dynoscale.services.registry import Service
from dynoscale.storage.sqlite import SqliteStore

log = logging.getLogger("dynoscale")

CLOCK_DOC = ("clock", "_", "state")  # where the last simulated time is kept across restarts


@dataclass
class App:
    config: Config
    clock: Clock
    scheduler: Scheduler
    store: SqliteStore
    services: dict[str, Service]
    components: list

    def start(self) -> None:
        for c in self.components:
            start = getattr(c, "start", None)
            if start:
                start()
        # Persist simulated time each minute so a restart never moves time backwards.
        self.scheduler.every(60, self.save_clock, key="clock:save", priority=99)

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


def _components(config: Config, store: SqliteStore, clock: Clock, scheduler: Scheduler) -> list:
    from dynoscale.services.autoscaling.service import AutoScalingService
    from dynoscale.services.cloudwatch.service import CloudWatchService
    from dynoscale.services.dynamodb.service import DynamoDBService
    from dynoscale.services.iam.service import IamService
    from dynoscale.services.sts.service import StsService

    iam = IamService(store, clock, config)
    sts = StsService(store, clock, config, iam.api)
    cloudwatch = CloudWatchService(store, clock, scheduler, config)
    dynamodb = DynamoDBService(store, clock, scheduler, config, cloudwatch.api)
    autoscaling = AutoScalingService(store, clock, scheduler, config, cloudwatch.api,
                                     dynamodb.api, iam.api)
    return [iam, sts, cloudwatch, dynamodb, autoscaling]


def build(config: Config) -> App:
    store = SqliteStore(":memory:" if config.in_memory else config.data_dir, config.durability)
    saved = store.get_doc(*CLOCK_DOC)
    clock = Clock(config.clock, config.time_scale, start=saved["now"] if saved else None)
    scheduler = Scheduler(clock)
    components = _components(config, store, clock, scheduler)
    services = {c.service.name: c.service for c in components}
    return App(config, clock, scheduler, store, services, components)


def serve(config: Config) -> None:
    from dynoscale.server import workers
    from dynoscale.server.dispatch import Dispatcher
    from dynoscale.server.http import HttpServer

    # With --workers N the owner binds first (so port 0 resolves to one port for all), forks the
    # N-1 front processes before it opens the store, and leaves HTTP to them (server/workers.py).
    several = config.workers > 1
    sock = workers.listener(config.host, config.port, reuse_port=several, listen=not several)
    port = sock.getsockname()[1]
    fronts = workers.fork_fronts(config, port, config.workers - 1) if config.workers > 1 else []
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
          f"clock: {config.clock_label}" + (f" | workers: {config.workers}" if fronts else ""),
          flush=True)
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
