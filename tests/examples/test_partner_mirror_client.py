"""The partner mirror against a scripted change feed: crashes, 410s, 429s, conflicts.

The feed here keeps the hub's rules (a full walk by id, then a log read from a cursor,
410 before the kept log) without a server, so failures can be injected at any request.
What the real hub does is tests/examples/test_partner_mirror.py's part.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter

from examples.partner_mirror.hub import Hub
from examples.partner_mirror.mirror import Mirror
from examples.partner_mirror.store import Conflict, Store

BASE = "http://hub.example"


class Feed(BaseAdapter):
    """`/api/v1/changes/` of a hub whose items are `items`, changed by `change`."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.items = {pk: self._item(pk, 0) for pk in range(1, count + 1)}
        self.log: list[tuple[int, int, bool]] = []  # (seq, id, deleted)
        self.horizon = 0
        self.fail_at: set[int] = set()
        self.throttle_at: set[int] = set()
        self.sent = 0

    @staticmethod
    def _item(pk: int, version: int) -> dict:
        return {"id": pk, "type": "press", "modified_at": f"v{version}", "title": "T"}

    def change(self, pk: int, *, delete: bool = False) -> None:
        seq = len(self.log) + self.horizon + 1
        if delete:
            self.items.pop(pk, None)
        else:
            self.items[pk] = self._item(pk, seq)
        self.log.append((seq, pk, delete))

    def prune(self) -> None:
        self.horizon += len(self.log)
        self.log = []

    def send(self, request, **kwargs):
        self.sent += 1
        if self.sent in self.fail_at:
            raise requests.ConnectionError(f"request {self.sent} fails")
        if self.sent in self.throttle_at:
            return self._answer(
                request, 429, {"detail": "slow down"}, {"Retry-After": "7"}
            )
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        limit = int(query.get("limit", 100))
        newest = self.horizon + len(self.log)
        cursor = query.get("cursor", f"w{newest}-0")
        if cursor.startswith("w"):
            seq, after = (int(part) for part in cursor[1:].split("-"))
            ids = sorted(pk for pk in self.items if pk > after)
            page, more = ids[:limit], len(ids) > limit
            token = f"w{seq}-{page[-1]}" if more else f"s{seq}"
            return self._page(request, [self.items[pk] for pk in page], [], token, more)
        seq = int(cursor[1:])
        if seq < self.horizon:
            return self._answer(request, 410, {"detail": "resync"})
        entries = [e for e in self.log if e[0] > seq]
        page, more = entries[:limit], len(entries) > limit
        items = [
            self.items[pk] for _, pk, gone in page if not gone and pk in self.items
        ]
        deleted = [{"type": "press", "id": pk} for _, pk, gone in page if gone]
        token = f"s{page[-1][0]}" if page else cursor
        return self._page(request, items, deleted, token, more)

    def _page(self, request, items, deleted, token, more):
        # Links name the hub's configured address, not the one the client uses.
        link = f"http://127.0.0.1:8000/api/v1/changes/?limit=2&cursor={token}"
        body = {"items": items, "deleted": deleted, "next": link if more else None}
        return self._answer(request, 200, {**body, "cursor": token})

    def _answer(self, request, status, body, headers=None):
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers.update(headers or {})
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def feed():
    return Feed(count=7)


def mirror_of(feed: Feed, path, sleeps=None) -> Mirror:
    session = requests.Session()
    session.mount(BASE, feed)
    hub = Hub(
        BASE, session=session, sleep=(sleeps if sleeps is not None else []).append
    )
    return Mirror(hub, Store(path), {"type": "press"}, page_size=2)


def test_a_full_walk_then_only_what_changed(feed, tmp_path):
    mirror = mirror_of(feed, tmp_path / "m.sqlite3")
    first = mirror.sync()
    assert mirror.store.items() == feed.items
    assert (first.full, first.requests) == (True, 4)
    feed.change(3)
    feed.change(5, delete=True)
    second = mirror.sync()
    assert mirror.store.items() == feed.items
    assert (second.full, second.requests, second.deleted) == (False, 1, 1)
    # Links to the hub's configured address are followed at the address we use.
    assert feed.sent == 5


def test_a_crash_during_the_full_walk_keeps_the_old_copy_and_resumes(feed, tmp_path):
    path = tmp_path / "m.sqlite3"
    feed.fail_at = {3}
    with pytest.raises(requests.ConnectionError):
        mirror_of(feed, path).sync()
    # Half a walk is never the copy.
    assert Store(path).items() == {}
    resumed = mirror_of(feed, path).sync()
    assert Store(path).items() == feed.items
    # Pages 1 and 2 are not fetched again.
    assert resumed.requests == 2


def test_a_crash_between_pages_of_changes_loses_nothing(feed, tmp_path):
    path = tmp_path / "m.sqlite3"
    mirror_of(feed, path).sync()
    for pk in (1, 2, 3, 4, 6):
        feed.change(pk)
    feed.change(7, delete=True)
    feed.fail_at = {feed.sent + 2}
    with pytest.raises(requests.ConnectionError):
        mirror_of(feed, path).sync()
    assert Store(path).items()[1] == feed.items[1]
    assert Store(path).items()[3] != feed.items[3]
    resumed = mirror_of(feed, path).sync()
    assert Store(path).items() == feed.items
    assert resumed.requests == 2


def test_a_410_builds_a_new_copy_that_replaces_the_old_one(feed, tmp_path):
    mirror = mirror_of(feed, tmp_path / "m.sqlite3")
    mirror.sync()
    feed.change(2, delete=True)
    feed.change(8)
    feed.prune()
    result = mirror.sync()
    assert result.full
    assert mirror.store.items() == feed.items
    assert 2 not in mirror.store.items()


def test_a_429_waits_as_long_as_retry_after_says(feed, tmp_path):
    sleeps = []
    mirror = mirror_of(feed, tmp_path / "m.sqlite3", sleeps)
    feed.throttle_at = {2}
    result = mirror.sync()
    assert sleeps == [7.0]
    assert result.requests == 5
    assert mirror.store.items() == feed.items


def test_other_filters_rebuild_the_copy(feed, tmp_path):
    path = tmp_path / "m.sqlite3"
    mirror_of(feed, path).sync()
    other = mirror_of(feed, path)
    other.filters = {"type": "event"}
    assert other.sync().full


def test_two_syncs_at_once_never_interleave(feed, tmp_path):
    path = tmp_path / "m.sqlite3"
    mirror_of(feed, path).sync()
    feed.change(1)
    feed.change(2)
    feed.change(3)
    slow, fast = mirror_of(feed, path), mirror_of(feed, path)
    # `slow` fetched its first page; `fast` completes meanwhile.
    cursor = slow.store.get("cursor")
    page = slow.hub.changes(
        slow.hub.changes_url(slow.filters, cursor=cursor, limit="2")
    )
    fast.sync()
    with pytest.raises(Conflict):
        slow.store.apply(cursor, page.items, page.deleted, page.cursor)
    assert Store(path).items() == feed.items
