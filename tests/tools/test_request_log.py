"""The request log: at --log-level info, one line per request with service, operation, table,
status, consumed units, throttled or not, and latency; nothing at the default level."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

LINE = re.compile(r"dynoscale\.requests INFO (\S+) (\S+) (.*)$")


def request_lines(server) -> list[tuple[str, str, dict]]:
    out = []
    for line in server.log_path.read_text().splitlines():
        m = LINE.search(line)
        if m:
            fields = dict(f.split("=", 1) for f in m.group(3).split())
            out.append((m.group(1), m.group(2), fields))
    return out


def traffic(server):
    ddb = server.client("dynamodb")
    ddb.create_table(TableName="Logged", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    server.advance(10)
    outcomes = []
    for i in range(110):  # 3 WCU each: the 300 units of burst admit 100
        try:
            ddb.put_item(TableName="Logged", Item={"pk": {"S": str(i)}, "v": {"S": "x" * 2500}})
            outcomes.append("ok")
        except ClientError as e:
            outcomes.append(e.response["Error"]["Code"])
    with pytest.raises(ClientError):
        # refused by the model's validation (TableName of 3 to 255 characters), before the handler
        ddb.get_item(TableName="ab", Key={"pk": {"S": "1"}})
    server.client("sts").get_caller_identity()
    return outcomes


@pytest.mark.parametrize("workers", ["1", "2"])
def test_one_line_per_request_at_info(make_server, workers):
    server = make_server("--clock", "manual", "--log-level", "info", "--workers", workers)
    outcomes = traffic(server)
    lines = request_lines(server)
    puts = [fields for svc, op, fields in lines if (svc, op) == ("dynamodb", "PutItem")]
    assert len(puts) == 110
    for outcome, fields in zip(outcomes, puts):
        assert fields["table"] == "Logged"
        assert float(fields["latency_ms"]) >= 0
        if outcome == "ok":
            assert (fields["status"], fields["consumed"], fields["throttled"]) == ("200", "3", "no")
            assert "error" not in fields
        else:
            assert outcome == "ProvisionedThroughputExceededException"
            assert (fields["status"], fields["error"]) == ("400", outcome)
            assert (fields["consumed"], fields["throttled"]) == ("0", "yes")
    assert "ProvisionedThroughputExceededException" in outcomes
    [create] = [f for s, o, f in lines if o == "CreateTable"]
    assert (create["table"], create["status"], create["throttled"]) == ("Logged", "200", "no")
    [refused] = [f for s, o, f in lines if o == "GetItem"]
    assert (refused["status"], refused["error"]) == ("400", "ValidationException")
    assert "consumed" not in refused  # answered before the handler: nothing was charged
    assert [(s, o) for s, o, f in lines if s == "sts"] == [("sts", "GetCallerIdentity")]


def test_no_request_lines_at_the_default_level(make_server):
    server = make_server("--clock", "manual")
    traffic(server)
    assert request_lines(server) == []
    assert "dynoscale.requests" not in server.log_path.read_text()
