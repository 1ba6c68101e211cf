"""SQLite implementation of the Store: one database file, WAL mode, durable commits.

`path=":memory:"` gives a throwaway store (`--in-memory`). All calls come from the event-loop
thread, so one connection serves everything; `transaction()` groups writes into one commit.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Optional

import orjson

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


class SqliteStore:
    def __init__(self, path: str):
        if path != ":memory:":
            os.makedirs(path, exist_ok=True)
            path = os.path.join(path, DB_FILE)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self._depth = 0

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._db.execute("ROLLBACK")
            raise
        self._depth = 0
        self._db.execute("COMMIT")

    # -- documents ----------------------------------------------------------------------------
    def get_doc(self, kind: str, scope: str, id: str) -> Optional[dict[str, Any]]:
        row = self._db.execute("SELECT body FROM docs WHERE kind=? AND scope=? AND id=?",
                               (kind, scope, id)).fetchone()
        return orjson.loads(row[0]) if row else None

    def put_doc(self, kind: str, scope: str, id: str, doc: dict[str, Any]) -> None:
        self._db.execute("INSERT OR REPLACE INTO docs (kind, scope, id, body) VALUES (?,?,?,?)",
                         (kind, scope, id, orjson.dumps(doc)))

    def delete_doc(self, kind: str, scope: str, id: str) -> bool:
        cur = self._db.execute("DELETE FROM docs WHERE kind=? AND scope=? AND id=?", (kind, scope, id))
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
        return [(s, i, orjson.loads(b)) for s, i, b in self._db.execute(sql, args)]

    # -- items --------------------------------------------------------------------------------
    def get_item(self, table: str, pk: bytes, sk: bytes = b"") -> Optional[bytes]:
        row = self._db.execute("SELECT body FROM items WHERE tbl=? AND pk=? AND sk=?",
                               (table, pk, sk)).fetchone()
        return row[0] if row else None

    def put_item(self, table: str, pk: bytes, sk: bytes, value: bytes) -> None:
        self._db.execute("INSERT OR REPLACE INTO items (tbl, pk, sk, body) VALUES (?,?,?,?)",
                         (table, pk, sk, value))

    def delete_item(self, table: str, pk: bytes, sk: bytes = b"") -> None:
        self._db.execute("DELETE FROM items WHERE tbl=? AND pk=? AND sk=?", (table, pk, sk))

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
        yield from self._db.execute(sql, args)

    def count_items(self, table: str) -> int:
        return self._db.execute("SELECT count(*) FROM items WHERE tbl=?", (table,)).fetchone()[0]

    def drop_items(self, table: str) -> None:
        self._db.execute("DELETE FROM items WHERE tbl=?", (table,))

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
        return self._db.execute(
            "SELECT ts, n, total, lo, hi FROM metric_points WHERE series=? AND ts>=? AND ts<? "
            "ORDER BY ts", (series, start, end)).fetchall()

    def list_metric_series(self, since: float = 0.0) -> list[tuple[str, dict[str, Any]]]:
        return [(s, orjson.loads(m)) for s, m in self._db.execute(
            "SELECT series, meta FROM metric_series WHERE last_ts>=? ORDER BY series", (since,))]

    def close(self) -> None:
        self._db.close()
