"""Group commit (the Store interface, storage/interface.py) as SqliteStore implements it, which
the HTTP layer relies on to hold responses until their writes are committed: `transaction()`
blocks inside a group roll back only themselves, the document cache never serves a rolled-back
write, `uncommitted()` says whether responses must wait, and only `commit()` makes a group
durable (checked through a second connection, as a restarted process would see the file)."""

from __future__ import annotations

import sqlite3

import pytest

from dynoscale.storage.sqlite import DB_FILE, SqliteStore


@pytest.fixture(params=["memory", "durable"])
def grouped(request, tmp_path):
    store = SqliteStore(":memory:" if request.param == "memory" else str(tmp_path))
    opened: list[int] = []
    store.start_group_commit(lambda: opened.append(1))
    yield store, opened
    store.close()


def test_a_failed_block_rolls_back_only_itself(grouped):
    store, _ = grouped
    store.put_doc("k", "s", "kept", {"v": 1})
    with pytest.raises(ValueError):
        with store.transaction():
            store.put_doc("k", "s", "kept", {"v": 2})
            with store.transaction():  # nested blocks belong to the outer one
                store.put_item("t", b"p", b"", b"gone")
            raise ValueError
    assert store.get_doc("k", "s", "kept") == {"v": 1}  # not the cached rolled-back {"v": 2}
    assert store.get_item("t", b"p") is None
    store.commit()
    assert store.get_doc("k", "s", "kept") == {"v": 1}


def test_uncommitted_until_commit_and_one_open_per_group(grouped):
    store, opened = grouped
    assert not store.uncommitted()
    store.put_item("t", b"a", b"", b"1")
    with store.transaction():
        store.put_item("t", b"b", b"", b"2")
    assert store.uncommitted() and len(opened) == 1
    store.commit()
    assert not store.uncommitted()
    store.delete_item("t", b"a")
    assert store.uncommitted() and len(opened) == 2


def test_reads_alone_hold_nothing(grouped):
    store, _ = grouped
    store.put_doc("k", "s", "d", {"v": 1})
    store.commit()
    assert store.get_doc("k", "s", "d") == {"v": 1}
    assert list(store.scan_items("t")) == []
    assert not store.uncommitted()


def test_only_commit_makes_a_group_durable(tmp_path):
    store = SqliteStore(str(tmp_path))
    store.start_group_commit(lambda: None)
    store.put_item("t", b"k", b"", b"acknowledged")
    other = sqlite3.connect(str(tmp_path / DB_FILE))

    def visible() -> list:
        return other.execute("SELECT body FROM items WHERE tbl='t'").fetchall()

    assert visible() == []  # not committed: a killed process would lose it (and never answered)
    store.commit()
    assert visible() == [(b"acknowledged",)]
    other.close()
    store.close()


def test_outside_group_mode_every_write_commits_at_once(tmp_path):
    store = SqliteStore(str(tmp_path))
    store.put_item("t", b"k", b"", b"now")
    other = sqlite3.connect(str(tmp_path / DB_FILE))
    assert other.execute("SELECT body FROM items").fetchall() == [(b"now",)]
    other.close()
    store.close()
