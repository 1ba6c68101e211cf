"""The same CloudWatch calls work in all three wire protocols the model offers.

The CloudWatch model lists `smithy-rpc-v2-cbor`, `json` and `query` (spec 5.1.1); botocore uses
the first protocol of `botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS` that the model offers
and caches it on the client's ServiceModel (`resolved_protocol`, a cached property), so putting the
wanted protocol first while the client is created pins it for that client's lifetime. Each test
checks the protocol really used on the wire from the sent request (event `before-send`).
CloudWatch is awsQueryCompatible, so JSON/CBOR errors still surface the query-era code
(spec 5.1.3).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.cloudwatch.helpers import cloudwatch_client
from tests.kit import error_of

PROTOCOLS = ["smithy-rpc-v2-cbor", "json", "query"]


def client_speaking(server, protocol: str):
    client = cloudwatch_client(server, protocol)
    sent: list = []
    client.meta.events.register("before-send.cloudwatch", lambda request, **_: sent.append(request))
    return client, sent


def wire_protocol(request) -> str:
    headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v)
               for k, v in request.headers.items()}
    if headers.get("smithy-protocol") == "rpc-v2-cbor":
        assert "/service/GraniteServiceVersion20100801/operation/" in request.url
        return "smithy-rpc-v2-cbor"
    if headers.get("x-amz-target", "").startswith("GraniteServiceVersion20100801."):
        assert headers["content-type"] == "application/x-amz-json-1.0"
        return "json"
    body = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
    assert body.startswith("Action=") and "Version=2010-08-01" in body
    return "query"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_metrics_and_alarms_in_each_protocol(server, unique, protocol):
    cw, sent = client_speaking(server, protocol)
    ns, name = unique("Dynoscale/Proto"), unique(f"Proto-{protocol}")
    now = server.now()
    t0 = now - now % 60
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "M", "Value": 4.5, "Unit": "Count", "Timestamp": t0,
         "Dimensions": [{"Name": "TableName", "Value": "T"}]}])
    out = cw.get_metric_statistics(Namespace=ns, MetricName="M", StartTime=t0, EndTime=t0 + 60,
                                   Period=60, Statistics=["Sum", "SampleCount"],
                                   Dimensions=[{"Name": "TableName", "Value": "T"}])
    [dp] = out["Datapoints"]
    assert (dp["Sum"], dp["SampleCount"], dp["Unit"]) == (4.5, 1.0, "Count")
    assert dp["Timestamp"].timestamp() == t0
    cw.put_metric_alarm(AlarmName=name, MetricName="M", Namespace=ns, Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold",
                        Dimensions=[{"Name": "TableName", "Value": "T"}],
                        AlarmActions=["arn:aws:sns:us-east-1:123456789012:ops"])
    [alarm] = cw.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert alarm["StateValue"] == "INSUFFICIENT_DATA"
    assert alarm["AlarmArn"] == f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"
    assert alarm["Dimensions"] == [{"Name": "TableName", "Value": "T"}]
    assert alarm["OKActions"] == [] and alarm["AlarmActions"] == ["arn:aws:sns:us-east-1:123456789012:ops"]
    assert alarm["Threshold"] == 1.0 and alarm["ActionsEnabled"] is True
    assert alarm["StateUpdatedTimestamp"].timestamp() == pytest.approx(server.now(), abs=1)
    assert {wire_protocol(r) for r in sent} == {protocol}


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_errors_in_each_protocol(server, unique, protocol):
    cw, sent = client_speaking(server, protocol)
    with pytest.raises(ClientError) as exc:
        cw.put_metric_alarm(AlarmName=unique("Bad"), MetricName="M", Namespace="Ns",
                            Statistic="Sum", Period=45, EvaluationPeriods=1, Threshold=1.0,
                            ComparisonOperator="GreaterThanThreshold")
    assert error_of(exc) == ("ValidationError", "Period must be 10, 20, 30 or a multiple of 60", 400)
    with pytest.raises(ClientError) as exc:
        cw.set_alarm_state(AlarmName=unique("missing"), StateValue="OK", StateReason="x")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFound"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    # modelled errors map to their exception classes in every protocol
    with pytest.raises(cw.exceptions.InvalidParameterCombinationException):
        cw.get_metric_statistics(Namespace="Ns", MetricName="M", StartTime=0, EndTime=86400,
                                 Period=1, Statistics=["Sum"])
    assert {wire_protocol(r) for r in sent} == {protocol}
