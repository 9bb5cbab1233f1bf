"""The local copy: an SQLite file holding the items, the cursor, and a full walk under way.

Every change to the copy commits together with the cursor it brings the copy to, and
checks that the stored cursor is still the one the change was fetched with: a crash
loses at most the page in flight (fetched again next time), and two syncs running at
once cannot interleave (the later one stops).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS incoming (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
    webhook_id TEXT PRIMARY KEY,
    received_at REAL NOT NULL
);
"""
# `items`: the copy, each item's list representation as the hub sent it (`data`).
# `incoming`: the copy a full walk is building; it replaces `items` in one transaction.
# `state`: `source` (hub and filters the copy is of), `cursor`, `walk` (the next page
# of an unfinished full walk), `etag` (of the empty answer to the stored cursor).
# `deliveries`: webhook ids already received.

DELIVERY_MEMORY = 3600.0
"""Seconds a webhook id is remembered (signatures older than 5 minutes fail anyway)."""


class Conflict(Exception):
    """Another sync moved the stored position since this one read it."""


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # One thread at a time (the webhook server hands it to its request thread).
        self.db = sqlite3.connect(
            path, timeout=30, isolation_level=None, check_same_thread=False
        )
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking SQLite's write lock at once."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- reading ----------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def items(self) -> dict[int, dict[str, Any]]:
        """The copy: id → the item's list representation."""
        rows = self.db.execute("SELECT id, data FROM items ORDER BY id")
        return {pk: json.loads(data) for pk, data in rows}

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM items").fetchone()[0])

    # --- the source -------------------------------------------------------------------

    def use_source(self, source: str) -> bool:
        """Make `source` (hub and filters) the copy's; False if it held another one,
        which it then forgets (the next sync starts a full walk)."""
        with self.transaction() as db:
            if self.get("source") == source:
                return True
            db.execute("DELETE FROM state")
            db.execute("DELETE FROM incoming")
            db.execute("INSERT INTO state VALUES ('source', ?)", [source])
            return False

    # --- a full walk ------------------------------------------------------------------

    def start_walk(self, first: str) -> None:
        """Start building a new copy from the page at `first`; the old one stays
        readable until `finish_walk` replaces it."""
        with self.transaction() as db:
            db.execute("DELETE FROM incoming")
            self._put(db, "walk", first)
            db.execute("DELETE FROM state WHERE key IN ('cursor', 'etag')")

    def add_walk_page(
        self, page: str, items: Iterable[dict[str, Any]], next_page: str
    ) -> None:
        with self.transaction() as db:
            self._expect(db, "walk", page)
            _upsert(db, "incoming", items)
            self._put(db, "walk", next_page)

    def finish_walk(
        self, page: str, items: Iterable[dict[str, Any]], cursor: str
    ) -> None:
        """The last page: the new copy replaces the old one, and `cursor` is stored."""
        with self.transaction() as db:
            self._expect(db, "walk", page)
            _upsert(db, "incoming", items)
            db.execute("DELETE FROM items")
            db.execute("INSERT INTO items SELECT * FROM incoming")
            db.execute("DELETE FROM incoming")
            db.execute("DELETE FROM state WHERE key = 'walk'")
            self._put(db, "cursor", cursor)

    # --- changes since the cursor -----------------------------------------------------

    def apply(
        self,
        since: str,
        items: Iterable[dict[str, Any]],
        deleted: Iterable[dict[str, Any]],
        cursor: str,
    ) -> None:
        """Apply one page of changes fetched with cursor `since`; store `cursor`."""
        with self.transaction() as db:
            self._expect(db, "cursor", since)
            _upsert(db, "items", items)
            db.executemany(
                "DELETE FROM items WHERE id = ?", [(entry["id"],) for entry in deleted]
            )
            self._put(db, "cursor", cursor)
            db.execute("DELETE FROM state WHERE key = 'etag'")

    def remember_etag(self, cursor: str, etag: str) -> None:
        """`etag` answers "nothing new" for `cursor` (sent back as If-None-Match)."""
        with self.transaction() as db:
            self._expect(db, "cursor", cursor)
            self._put(db, "etag", etag)

    # --- webhook deliveries -----------------------------------------------------------

    def first_delivery(self, webhook_id: str, now: float | None = None) -> bool:
        """Record `webhook_id`; False if it was received before (a retry or replay)."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            db.execute(
                "DELETE FROM deliveries WHERE received_at < ?", [now - DELIVERY_MEMORY]
            )
            inserted = db.execute(
                "INSERT OR IGNORE INTO deliveries VALUES (?, ?)", [webhook_id, now]
            )
            return inserted.rowcount == 1

    # --- helpers ----------------------------------------------------------------------

    def _expect(self, db: sqlite3.Connection, key: str, value: str) -> None:
        if self.get(key) != value:
            raise Conflict(f"the stored {key} moved on: another sync ran")

    @staticmethod
    def _put(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute(
            "INSERT INTO state VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def _upsert(
    db: sqlite3.Connection, table: str, items: Iterable[dict[str, Any]]
) -> None:
    db.executemany(
        f"INSERT OR REPLACE INTO {table} (id, type, modified_at, data) "  # noqa: S608 - our table names
        "VALUES (?, ?, ?, ?)",
        [
            (item["id"], item["type"], item["modified_at"], json.dumps(item))
            for item in items
        ],
    )
