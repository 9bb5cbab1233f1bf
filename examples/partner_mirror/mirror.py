"""One sync: bring the local copy to what the hub shows now, in as few requests as the
changes need.

With no cursor stored, a full walk of the change feed builds a new copy; with one, the
pages since it are applied in order. A 410 (the cursor is older than the hub's change
log) starts a full walk; the old copy stays readable until the new one replaces it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from .hub import CursorGone, Hub
from .store import Store

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
"""Items per request (the hub's maximum)."""


@dataclass
class SyncResult:
    requests: int = 0
    """HTTP requests this sync sent."""
    upserted: int = 0
    deleted: int = 0
    full: bool = False
    """Whether it built a new copy (first sync, other filters, or after a 410)."""


class Mirror:
    """The copy in `store` of what `hub` shows with `filters` (e.g. `{"city": "witten"}`)."""

    def __init__(
        self,
        hub: Hub,
        store: Store,
        filters: dict[str, str] | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.hub = hub
        self.store = store
        self.filters = dict(sorted((filters or {}).items()))
        self.page_size = page_size

    def sync(self) -> SyncResult:
        before = self.hub.requests_made
        source = json.dumps({"hub": self.hub.base_url, "filters": self.filters})
        if not self.store.use_source(source):
            logger.info("Starting a new copy of %s", source)
        cursor = self.store.get("cursor")
        result = SyncResult()
        if cursor is None:
            self._walk(result)
        else:
            try:
                self._since(cursor, result)
            except CursorGone as gone:
                logger.warning("Cursor too old (%s): building a new copy", gone)
                self._walk(result)
        result.requests = self.hub.requests_made - before
        return result

    def _walk(self, result: SyncResult) -> None:
        result.full = True
        page_url = self.store.get("walk")
        if page_url is None:
            page_url = self.hub.changes_url(self.filters, limit=str(self.page_size))
            self.store.start_walk(page_url)
        else:
            logger.info("Resuming the full walk at %s", page_url)
        while True:
            page = self.hub.changes(page_url)
            result.upserted += len(page.items)
            if page.next is None:
                self.store.finish_walk(page_url, page.items, page.cursor)
                return
            self.store.add_walk_page(page_url, page.items, page.next)
            page_url = page.next

    def _since(self, cursor: str, result: SyncResult) -> None:
        page_url = self.hub.changes_url(
            self.filters, cursor=cursor, limit=str(self.page_size)
        )
        etag = self.store.get("etag")
        while True:
            page = self.hub.changes_if_new(page_url, etag)
            if page is None:
                return  # 304: nothing since `cursor`
            etag = None
            self.store.apply(cursor, page.items, page.deleted, page.cursor)
            result.upserted += len(page.items)
            result.deleted += len(page.deleted)
            if page.next is None:
                if page.cursor == cursor and page.etag:
                    self.store.remember_etag(cursor, page.etag)
                return
            cursor, page_url = page.cursor, page.next
