"""ListStreams: the account's streams in the region, optionally of one table, in pages of `Limit`
(default and maximum 100, API_streams_ListStreams) after ExclusiveStartStreamArn; ordered by table
name, then by label (creation time)."""

from __future__ import annotations

from dynoscale.context import Caller

MAX_LIMIT = 100


def handle(svc, caller: Caller, request: dict) -> dict:
    streams = sorted(svc.log.list(caller.scope), key=lambda s: (s.table_name, s.label))
    table = request.get("TableName")
    if table is not None:
        streams = [s for s in streams if s.table_name == table]
    start = request.get("ExclusiveStartStreamArn")
    if start is not None:
        arns = [s.arn for s in streams]
        streams = streams[arns.index(start) + 1:] if start in arns else \
            [s for s in streams if s.arn > start]
    limit = min(request.get("Limit") or MAX_LIMIT, MAX_LIMIT)
    page = streams[:limit]
    out: dict = {"Streams": [{"StreamArn": s.arn, "TableName": s.table_name, "StreamLabel": s.label}
                             for s in page]}
    if len(streams) > limit:
        out["LastEvaluatedStreamArn"] = page[-1].arn
    return out
