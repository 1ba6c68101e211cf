"""ListStreams: the account's streams in the region, optionally of one table, in pages of `Limit`
(default and maximum 100, API_streams_ListStreams) after ExclusiveStartStreamArn; ordered by stream ARN
(so by table, then creation), which keeps paging stable while streams are created between pages
(scylladb's test_list_streams_paged_with_new_table). A Limit above 100 is a ValidationException (scylladb's
test_list_streams_too_high_limit: AWS refuses 101), and an ExclusiveStartStreamArn that is not a
stream ARN is one too (scylladb's test_list_streams_with_nonexistent_last_stream, run against
AWS; the text is the one AWS gives a malformed StreamArn, inferred to be shared)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodbstreams import errors, lookup

MAX_LIMIT = 100


def handle(svc, caller: Caller, request: dict) -> dict:
    limit = request.get("Limit") or MAX_LIMIT
    if limit > MAX_LIMIT:
        raise errors.limit_too_large(limit, MAX_LIMIT)
    start = request.get("ExclusiveStartStreamArn")
    if start is not None:
        lookup.check_arn(start)
    streams = sorted(svc.log.list(caller.scope), key=lambda s: s.arn)
    table = request.get("TableName")
    if table is not None:
        streams = [s for s in streams if s.table_name == table]
    if start is not None:
        streams = [s for s in streams if s.arn > start]
    page = streams[:limit]
    out: dict = {"Streams": [{"StreamArn": s.arn, "TableName": s.table_name, "StreamLabel": s.label}
                             for s in page]}
    if len(streams) > limit:
        out["LastEvaluatedStreamArn"] = page[-1].arn
    return out
