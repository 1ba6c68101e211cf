"""The Store protocol: the only storage names domain code uses.

Three collections, all scoped so several accounts and regions can share one store:
- documents: small JSON records by (kind, scope, id), listed by kind+scope in id order
  (tables, alarms, roles, policies, scalable targets, activities, ...);
- items: opaque value bytes by (table id, partition key bytes, sort key bytes), where the key bytes
  come from `storage.encoding` and sort like DynamoDB sorts keys, so a Query is a range scan;
- metric points: statistic sets (count, sum, min, max) per metric series and timestamp.

Commits. Outside group commit, writes outside `transaction()` are committed when the call
returns; inside one, when the block exits without error. While serving, the HTTP layer turns on
*group commit* (`start_group_commit`): the writes of one event-loop batch of requests join one
open transaction (a `transaction()` block inside it still rolls back only itself on error), the
store calls `on_open()` when such a group opens, the server calls `commit()` once the batch is
handled (or `rollback()` if that commit fails), and no response is sent while `uncommitted()` is
true, so an acknowledged write is always committed.

`durable` says whether the store outlives the process (a data directory) or is thrown away
(`--in-memory`): only a durable store's responses need to wait for their commit.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Callable, Iterable, Iterator, Optional, Protocol


class StorageError(Exception):
    """A store that cannot be opened (a data directory that cannot be created or written, a file
    that is not a database, a directory in use by another server): the message says which and
    what to do, for a one-line answer at start."""


class StorageFault(StorageError):
    """A read or write the store could not do while serving (the database locked by another
    process, a full disk, an I/O error): the request is answered as its service's own failure
    and the server logs one line, not a traceback (server/pipeline.py)."""


class Store(Protocol):
    durable: bool

    def transaction(self) -> AbstractContextManager[None]: ...

    # group commit
    def start_group_commit(self, on_open: Callable[[], None]) -> None: ...
    def stop_group_commit(self) -> None: ...
    def uncommitted(self) -> bool: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...

    # documents
    def get_doc(self, kind: str, scope: str, id: str) -> Optional[dict[str, Any]]: ...
    def put_doc(self, kind: str, scope: str, id: str, doc: dict[str, Any]) -> None: ...
    def delete_doc(self, kind: str, scope: str, id: str) -> bool: ...
    def list_docs(self, kind: str, scope: Optional[str] = None,
                  prefix: str = "") -> list[tuple[str, str, dict[str, Any]]]: ...

    # items
    def get_item(self, table: str, pk: bytes, sk: bytes = b"") -> Optional[bytes]: ...
    def put_item(self, table: str, pk: bytes, sk: bytes, value: bytes) -> None: ...
    def delete_item(self, table: str, pk: bytes, sk: bytes = b"") -> None: ...
    def scan_items(self, table: str, pk: Optional[bytes] = None, *, lo: Optional[bytes] = None,
                   hi: Optional[bytes] = None, after: Optional[tuple[bytes, bytes]] = None,
                   reverse: bool = False,
                   limit: Optional[int] = None) -> Iterator[tuple[bytes, bytes, bytes]]: ...
    def drop_items(self, table: str) -> None: ...

    # metrics
    def add_metric_points(self, series: str, meta: dict[str, Any],
                          points: Iterable[tuple[float, float, float, float, float]]) -> None: ...
    def read_metric_points(self, series: str, start: float,
                           end: float) -> list[tuple[float, float, float, float, float]]: ...
    def list_metric_series(self, since: float = 0.0) -> list[tuple[str, dict[str, Any]]]: ...

    def wipe(self) -> None: ...
    def close(self) -> None: ...
