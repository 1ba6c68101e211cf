"""DescribeEndpoints answers with the server's own address (scheme-less, as AWS's `Address`) and
AWS's 1440-minute cache period, so SDKs that discover endpoints stay on Dynoscale."""

from __future__ import annotations

from tests.dynamodb.helpers import create


def test_describe_endpoints_is_the_address_the_client_used(server):
    out = server.client("dynamodb").describe_endpoints()
    assert out["Endpoints"] == [{"Address": f"127.0.0.1:{server.port}", "CachePeriodInMinutes": 1440}]


def test_client_with_endpoint_discovery_enabled_writes(server, unique):
    ddb = server.client("dynamodb", endpoint_discovery_enabled=True)
    name = unique("disc")
    create(server, ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}})
    assert ddb.get_item(TableName=name, Key={"id": {"S": "a"}})["Item"] == {"id": {"S": "a"}}


def test_botocore_discovery_resolves_to_dynoscale(server, unique):
    """botocore's own discovery manager (the code a discovering client runs) learns Dynoscale's
    address; a client on that address, in the scheme the server was reached with, then writes."""
    from botocore.discovery import EndpointDiscoveryManager

    ddb = server.client("dynamodb")
    address = EndpointDiscoveryManager(ddb, always_discover=True).describe_endpoint(
        Operation="PutItem", Identifiers={})
    assert address == f"127.0.0.1:{server.port}"
    assert server.url == f"http://{address}"
    name = unique("disc")
    create(server, ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "b"}})
    assert "Item" in ddb.get_item(TableName=name, Key={"id": {"S": "b"}})
