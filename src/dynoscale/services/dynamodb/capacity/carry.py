"""What a clean shutdown keeps of the capacity system, and the next start takes back: the token
buckets, on-demand peaks and partition maps of every table and GSI as they are at the shutdown
(into the table records and partition documents, where the minute job keeps them, metrics.py),
and the meter's minutes not yet published (one store document, merged back at start and then
deleted). Without it a restart would hand out the capacity debited since the last minute
boundary again and drop that minute's consumed and throttled counts.

A crash (SIGKILL, power loss) runs none of this: it loses at most what the minute job had not
yet kept, i.e. the debits and meter counts since the last minute boundary (plus the metric lag,
timing.py), as docs/architecture.md (Durability of the capacity state) says.
"""

from __future__ import annotations

from dynoscale.services.dynamodb.capacity.limiter import Limiter
from dynoscale.services.dynamodb.capacity.meter import Meter
from dynoscale.services.dynamodb.tables import Tables
from dynoscale.storage.interface import Store

METER_DOC = ("dynamodb.meter", "_", "unpublished")


def keep(store: Store, tables: Tables, limiter: Limiter, meter: Meter) -> None:
    """At a clean shutdown, after the last request."""
    with store.transaction():
        live = limiter.tables_with_buckets()
        for scope, table in tables.all():
            if table.id in live and limiter.snapshot(table):
                tables.save(scope, table)
        data = meter.snapshot()
        if data["minutes"] or data["calls"]:
            store.put_doc(*METER_DOC, data)


def take_back(store: Store, meter: Meter) -> None:
    """At start, before the first request and the first minute job."""
    data = store.get_doc(*METER_DOC)
    if data is not None:
        meter.restore(data)
        store.delete_doc(*METER_DOC)
