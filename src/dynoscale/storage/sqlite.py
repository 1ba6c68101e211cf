"""SQLite implementation of the Store: one database file, WAL mode, group commit.

`path=":memory:"` gives a throwaway store (`--in-memory`). All calls come from the event-loop
thread, so one connection serves everything.

Commits. Outside a server (tests of the store, start-up, shutdown) every write commits at once
and `transaction()` is one `BEGIN IMMEDIATE ... COMMIT`. While serving, the HTTP layer switches
the store to *group commit* (`start_group_commit(on_open)`): the first write (in a durable store,
the first read too) of an event-loop batch opens one SQLite transaction, every write of the
batch joins it (`transaction()` blocks
become savepoints, so an error still undoes exactly its block), `on_open` asks the server to
`commit()` once the batch's requests are handled, and the server sends no response while
`uncommitted()` is true, so an acknowledged write is always committed. One commit (one fsync)
then covers many requests: the per-request commit was the largest cost of a durable write.

Durability (`--durability`): `normal` (default) sets `synchronous=NORMAL`: a commit's WAL frames
are written to the WAL file (so they are in the OS page cache, outside this process) before the
responses go out, and fsynced at checkpoints: acknowledged writes survive a killed or crashed
process, but the last ones may be lost (never corrupted) if the machine itself crashes or loses
power. `full` sets `synchronous=FULL`: each commit is also fsynced (about 0.3 ms on the team's
VM disk), so acknowledged writes survive a power loss too (reliability/power_loss_trials.py
simulates power losses under load and checks both promises).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from typing import Any, Callable, Iterable, Iterator, Optional

import orjson

from dynoscale.storage.interface import StorageError, StorageFault

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL,
    PRIMARY KEY (kind, scope, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items (
    tbl TEXT NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, body BLOB NOT NULL,
    PRIMARY KEY (tbl, pk, sk)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS metric_series (
    series TEXT PRIMARY KEY, meta BLOB NOT NULL, last_ts REAL NOT NULL);
CREATE TABLE IF NOT EXISTS metric_points (
    series TEXT NOT NULL, ts REAL NOT NULL, n REAL NOT NULL, total REAL NOT NULL,
    lo REAL NOT NULL, hi REAL NOT NULL);
CREATE INDEX IF NOT EXISTS metric_points_by_series ON metric_points (series, ts);
"""

DB_FILE = "dynoscale.sqlite3"
LOCK_FILE = "dynoscale.lock"
DOC_CACHE_SIZE = 20_000  # documents whose bodies are kept in memory (cleared when full)
DURABILITY = {"full": "FULL", "normal": "NORMAL"}  # --durability -> PRAGMA synchronous
THROWAWAY_CACHE_KIB = 8192  # SQLite page cache of an --in-memory store (8 MiB)

# Constant SQL texts: sqlite3 caches prepared statements by text, so the hot ones are compiled once.
_GET_DOC = "SELECT body FROM docs WHERE kind=? AND scope=? AND id=?"
_PUT_DOC = "INSERT OR REPLACE INTO docs (kind, scope, id, body) VALUES (?,?,?,?)"
_DELETE_DOC = "DELETE FROM docs WHERE kind=? AND scope=? AND id=?"
_GET_ITEM = "SELECT body FROM items WHERE tbl=? AND pk=? AND sk=?"
_PUT_ITEM = "INSERT OR REPLACE INTO items (tbl, pk, sk, body) VALUES (?,?,?,?)"
_DELETE_ITEM = "DELETE FROM items WHERE tbl=? AND pk=? AND sk=?"


# While serving, a write never waits for a lock another process holds (a sqlite3 shell inside a
# transaction, a backup tool): every client waits behind the one event-loop thread, so the
# request is answered as a failure at once instead (the server's own statements never contend:
# it has one connection, and --workers fronts hold none). At start the default 5 s wait applies.
SERVING_BUSY_TIMEOUT_MS = 0


class _Connection:
    """The sqlite3 connection, its OperationalErrors (locked, disk full, I/O, read-only) raised
    as StorageFault: what a caller may catch without knowing the store is SQLite."""
    __slots__ = ("raw",)

    def __init__(self, raw: sqlite3.Connection):
        self.raw = raw

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        try:
            return self.raw.execute(sql, params)
        except sqlite3.OperationalError as e:
            raise StorageFault(str(e)) from e

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        try:
            return self.raw.executemany(sql, rows)
        except sqlite3.OperationalError as e:
            raise StorageFault(str(e)) from e

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    @property
    def total_changes(self) -> int:
        return self.raw.total_changes

    def close(self) -> None:
        self.raw.close()


class SqliteStore:
    def __init__(self, path: str, durability: str = "normal"):
        self._lock_file = None
        if path != ":memory:":
            self._lock_file = _lock_directory(path)
            path = os.path.join(path, DB_FILE)
        self.path = path
        self.durable = path != ":memory:"
        try:
            self._open(durability)
        except sqlite3.DatabaseError as e:  # OperationalError too: read-only, unopenable
            self._unlock()
            if e.sqlite_errorname.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                raise StorageError(f"{path} is locked by another process ({e}); stop it or end "
                                   "its transaction, then start again") from None
            raise StorageError(f"{path} cannot be used as Dynoscale's database ({e}); move it "
                               "away to start with an empty data directory") from None

    def _open(self, durability: str) -> None:
        path = self.path
        # A throwaway store is SQLite's private temporary database (empty file name), not a
        # ":memory:" one: it lives in SQLite's page cache up to THROWAWAY_CACHE_KIB and spills
        # the rest to an unlinked temporary file (so to the OS page cache) instead of holding
        # every page in the process's own memory: 1,000,000 items took 270 MiB of RSS as
        # ":memory:", 55 MiB so. A small cache was also faster than a 64 MiB one on the
        # 1,000,000-item Query benchmark (bench/README.md).
        raw = sqlite3.connect(path if self.durable else "", isolation_level=None,
                              check_same_thread=False, cached_statements=256)
        if self.durable:
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute(f"PRAGMA synchronous={DURABILITY[durability]}")
        else:
            # The rollback journal stays in memory (savepoints still work); nothing is synced.
            raw.execute("PRAGMA journal_mode=MEMORY")
            raw.execute("PRAGMA synchronous=OFF")
            raw.execute(f"PRAGMA cache_size=-{THROWAWAY_CACHE_KIB}")
        raw.executescript(SCHEMA)
        # A file damaged past its first pages still opens: read the documents (every table,
        # alarm and policy record, all of which start-up loads anyway) so it fails here, at start.
        raw.execute("SELECT count(*), sum(length(body)) FROM docs").fetchone()
        # A database another process holds a write lock on: refused at start, in one line
        # (with WAL, the reads above do not wait for it; a write would, then fail).
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")
        raw.execute(f"PRAGMA busy_timeout={SERVING_BUSY_TIMEOUT_MS}")
        self._db = _Connection(raw)
        self._depth = 0
        self._transaction = _Transaction(self)  # one reusable context manager (no generator)
        self._on_open: Optional[Callable[[], None]] = None  # set while group commit is on
        self._group_reads = False  # reads open the group too (durable stores in group mode)
        self._group_changes = 0   # total_changes when the open group began
        # Document bodies (or None: absent) by key, as stored: every request reads its table's
        # record, and bytes cannot be mutated by callers. Writes keep it current; a rollback
        # clears it (the rolled-back writes had updated it).
        self._doc_cache: dict[tuple[str, str, str], Optional[bytes]] = {}

    # -- group commit -------------------------------------------------------------------------
    def start_group_commit(self, on_open: Callable[[], None]) -> None:
        """From now on writes join one open transaction until `commit()`; `on_open()` is called
        when a new one opens (the server schedules the commit after the current batch)."""
        self._on_open = on_open
        self._group_reads = self.durable

    def stop_group_commit(self) -> None:
        self.commit()
        self._on_open = None
        self._group_reads = False

    def uncommitted(self) -> bool:
        """True while the open group holds changes not yet committed."""
        db = self._db
        return db.in_transaction and db.total_changes != self._group_changes

    def commit(self) -> None:
        """Commit the open group, if any (the server calls this before sending its responses)."""
        if self._db.in_transaction and not self._depth:
            self._db.execute("COMMIT")

    def rollback(self) -> None:
        """Drop the open group (a failed commit: its responses are never sent)."""
        self._doc_cache.clear()
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")
        self._depth = 0

    def _write(self) -> None:
        """Before any write: in group mode, make sure the group's transaction is open."""
        if self._on_open is not None and not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
            self._group_changes = self._db.total_changes
            self._on_open()

    def _read(self) -> None:
        """Before a read of a durable store in group mode: open the group too. A statement
        outside a transaction takes and drops WAL read locks each time (about 2 µs); inside one
        the batch's reads share one snapshot, which also sees the batch's own writes."""
        if self._group_reads and not self._db.in_transaction:
            self._db.execute("BEGIN")
            self._group_changes = self._db.total_changes
            self._on_open()

    # -- transactions -------------------------------------------------------------------------
    def transaction(self) -> "_Transaction":
        """A block whose writes commit (or, in group mode, stay) together, or roll back together
        if it raises. Nestable: inner blocks belong to the outermost one."""
        return self._transaction

    def _enter(self) -> None:
        if not self._depth:
            if self._on_open is not None:
                self._write()
                self._db.execute("SAVEPOINT block")
            else:
                self._db.execute("BEGIN IMMEDIATE")
        self._depth += 1

    def _exit(self, failed: bool) -> None:
        self._depth -= 1
        if self._depth:
            return
        grouped = self._on_open is not None
        if failed:
            self._doc_cache.clear()  # it holds the rolled-back writes
            if grouped:
                self._db.execute("ROLLBACK TO block")
                self._db.execute("RELEASE block")
            else:
                self._db.execute("ROLLBACK")
        else:
            self._db.execute("RELEASE block" if grouped else "COMMIT")

    # -- documents ----------------------------------------------------------------------------
    def get_doc(self, kind: str, scope: str, id: str) -> Optional[dict[str, Any]]:
        key = (kind, scope, id)
        try:
            body = self._doc_cache[key]
        except KeyError:
            self._read()
            row = self._db.execute(_GET_DOC, key).fetchone()
            body = row[0] if row else None
            if len(self._doc_cache) >= DOC_CACHE_SIZE:
                self._doc_cache.clear()
            self._doc_cache[key] = body
        return None if body is None else orjson.loads(body)

    def put_doc(self, kind: str, scope: str, id: str, doc: dict[str, Any]) -> None:
        self._write()
        body = orjson.dumps(doc)
        key = (kind, scope, id)
        cached = self._doc_cache.pop(key, False) is not False
        self._db.execute(_PUT_DOC, (kind, scope, id, body))
        if cached:  # kept current; a document written and never read (alarm history, activities)
            self._doc_cache[key] = body  # is not cached: the cache holds what requests read

    def delete_doc(self, kind: str, scope: str, id: str) -> bool:
        self._write()
        self._doc_cache.pop((kind, scope, id), None)
        cur = self._db.execute(_DELETE_DOC, (kind, scope, id))
        return cur.rowcount > 0

    def list_docs(self, kind: str, scope: Optional[str] = None,
                  prefix: str = "") -> list[tuple[str, str, dict[str, Any]]]:
        sql = "SELECT scope, id, body FROM docs WHERE kind=?"
        args: list[Any] = [kind]
        if scope is not None:
            sql += " AND scope=?"
            args.append(scope)
        if prefix:
            sql += " AND id >= ? AND id < ?"
            args += [prefix, prefix + "\U0010ffff"]
        sql += " ORDER BY scope, id"
        self._read()
        return [(s, i, orjson.loads(b)) for s, i, b in self._db.execute(sql, args)]

    # -- items --------------------------------------------------------------------------------
    def get_item(self, table: str, pk: bytes, sk: bytes = b"") -> Optional[bytes]:
        self._read()
        row = self._db.execute(_GET_ITEM, (table, pk, sk)).fetchone()
        return row[0] if row else None

    def put_item(self, table: str, pk: bytes, sk: bytes, value: bytes) -> None:
        self._write()
        self._db.execute(_PUT_ITEM, (table, pk, sk, value))

    def delete_item(self, table: str, pk: bytes, sk: bytes = b"") -> None:
        self._write()
        self._db.execute(_DELETE_ITEM, (table, pk, sk))

    def scan_items(self, table: str, pk: Optional[bytes] = None, *, lo: Optional[bytes] = None,
                   hi: Optional[bytes] = None, after: Optional[tuple[bytes, bytes]] = None,
                   reverse: bool = False,
                   limit: Optional[int] = None) -> Iterator[tuple[bytes, bytes, bytes]]:
        """Items in key order. With `pk`, one partition, sort keys in [lo, hi]; `after` is an
        exclusive start (pk, sk) in the scan direction."""
        sql = "SELECT pk, sk, body FROM items WHERE tbl=?"
        args: list[Any] = [table]
        if pk is not None:
            sql += " AND pk=?"
            args.append(pk)
            if lo is not None:
                sql += " AND sk>=?"
                args.append(lo)
            if hi is not None:
                sql += " AND sk<=?"
                args.append(hi)
        if after is not None:
            sql += " AND (pk, sk) < (?, ?)" if reverse else " AND (pk, sk) > (?, ?)"
            args += list(after)
        sql += " ORDER BY pk DESC, sk DESC" if reverse else " ORDER BY pk, sk"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        self._read()
        yield from self._db.execute(sql, args)

    def drop_items(self, table: str) -> None:
        self._write()
        self._db.execute("DELETE FROM items WHERE tbl=?", (table,))

    def wipe(self) -> None:
        """Delete everything (admin reset), in the current transaction or group."""
        self._write()
        for table in ("docs", "items", "metric_series", "metric_points"):
            self._db.execute(f"DELETE FROM {table}")
        self._doc_cache.clear()

    # -- metrics ------------------------------------------------------------------------------
    def add_metric_points(self, series: str, meta: dict[str, Any],
                          points: Iterable[tuple[float, float, float, float, float]]) -> None:
        points = list(points)
        if not points:
            return
        last = max(p[0] for p in points)
        with self.transaction():
            self._db.execute(
                "INSERT INTO metric_series (series, meta, last_ts) VALUES (?,?,?) "
                "ON CONFLICT(series) DO UPDATE SET last_ts=max(last_ts, excluded.last_ts)",
                (series, orjson.dumps(meta), last))
            self._db.executemany(
                "INSERT INTO metric_points (series, ts, n, total, lo, hi) VALUES (?,?,?,?,?,?)",
                [(series, *p) for p in points])

    def read_metric_points(self, series: str, start: float,
                           end: float) -> list[tuple[float, float, float, float, float]]:
        """Points with start <= ts < end, as (ts, sample count, sum, min, max)."""
        self._read()
        return self._db.execute(
            "SELECT ts, n, total, lo, hi FROM metric_points WHERE series=? AND ts>=? AND ts<? "
            "ORDER BY ts", (series, start, end)).fetchall()

    def list_metric_series(self, since: float = 0.0) -> list[tuple[str, dict[str, Any]]]:
        self._read()
        return [(s, orjson.loads(m)) for s, m in self._db.execute(
            "SELECT series, meta FROM metric_series WHERE last_ts>=? ORDER BY series", (since,))]

    def close(self) -> None:
        self.stop_group_commit()
        self._db.close()
        self._unlock()

    def _unlock(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing the descriptor releases the flock
            self._lock_file = None


def _lock_directory(directory: str):
    """Create the data directory and hold an exclusive lock on it for the process's life: two
    servers writing one database would each hold state the other cannot see (SQLite would let
    them). The lock file holds the owner's pid, for the message the second one prints."""
    try:
        os.makedirs(directory, exist_ok=True)
        lock = open(os.path.join(directory, LOCK_FILE), "a+")
    except OSError as e:
        raise StorageError(f"cannot use data directory {directory}: {e.strerror or e}") from None
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.seek(0)
        owner = lock.read().strip() or "unknown"
        lock.close()
        raise StorageError(f"the data directory {directory} is in use by another Dynoscale "
                           f"server (pid {owner}); stop it or choose another --data-dir") from None
    lock.seek(0)
    lock.truncate()
    lock.write(str(os.getpid()))
    lock.flush()
    return lock


class _Transaction:
    """The context manager `SqliteStore.transaction()` returns (a class rather than a
    @contextmanager generator: it is entered on every write request)."""
    __slots__ = ("store",)

    def __init__(self, store: SqliteStore):
        self.store = store

    def __enter__(self) -> None:
        self.store._enter()

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.store._exit(exc_type is not None)
        return False
