"""DescribeLimits: the default account and table quotas (spec 3.2.1, 3.2.2)."""

from __future__ import annotations


def test_describe_limits_defaults(server):
    out = server.client("dynamodb").describe_limits()
    out.pop("ResponseMetadata")
    assert out == {"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                   "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}


def test_describe_limits_cli(server):
    assert server.aws("dynamodb", "describe-limits").json["TableMaxWriteCapacityUnits"] == 40000
