"""Dynoscale: a local DynamoDB with real provisioned throughput, CloudWatch alarms and
Application Auto Scaling.

`dynoscale.Server` (testing/server.py) starts one as a subprocess; it is imported on first use so
that `python -m dynoscale serve` pays nothing for it."""

__version__ = "0.1.0"


def __getattr__(name):
    if name == "Server":
        from dynoscale.testing.server import Server
        return Server
    raise AttributeError(f"module 'dynoscale' has no attribute {name!r}")
