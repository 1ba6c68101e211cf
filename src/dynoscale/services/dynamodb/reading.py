"""What Query and Scan share: request checks (Select, ExclusiveStartKey), the index a request
reads, the paged evaluation loop, LastEvaluatedKey and consumed capacity.

Facts and messages:
- Select combinations: moto tests marked aws_verified (test_dynamodb_select.py): Query's texts
  carry a "1 validation error detected: " prefix, Scan's do not;
- index lookup, ConsistentRead on a GSI, ALL_ATTRIBUTES on a partially projected GSI, starting-key
  checks: dynalite actions/query.js and scan.js (recorded against AWS);
- paging: Limit counts items evaluated (before the filter); a page also ends once 1 MB of items
  has been read; LastEvaluatedKey (table key plus index key) is the last item evaluated, returned
  whenever the page stopped on Limit or size (DG "Paginating table query results");
- capacity: spec 1.3.3-1.3.5 (sizes of items read summed, rounded up to 4 KB once, halved unless
  strongly consistent; GSIs use their own read capacity; LSI fetches of non-projected attributes
  are charged to the table at the full item size).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors, indexes, items, keys, values
from dynoscale.services.dynamodb.capacity.limiter import Limiter
from dynoscale.services.dynamodb.capacity.units import consumed_capacity_with_index, read_units
from dynoscale.services.dynamodb.expr import evaluate, project
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.storage.encoding import encode_key_value
from dynoscale.storage.interface import Store

PAGE_BYTES = 1024 * 1024
_ENVELOPE = "1 validation error detected: "
_SELECT_TEXT = {"ALL_ATTRIBUTES": "ALL_ATTRIBUTES",
                "ALL_PROJECTED_ATTRIBUTES": "ALL_PROJECTED_ATTRIBUTES", "COUNT": "only the Count"}


def check_select(request: dict, is_query: bool) -> str:
    """The effective Select, or AWS's ValidationException for a bad combination."""
    prefix = _ENVELOPE if is_query else ""
    select = request.get("Select")
    projection_member = ("ProjectionExpression" if request.get("ProjectionExpression") is not None
                         else "AttributesToGet" if request.get("AttributesToGet") is not None
                         else None)
    if select is None:
        if projection_member:
            return "SPECIFIC_ATTRIBUTES"
        return "ALL_PROJECTED_ATTRIBUTES" if request.get("IndexName") else "ALL_ATTRIBUTES"
    if select == "SPECIFIC_ATTRIBUTES":
        if not projection_member:
            raise errors.validation(prefix + "Must specify the AttributesToGet or "
                                    "ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
        return select
    if projection_member:
        raise errors.validation(f"{prefix}Cannot specify the {projection_member} when choosing to "
                                f"get {_SELECT_TEXT[select]}")
    if select == "ALL_PROJECTED_ATTRIBUTES" and not request.get("IndexName"):
        raise errors.validation(prefix + "ALL_PROJECTED_ATTRIBUTES can be used only when Querying "
                                "using an IndexName")
    return select


def check_start_key_values(request: dict) -> Optional[dict]:
    start = request.get("ExclusiveStartKey")
    if start is None:
        return None
    try:
        return {name: values.check_value(v) for name, v in start.items()}
    except AwsError as error:
        raise errors.validation(f"The provided starting key is invalid: {error.message}")


def find_index(table: TableRecord, request: dict, *, scan_with_start: bool = False
               ) -> Optional[indexes.Index]:
    """The requested index. An unknown index answers `The table does not have the specified
    index` (dynalite test/scan.js "unknown index and bad ExclusiveStartKey", recorded against
    AWS); only a Scan whose starting key has the table key's size gets `The provided starting key
    is invalid` (AWS answered those with a 500, which dynalite replaces by this text)."""
    name = request.get("IndexName")
    if name is None:
        return None
    index = indexes.find(table, name)
    if index is None or index.status in ("CREATING", "DELETING") and index.is_global:
        start = request.get("ExclusiveStartKey")
        if scan_with_start and start is not None \
                and len(start) == len(keys.KeySchema.of(table).names):
            raise errors.validation("The provided starting key is invalid")
        raise errors.validation(f"The table does not have the specified index: {name}")
    if index.is_global and request.get("ConsistentRead"):
        raise errors.validation("Consistent reads are not supported on global secondary indexes")
    return index


def check_all_attributes(index: Optional[indexes.Index], select: str) -> None:
    if index is not None and index.is_global and select == "ALL_ATTRIBUTES" \
            and index.projection_type != "ALL":
        raise errors.invalid(f"Select type ALL_ATTRIBUTES is not supported for global secondary "
                             f"index {index.name} because its projection type is not ALL")


def _missing_roots(paths, held: set) -> list:
    """Top-level names of `paths` an index entry does not hold, first-seen order, once each."""
    missing: list = []
    for path in paths:
        if isinstance(path[0], str) and path[0] not in held and path[0] not in missing:
            missing.append(path[0])
    return missing


def check_index_projection(index: Optional[indexes.Index], table_schema: keys.KeySchema,
                           projection, filter_tree: Optional[t.ConditionTree], *,
                           keyed: bool) -> None:
    """Reads of a partially projected index may not name attributes it lacks: a GSI refuses them
    in the projection (`Global secondary index i does not project [a, b]`: AWS's answer to a Query
    ProjectionExpression, localstack issue #478; dynamodb-conformance pins the same text for
    PartiQL reads of a GSI, whether keyed or not - so inferred for Scan too), an LSI fetches them
    (needs_fetch). A keyed read (Query) of either kind of index refuses them in the filter
    (`Secondary index i does not project one or more filter attributes: [a]`: scylladb
    test/alternator/test_lsi.py::test_lsi_keys_only_filter_on_non_projected_attribute, run against
    AWS, for a Query on an LSI even with Select=ALL_ATTRIBUTES; the text and the GSI case from
    dynamodb-conformance's PartiQL recordings); a Scan's filter just finds them absent."""
    held = index.projected_names(table_schema) if index is not None else None
    if held is None:
        return
    if index.is_global and projection is not None:
        missing = _missing_roots(projection.paths, held)
        if missing:
            raise errors.invalid(f"Global secondary index {index.name} does not project "
                                 f"[{', '.join(missing)}]")
    if keyed and filter_tree is not None:
        missing = _missing_roots(t.document_paths(filter_tree), held)
        if missing:
            raise errors.invalid(f"Secondary index {index.name} does not project one or more "
                                 f"filter attributes: [{', '.join(missing)}]")


def start_key_names(table_schema: keys.KeySchema, index: Optional[indexes.Index]) -> list:
    names = list(table_schema.names)
    if index is not None:
        names += [n for n in index.schema.names if n not in names]
    return names


def check_start_key(start: dict, table_schema: keys.KeySchema, index: Optional[indexes.Index],
                    *, scan: bool, select: Optional[str] = None) -> None:
    """ExclusiveStartKey must name exactly the table key (plus the index key), with the schema's
    types (dynalite actions/query.js, scan.js). With `select`, the ALL_ATTRIBUTES-on-a-GSI check
    runs between the index-key and the table-key checks, where AWS makes it (dynalite
    test/scan.js "specifying ALL_ATTRIBUTES when global index does not have ALL")."""
    names = start_key_names(table_schema, index)
    if len(start) != len(names):
        if scan and index is None:
            raise errors.validation("The provided starting key is invalid: The provided key element "
                                    "does not match the schema")
        raise errors.validation("The provided starting key is invalid")
    if index is not None:
        for name, type_name, _ in index.schema.typed():
            value = start.get(name)
            if value is None:
                raise errors.validation("The provided starting key is invalid")
            if type_name not in value:
                raise errors.key_schema_mismatch()
    if select is not None:
        check_all_attributes(index, select)
    try:
        keys.check_key(table_schema, {n: start[n] for n in table_schema.names if n in start})
    except AwsError as error:
        raise errors.validation(f"The provided starting key is invalid: {error.message}")


def start_position(table: TableRecord, table_schema: keys.KeySchema, index: Optional[indexes.Index],
                   start: dict) -> tuple[bytes, bytes]:
    table_key = keys.storage_key(table_schema, start)
    if index is None:
        return table_key
    return indexes.entry_key(index, table_key, start)


def sort_bounds(condition, type_name: str, on_index: bool) -> tuple:
    """(lo, hi) inclusive storage bounds for a sort-key condition. On an index the bounds are
    exact (components are terminated); on a table they may include the boundary value itself,
    which `condition.matches` then drops."""
    encoded = [encode_key_value(type_name, v[type_name]) for v in condition.values]
    first = encoded[0]
    if on_index:
        at = lambda b: indexes.escape(b) + indexes.TERM          # noqa: E731
        above = lambda b: indexes.escape(b) + indexes.TERM_AFTER  # noqa: E731
        plain = indexes.escape
    else:
        at = above = plain = lambda b: b                          # noqa: E731
    op = condition.op
    if op == "EQ":
        return at(first), above(first)
    if op == "LT":
        return None, at(first)
    if op == "LE":
        return None, above(first)
    if op == "GT":
        return above(first), None
    if op == "GE":
        return at(first), None
    if op == "BETWEEN":
        return at(first), above(encoded[1])
    successor = indexes.prefix_successor(first)
    return plain(first), None if successor is None else plain(successor)


def key_range_bounds(key_range, schema: keys.KeySchema, on_index: bool) -> tuple:
    """(lo, hi) inclusive storage bounds of a Query's sort-key conditions (key_range.sort set).
    On a multi-attribute sort key the equality conditions on the leading sort attributes are an
    exact prefix of components (indexes.py), under which the last condition's bounds apply; no
    bound on one side is the end of that prefix."""
    types = dict(schema.ranges)
    lo, hi = sort_bounds(key_range.sort, types[key_range.sort.name], on_index)
    if not key_range.prefix:
        return lo, hi
    prefix = b"".join(indexes.component(encode_key_value(types[c.name], c.values[0][types[c.name]]))
                      for c in key_range.prefix)
    return (prefix + lo if lo is not None else prefix,
            prefix + hi if hi is not None else indexes.prefix_successor(prefix))


@dataclass
class Page:
    items: list
    count: int
    scanned: int
    last_key: Optional[dict]
    read_bytes: int      # sizes of what was read from the table or index (entries)
    fetched_bytes: int   # LSI: full items fetched from the table for non-projected attributes


def run(store: Store, table: TableRecord, index: Optional[indexes.Index], rows: Iterator, *, select: str,
        filter_tree: Optional[t.ConditionTree], projection, limit: Optional[int],
        fetch: bool, accept=None) -> Page:
    """Evaluate rows `(pk, sk, item_or_entry)` in order until the rows end, `limit` items were
    evaluated or a megabyte was read. `accept(pk, sk, row)` drops rows outside the request's
    key range without evaluating them."""
    table_schema = keys.KeySchema.of(table)
    names = start_key_names(table_schema, index)
    out, count, scanned, read_bytes, fetched_bytes = [], 0, 0, 0, 0
    last, stopped = None, False
    for pk, sk, row in rows:
        if accept is not None and not accept(pk, sk, row):
            continue
        scanned += 1
        read_bytes += values.item_size(row)
        item = row
        if fetch:
            full = items.load(store, table, keys.storage_key(table_schema, row))
            if full is not None:
                fetched_bytes += values.item_size(full)
                item = full
        last = row
        if filter_tree is None or evaluate(filter_tree, item):
            count += 1
            if select != "COUNT":
                out.append(project(item, projection) if projection is not None else item)
        if (limit is not None and scanned >= limit) or read_bytes >= PAGE_BYTES:
            stopped = True
            break
    last_key = {n: last[n] for n in names if n in last} if stopped and last is not None else None
    return Page(out, count, scanned, last_key, read_bytes, fetched_bytes)


def below(rows: Iterator, hi: bytes) -> Iterator:
    """Rows until the first whose partition bytes reach `hi` (the end of a scan segment)."""
    for row in rows:
        if row[0] >= hi:
            return
        yield row


def table_rows(store: Store, table: TableRecord, **scan) -> Iterator:
    for pk, sk, raw in store.scan_items(table.id, **scan):
        yield pk, sk, values.item_from_stored(raw)


def needs_fetch(index: Optional[indexes.Index], table_schema: keys.KeySchema, select: str,
                projection) -> bool:
    """LSI reads fetch the table item when the request wants attributes the index lacks."""
    if index is None or index.is_global or index.projection_type == "ALL":
        return False
    if select == "ALL_ATTRIBUTES":
        return True
    if select == "SPECIFIC_ATTRIBUTES" and projection is not None:
        held = index.projected_names(table_schema)
        return any(path[0] not in held for path in projection.paths)
    return False


# -- capacity ------------------------------------------------------------------------------------
class Charge:
    """Admission before the read and charging after it, against the table's read bucket or, for a
    GSI, the index's own, which CloudWatch reports under TableName + GlobalSecondaryIndexName
    (spec 1.3.5, 2.1, 4.0.2)."""

    def __init__(self, limiter: Limiter, caller: Caller, table: TableRecord,
                 index: Optional[indexes.Index], operation: str, pk: Optional[bytes] = None):
        """`pk`: a Query's partition bytes, routing it to its partition (of the GSI, or of the
        table for the table and its LSIs). A Scan reads partition after partition and is held
        to the table's limit only (inferred: its pages are spread over the key space)."""
        self.limiter, self.caller, self.table, self.index = limiter, caller, table, index
        self.gsi = index.name if index is not None and index.is_global else None
        self.pk = pk
        limiter.admit(caller, table, "read", operation, self.gsi, pk)

    def finish(self, request: dict, page: Page) -> Optional[dict]:
        consistent = bool(request.get("ConsistentRead"))
        index_units = 0.0
        if self.index is None:
            table_units = read_units(page.read_bytes, consistent)
        else:
            index_units = read_units(page.read_bytes, consistent)
            table_units = read_units(page.fetched_bytes, consistent) if page.fetched_bytes else 0.0
        if self.gsi:
            self.limiter.charge(self.caller, self.table, "read", index_units, self.gsi, self.pk)
        else:
            self.limiter.charge(self.caller, self.table, "read", table_units + index_units,
                                None, self.pk)
        return consumed_capacity_with_index(
            request.get("ReturnConsumedCapacity"), request["TableName"], table_units,
            self.index.kind if self.index else None, self.index.name if self.index else None,
            index_units)


def output(page: Page, select: str, capacity: Optional[dict]) -> dict:
    out: dict = {}
    if select != "COUNT":
        out["Items"] = page.items
    out["Count"] = page.count
    out["ScannedCount"] = page.scanned
    if page.last_key is not None:
        out["LastEvaluatedKey"] = page.last_key
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out
