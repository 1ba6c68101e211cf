"""SELECT as AWS plans it: a Query when the WHERE pins the (table's or index's) partition key
with `=`, one Query per value when it names partitions with `IN [...]` or `= ... OR = ...`
(read in the order written, paged across them), otherwise a Scan, through the same read path as the item API's Query and Scan
(reading.py: the paged evaluation loop with Limit and the 1 MB page, capacity charged and
throttled as a Query or Scan of the same table or index, LastEvaluatedKey).

Facts (dynamodb-conformance, pinned against AWS, unless noted):
- `FROM "t"."i"` reads the index: `SELECT *` returns the index's projection and charges only
  the index; an LSI fetches attributes it lacks from the table (charged to the table), a GSI
  refuses them (`Global secondary index i does not project [a, b]`, statement order); a keyed
  index read refuses filter attributes the index lacks (`Secondary index i does not project one
  or more filter attributes: [a]`), an unkeyed one just finds nothing (indexQualifier.test.ts);
- an unknown index: `The table does not have the specified index`; ConsistentRead on a GSI:
  `Strongly consistent read is not supported on Global Secondary Indexes` (tier3 partiql);
- ORDER BY names key attributes of what is read, needs a WHERE and a partition key condition
  ([DDBL] texts); ORDER BY the sort key DESC reads backwards (grammar.test.ts);
- projected paths come back under their last name (`SELECT a.b` -> `b`; executeStatement.test.ts).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.services.dynamodb import errors, indexes, keys, reading
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.evaluate import equal, lookup
from dynoscale.services.dynamodb.partiql import keyed, tokens
from dynoscale.services.dynamodb.partiql import messages as m
from dynoscale.services.dynamodb.partiql.plan import Read
from dynoscale.services.dynamodb.partitions import partition_bytes


def find_index(table, read: Read, consistent: bool) -> Optional[indexes.Index]:
    if read.index is None:
        return None
    index = indexes.find(table, read.index)
    if index is None or index.is_global and index.status in ("CREATING", "DELETING"):
        raise errors.validation(m.NO_SUCH_INDEX)
    if index.is_global and consistent:
        raise errors.validation(m.CONSISTENT_READ_ON_GSI)
    return index


def _roots(node) -> list:
    out: list = []
    for path in t.document_paths(node) if node is not None else []:
        if isinstance(path[0], str) and path[0] not in out:
            out.append(path[0])
    return out


def _hash_in(node, hash_name: str) -> bool:
    """A top-level `hash IN [...]` conjunct: keyed for the index projection rule, though no
    single-partition Query (indexQualifier.test.ts "counts IN on the index partition key")."""
    if isinstance(node, t.And):
        return _hash_in(node.left, hash_name) or _hash_in(node.right, hash_name)
    return isinstance(node, t.In) and isinstance(node.subject, t.Attr) \
        and node.subject.path == (hash_name,)


def check_projection(index, table_schema, read: Read, extracted) -> None:
    held = index.projected_names(table_schema) if index is not None else None
    if held is None:
        return
    if index.is_global and read.paths:
        missing = []
        for path, _ in read.paths:
            if path[0] not in held and path[0] not in missing:
                missing.append(path[0])
        if missing:
            raise errors.validation(m.UNPROJECTED_SELECT.format(index.name, ", ".join(missing)))
    if extracted is not None or _hash_in(read.where, index.schema.hash_name):
        rest = extracted.rest if extracted is not None else read.where
        missing = [name for name in _roots(rest) if name not in held]
        if missing:
            raise errors.validation(m.UNPROJECTED_FILTER.format(index.name, ", ".join(missing)))


def order(read: Read, schema: keys.KeySchema, extracted) -> bool:
    """True to read forwards; ORDER BY's rules ([DDBL] ValidationExceptionMessages)."""
    if not read.order_by:
        return True
    if read.where is None:
        raise errors.validation(m.ORDER_BY_NEEDS_WHERE)
    forward = True
    for path, descending, node in read.order_by:
        if path is None:
            raise errors.validation(m.ORDER_BY_NOT_NAME.format(type(node).__name__))
        if path[0] not in schema.names:
            raise errors.validation(m.ORDER_BY_NOT_KEY.format(path[0]))
        if path[0] == schema.range_name:
            forward = not descending
    if extracted is None:
        raise errors.validation(m.ORDER_BY_NEEDS_HASH)
    return forward


def execute(tables, store, limiter, caller, read: Read, request: dict,
            statement_fingerprint: str) -> dict:
    consistent = bool(request.get("ConsistentRead"))
    table = tables.require_usable(caller.scope, read.table)
    table_schema = keys.KeySchema.of(table)
    index = find_index(table, read, consistent)
    schema = index.schema if index is not None else table_schema
    try:
        extracted = keyed.for_select(read.where, schema.hash_name, schema.range_name)
    except keyed.Unqueryable:
        extracted = None
    if schema.is_multi:
        # a multi-attribute GSI key: read the whole index with WHERE as the filter (the same
        # items, without the key range a single-attribute key allows)
        extracted = None
    check_projection(index, table_schema, read, extracted)
    if extracted is not None:
        for condition in extracted.conditions.values():
            keyed.check_key_types({condition.name: v for v in condition.values}, schema.typed())
    forward = order(read, schema, extracted)
    start = tokens.decode(request.get("NextToken"), caller.scope, statement_fingerprint)
    partitions = None
    if extracted is None:
        extracted, partitions = _fanout(read.where, schema)

    if read.paths is not None:
        select = "SPECIFIC_ATTRIBUTES"
        projection = t.ProjectionTree(tuple(path for path, _ in read.paths))
    else:
        select = "ALL_PROJECTED_ATTRIBUTES" if index is not None else "ALL_ATTRIBUTES"
        projection = None
    charge = reading.Charge(limiter, caller, table, index, "ExecuteStatement")
    scan: dict = {}
    accept = None
    filter_node = read.where
    if extracted is not None:
        filter_node = extracted.rest
        if partitions is None:
            hash_value = extracted.conditions[schema.hash_name].values[0]
            scan["pk"] = partition_bytes(schema.hash_type, hash_value[schema.hash_type])
        sort = extracted.conditions.get(schema.range_name) if schema.range_name else None
        if sort is not None:
            scan["lo"], scan["hi"] = reading.sort_bounds(sort, schema.range_type,
                                                         index is not None)
            accept = lambda pk, sk, row: sort.matches(row.get(sort.name))  # noqa: E731
        scan["reverse"] = not forward
    if start is not None:
        try:
            scan["after"] = reading.start_position(table, table_schema, index, start)
        except (KeyError, TypeError):
            raise errors.validation(m.INVALID_NEXT_TOKEN)

    def read_rows(**where):
        return (indexes.entries(store, index, **where) if index is not None
                else reading.table_rows(store, table, **where))

    if partitions is None:
        rows = read_rows(**scan)
    else:
        rows = _partition_rows(read_rows, scan, schema, partitions, start)
    filter_tree = t.ConditionTree("FilterExpression", filter_node) if filter_node else None
    fetch = reading.needs_fetch(index, table_schema, select, projection)
    page = reading.run(store, table, index, rows, select=select, filter_tree=filter_tree,
                       projection=None, limit=request.get("Limit"), fetch=fetch, accept=accept)
    capacity = charge.finish({"ConsistentRead": consistent, "TableName": read.table,
                              "ReturnConsumedCapacity": request.get("ReturnConsumedCapacity")},
                             page)

    items = page.items if read.paths is None else [shape(item, read.paths) for item in page.items]
    out: dict = {"Items": items}
    if page.last_key is not None:
        out["NextToken"] = tokens.encode(caller.scope, statement_fingerprint, page.last_key)
        out["LastEvaluatedKey"] = page.last_key
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out


def _fanout(where, schema: keys.KeySchema):
    """(key conditions, partition key values) of a WHERE that names its partitions with IN or OR
    (keyed.partition_fanout), else (None, None): the SELECT scans. Values of another type than
    the partition key's can match no item and are dropped (inferred: a scan would filter them
    out the same way, and AWS documents no error for them)."""
    fanout = keyed.partition_fanout(where, schema.hash_name)
    if fanout is None:
        return None, None
    values, template = fanout
    try:
        extracted = keyed.for_select(template, schema.hash_name, schema.range_name)
    except keyed.Unqueryable:
        return None, None
    sort = extracted.conditions.get(schema.range_name) if schema.range_name else None
    if sort is not None:
        keyed.check_key_types({sort.name: v for v in sort.values}, schema.typed())
    return extracted, [v for v in values if schema.hash_type in v and len(v) == 1]


def _partition_rows(read_rows, scan: dict, schema: keys.KeySchema, partitions: list,
                    start: Optional[dict]):
    """The rows of each partition in turn (one Query each); a NextToken resumes inside the
    partition it stopped in."""
    first, after = 0, scan.pop("after", None)
    if start is not None:
        resume = start.get(schema.hash_name)
        first = next((i for i, v in enumerate(partitions)
                      if resume is not None and equal(resume, v)), None)
        if first is None:
            raise errors.validation(m.INVALID_NEXT_TOKEN)

    def rows():
        for i in range(first, len(partitions)):
            value = partitions[i]
            where = dict(scan, pk=partition_bytes(schema.hash_type, value[schema.hash_type]))
            if i == first and after is not None:
                where["after"] = after
            yield from read_rows(**where)

    return rows()


def shape(item: dict, paths: tuple) -> dict:
    """A row of a SELECT list: each present path under its collapsed name, in list order."""
    out = {}
    for path, name in paths:
        value = lookup(item, path)
        if value is not None:
            out[name] = value
    return out
