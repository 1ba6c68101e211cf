"""DescribeEndpoints: the endpoint SDKs with endpoint discovery should use, answered with the
server's own address as the client reached it, so discovering clients stay on Dynoscale.

AWS returns `Address` as a bare host name (e.g. `dynamodb.us-east-1.amazonaws.com`, no scheme)
and CachePeriodInMinutes 1440 (DynamoDB API reference, DescribeEndpoints example); Dynoscale
answers `host:port` from the request's Host header in the same scheme-less form.
"""

from __future__ import annotations

from dynoscale.context import Caller

CACHE_PERIOD_MINUTES = 1440


def handle(svc, caller: Caller, request: dict) -> dict:
    base = caller.endpoint or f"http://{svc.config.host}:{svc.config.port}"
    address = base.split("://", 1)[-1].rstrip("/")
    return {"Endpoints": [{"Address": address, "CachePeriodInMinutes": CACHE_PERIOD_MINUTES}]}
