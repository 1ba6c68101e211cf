"""Scan: every item of a table or index, optionally one segment of a parallel scan.

Check order (dynalite validations/scan.js then actions/scan.js, recorded against AWS): expression
vs legacy members, AttributesToGet duplicates, ScanFilter shape, ExclusiveStartKey values,
Segment/TotalSegments, expressions, Select combinations; then the table, the index, ConsistentRead
on a GSI, the starting key, ALL_ATTRIBUTES on a GSI, the starting key's segment; then throttling
admission. Items come in DynamoDB's partition-hash order (partitions.py; on an index, the index
partition key's hash), which the storage keys already have, so a Scan is one storage range scan.
Segments split the hash space evenly into contiguous stretches (partitions.segment_bounds), so
they are disjoint, together cover the table in order, and stay the same from page to page.
Paging and capacity: reading.py.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors, indexes, key_attributes, keys, partitions, reading
from dynoscale.services.dynamodb.expr import legacy, members

EXPRESSIONS = ["ProjectionExpression", "FilterExpression"]
LEGACY = ["AttributesToGet", "ScanFilter", "ConditionalOperator"]


def handle(svc, caller: Caller, request: dict) -> dict:
    members.check_params(request, EXPRESSIONS, LEGACY)
    projection = legacy.attributes_to_get(request.get("AttributesToGet"))
    filter_tree = legacy.filter_from_conditions(request.get("ScanFilter"),
                                                request.get("ConditionalOperator"), "ScanFilter")
    start = reading.check_start_key_values(request)
    segment, total = request.get("Segment"), request.get("TotalSegments")
    if segment is not None and total is None:
        raise errors.validation("The TotalSegments parameter is required but was not present in the "
                                "request when Segment parameter is present")
    if total is not None:
        if segment is None:
            raise errors.validation("The Segment parameter is required but was not present in the "
                                    "request when parameter TotalSegments is present")
        if segment >= total:
            raise errors.validation("The Segment parameter is zero-based and must be less than "
                                    f"parameter TotalSegments: Segment: {segment} is not less than "
                                    f"TotalSegments: {total}")
    resolver = members.resolver(request, svc.expression_cache)
    if request.get("FilterExpression") is not None:
        filter_tree = resolver.condition(request["FilterExpression"], "FilterExpression")
    if request.get("ProjectionExpression") is not None:
        projection = resolver.projection(request["ProjectionExpression"])
    resolver.check_unused()
    select = reading.check_select(request, is_query=False)

    table = svc.tables.require_usable(caller.scope, request["TableName"])
    table_schema = keys.KeySchema.of(table)
    index = reading.find_index(table, request, scan_with_start=start is not None)
    if start is not None:
        reading.check_start_key(start, table_schema, index, scan=True, select=select)
    reading.check_all_attributes(index, select)
    reading.check_index_projection(index, table_schema, projection, filter_tree, keyed=False)
    segmented = total is not None and total > 1
    lo, hi = partitions.segment_bounds(segment, total) if segmented else (None, None)
    scan: dict = {}
    if start is not None:
        scan["after"] = reading.start_position(table, table_schema, index, start)
        if segmented and partitions.segment_of(scan["after"][0], total) != segment:
            raise errors.validation("The provided starting key is invalid: Invalid ExclusiveStartKey. "
                                    "Please use ExclusiveStartKey with correct Segment. "
                                    f"TotalSegments: {total} Segment: {segment}")
    elif lo is not None:
        scan["after"] = (lo, b"")  # a bare prefix: below every stored key that starts with it
    key_attributes.check_scalar_keys(table, filter_tree, projection)
    charge = reading.Charge(svc.limiter, caller, table, index, "Scan")

    rows = (indexes.entries(svc.store, index, **scan) if index is not None
            else reading.table_rows(svc.store, table, **scan))
    if hi is not None:
        rows = reading.below(rows, hi)
    fetch = reading.needs_fetch(index, table_schema, select, projection)
    page = reading.run(svc.store, table, index, rows, select=select, filter_tree=filter_tree,
                       projection=projection, limit=request.get("Limit"), fetch=fetch)
    return reading.output(page, select, charge.finish(request, page))
