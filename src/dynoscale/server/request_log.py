"""The request log: at `--log-level info`, one line per AWS request, so people see why their code
was throttled:

    dynamodb PutItem table=TestTable status=400 error=ProvisionedThroughputExceededException
        consumed=0 throttled=yes latency_ms=0.21

(one line). `consumed` is the capacity units charged (tables, indexes), `throttled` whether any
of the request's reads or writes were throttled (also partly, as a batch's UnprocessedItems),
both as the DynamoDB domain reports them through the request's `context.Usage`; `table` is what
the request touched, else its TableName; `latency_ms` the time from decoding to the encoded
answer, without the wait for the group commit (server/http.py). Off (None in the pipeline) when
the level is above info, so a request pays nothing for it.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from dynoscale.clock import Clock
from dynoscale.context import Usage

log = logging.getLogger("dynoscale.requests")


def enabled() -> Optional["RequestLog"]:
    return RequestLog() if log.isEnabledFor(logging.INFO) else None


class RequestLog:
    start = staticmethod(Clock.wall_elapsed)

    def line(self, service: str, operation: str, params: Any, usage: Optional[Usage],
             status: int, error: Optional[str], started: float) -> None:
        millis = (Clock.wall_elapsed() - started) * 1000
        tables = usage.tables if usage is not None and usage.tables else None
        if tables is None and isinstance(params, dict) and isinstance(params.get("TableName"), str):
            tables = [params["TableName"]]  # a request that charged nothing names its table
        parts = [service or "-", operation or "-"]
        if tables:
            parts.append("table=" + ",".join(tables))
        parts.append(f"status={status}")
        if error:
            parts.append(f"error={error}")
        if usage is not None:
            parts.append(f"consumed={usage.units:g}")
            parts.append("throttled=" + ("yes" if usage.throttled else "no"))
        parts.append(f"latency_ms={millis:.2f}")
        log.info(" ".join(parts))
