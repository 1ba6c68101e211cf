"""Composition root: builds the clock, scheduler, store and the five services, wires their ports,
and builds the ASGI app. Nothing else constructs services."""

from __future__ import annotations

import asyncio
import logging
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
                try:
                    start()
                except NotImplementedError:  # TEMPORARY during parallel development
                    log.warning("%s could not start: a neighbour port is missing", type(c).__name__)
        # Persist simulated time each minute so a restart never moves time backwards.
        self.scheduler.every(60, self.save_clock, key="clock:save", priority=99)

    def save_clock(self) -> None:
        self.store.put_doc(*CLOCK_DOC, {"now": self.clock.now()})

    def close(self) -> None:
        try:
            self.save_clock()
        finally:
            self.store.close()


def _load(module: str, cls: str):
    # TEMPORARY during parallel development: tolerate a service package that is not written yet.
    import importlib
    try:
        return getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError, SyntaxError) as e:
        log.warning("service %s unavailable: %s", module, e)
        return None


def build(config: Config) -> App:
    from dynoscale.services.cloudwatch.api import CloudWatchApi
    from dynoscale.services.dynamodb.api import DynamoDBApi
    from dynoscale.services.iam.api import IamApi

    store = SqliteStore(":memory:" if config.in_memory else config.data_dir)
    saved = store.get_doc(*CLOCK_DOC)
    clock = Clock(config.clock, config.time_scale, start=saved["now"] if saved else None)
    scheduler = Scheduler(clock)
    components = []
    Iam = _load("dynoscale.services.iam.service", "IamService")
    iam = Iam(store, clock, config) if Iam else None
    Sts = _load("dynoscale.services.sts.service", "StsService")
    sts = Sts(store, clock, config) if Sts else None
    Cw = _load("dynoscale.services.cloudwatch.service", "CloudWatchService")
    cloudwatch = Cw(store, clock, scheduler, config) if Cw else None
    Ddb = _load("dynoscale.services.dynamodb.service", "DynamoDBService")
    dynamodb = Ddb(store, clock, scheduler, config, cloudwatch.api if cloudwatch else CloudWatchApi()) if Ddb else None
    Aas = _load("dynoscale.services.autoscaling.service", "AutoScalingService")
    autoscaling = Aas(store, clock, scheduler, config, cloudwatch.api if cloudwatch else CloudWatchApi(),
                      dynamodb.api if dynamodb else DynamoDBApi(), iam.api if iam else IamApi()) if Aas else None
    components = [c for c in (iam, sts, cloudwatch, dynamodb, autoscaling) if c is not None]
    services = {c.service.name: c.service for c in components}
    return App(config, clock, scheduler, store, services, components)


def serve(config: Config) -> None:
    import uvicorn

    from dynoscale.server.asgi import make_asgi

    app = build(config)
    server = uvicorn.Server(uvicorn.Config(
        make_asgi(app), host=config.host, port=config.port, log_level=config.log_level,
        access_log=False, lifespan="off", http="httptools"))

    async def main() -> None:
        app.start()
        ticker = asyncio.ensure_future(app.scheduler.run_forever())
        try:
            await server.serve()  # returns on SIGINT/SIGTERM (uvicorn installs the handlers)
        finally:
            app.scheduler.stop()
            await ticker

    print(f"Dynoscale listening on {config.url} | data: {config.data_location} | "
          f"clock: {config.clock_label}", flush=True)
    try:
        import uvloop
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:  # uvloop is optional (not on Windows)
        pass
    try:
        asyncio.run(main())
    finally:
        app.close()
