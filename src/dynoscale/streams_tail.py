"""`dynoscale streams tail TABLE`: print a table's stream records as they arrive, like `tail -f`,
for people debugging their triggers. A client of a running server (any DynamoDB Streams endpoint
in fact): it walks the stream's shards by lineage with DescribeStream, GetShardIterator and
GetRecords exactly as the Developer Guide's consumer does ("DynamoDB Streams low-level API"),
through botocore, and polls every --interval wall seconds."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Optional, Sequence, TextIO

import botocore.session
from botocore.config import Config as ClientConfig

from dynoscale.clock import Clock


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dynoscale streams tail",
                                description="print a table's stream records as they arrive")
    p.add_argument("table", help="the table whose latest stream is read")
    p.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:8000"),
                   help="the server (AWS_ENDPOINT_URL, default http://127.0.0.1:8000)")
    p.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
                   help="region of the table (AWS_DEFAULT_REGION, default us-east-1)")
    p.add_argument("--from", dest="start", choices=["latest", "trim-horizon"], default="latest",
                   help="start after the newest record (default) or at the oldest kept one")
    p.add_argument("--interval", type=float, default=1.0, help="wall seconds between polls")
    p.add_argument("--max-polls", type=int, default=None,
                   help="stop after this many polls (default: run until interrupted)")
    return p


def _client(service: str, args):
    session = botocore.session.get_session()
    return session.create_client(
        service, endpoint_url=args.endpoint_url, region_name=args.region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        config=ClientConfig(retries={"total_max_attempts": 3}))


def tail(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout) -> int:
    args = parser().parse_args(argv)
    table = _client("dynamodb", args).describe_table(TableName=args.table)["Table"]
    arn = table.get("LatestStreamArn")
    if arn is None:
        print(f"dynoscale: table {args.table} has no stream", file=sys.stderr)
        return 1
    streams = _client("dynamodbstreams", args)
    kind = "LATEST" if args.start == "latest" else "TRIM_HORIZON"
    iterators: dict[str, Optional[str]] = {}  # shard id -> next iterator (None: drained)
    polls = 0
    while args.max_polls is None or polls < args.max_polls:
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            sid = shard["ShardId"]
            if sid not in iterators:
                # A shard that opened after the first poll holds only records newer than the start.
                first = kind if polls == 0 else "TRIM_HORIZON"
                iterators[sid] = streams.get_shard_iterator(
                    StreamArn=arn, ShardId=sid, ShardIteratorType=first)["ShardIterator"]
            while iterators[sid] is not None:
                page = streams.get_records(ShardIterator=iterators[sid])
                for record in page["Records"]:
                    print(json.dumps(record, default=str), file=out, flush=True)
                iterators[sid] = page.get("NextShardIterator")
                if not page["Records"]:
                    break
        polls += 1
        if args.max_polls is None or polls < args.max_polls:
            Clock.wall_sleep(args.interval)
    return 0
