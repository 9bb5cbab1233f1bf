"""Cursor (keyset) paging of the API lists: a walk sees every item once, whatever changes.

`cursor=first` (or `last`) starts a walk; `next`/`previous` then carry opaque cursors.
Without `cursor`, lists page by offset exactly as before (tests/api/test_filters.py).
"""

import base64
import datetime as dt
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages import sections
from pages.api import paging
from pages.models import EventPage, ItemState, PressReleasePage
from tests.api.test_query_counts import BUDGET
from tests.factories import (
    EventOccurrenceFactory,
    EventPageFactory,
    NewsletterIssuePageFactory,
    PressReleasePageFactory,
    ProgrammePageFactory,
)

pytestmark = pytest.mark.django_db
URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

ORDERINGS = [
    pytest.param(section, ordering, id=f"{section.name}:{ordering}")
    for section in (*sections.SECTIONS, sections.ALL_ITEMS)
    for ordering in section.orderings
]


def relative(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def ids(data: dict) -> list[int]:
    return [item["id"] for item in data["results"]]


def walk(client, url: str, link: str = "next") -> list[int]:
    """Every id a walk from `url` along its `link`s sees, in list order."""
    seen: list[int] = []
    for _ in range(200):
        data = get(client, url)
        seen = seen + ids(data) if link == "next" else ids(data) + seen
        if not data[link]:
            return seen
        url = relative(data[link])
    raise AssertionError("the walk does not end")


def bad_cursor(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 400, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    invalid = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert "cursor" in invalid, invalid
    return invalid["cursor"]


def signed(payload: bytes) -> str:
    """A cursor with a valid signature around any payload (what a leaked key allows)."""
    raw = payload + paging._signature(payload)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def ties(demo):
    """Four more items in each section with the same dates and titles: ties on every
    sort key but the id."""
    for n in range(4):
        same = {"title": "Gleich", "slug": f"gleich-{n}"}
        event = EventPageFactory(parent=demo.events, **same)
        EventOccurrenceFactory(page=event, start_date=dt.date(2030, 5, 1))
        PressReleasePageFactory(parent=demo.press, **same)
        ProgrammePageFactory(parent=demo.programmes, **same)
        NewsletterIssuePageFactory(parent=demo.newsletters, **same)


@pytest.mark.parametrize(("section", "ordering"), ORDERINGS)
def test_a_walk_either_way_lists_what_one_page_lists(client, ties, section, ordering):
    base = f"/api/v1/{section.name}/?ordering={ordering}"
    whole = ids(get(client, f"{base}&limit=100"))
    assert len(whole) > 3
    assert walk(client, f"{base}&limit=2&cursor=first") == whole
    assert walk(client, f"{base}&limit=3&cursor=last", link="previous") == whole


def test_links_carry_the_cursor_the_filters_and_the_limit(client):
    first = get(client, "/api/v1/press/?topic=vielfalt&limit=5&cursor=first")
    assert first["count"] == 7 and first["previous"] is None
    next_url = urlsplit(first["next"])
    assert f"{next_url.scheme}://{next_url.netloc}" == "http://127.0.0.1:8000"
    query = parse_qs(next_url.query)
    assert query.keys() == {"topic", "limit", "cursor"}
    assert query["topic"] == ["vielfalt"] and query["limit"] == ["5"]
    second = get(client, relative(first["next"]))
    assert second["count"] == 7 and len(second["results"]) == 2
    assert second["next"] is None
    back = get(client, relative(second["previous"]))
    assert ids(back) == ids(first)
    assert back["previous"] is None and relative(back["next"]) == relative(
        first["next"]
    )


def test_limit_may_change_during_a_walk(client):
    first = get(client, "/api/v1/press/?limit=2&cursor=first")
    rest = relative(first["next"]).replace("limit=2", "limit=100")
    whole = ids(get(client, "/api/v1/press/?limit=100"))
    assert ids(first) + ids(get(client, rest)) == whole


def test_the_ends_of_a_list(client):
    whole = ids(get(client, "/api/v1/press/?limit=100"))
    last = get(client, "/api/v1/press/?limit=2&cursor=last")
    assert ids(last) == whole[-2:] and last["next"] is None
    assert last["previous"] and last["count"] == len(whole)
    empty = get(client, "/api/v1/press/?limit=2&cursor=last&q=Nirgendwo")
    assert empty == {"count": 0, "next": None, "previous": None, "results": []}


def test_offset_paging_is_unchanged(client):
    data = get(client, "/api/v1/press/?limit=5")
    assert parse_qs(urlsplit(data["next"]).query) == {"limit": ["5"], "offset": ["5"]}


def test_a_walk_sees_every_item_that_stays_exactly_once_while_others_come_and_go(
    client, demo
):
    """The reason for cursors: offset pages shift under a walk when items come and go."""
    url = "/api/v1/press/?limit=3"
    before = set(ids(get(client, "/api/v1/press/?limit=100")))
    changes = iter(range(100))
    gone: set[int] = set()
    seen_so_far: list[int] = []

    def publish_and_unpublish() -> None:
        """A new release on top, and one already walked past taken down."""
        n = next(changes)
        PressReleasePageFactory(
            parent=demo.press, title=f"Neu {n}", date=dt.date(2099, 1, 1 + n)
        )
        walked = [pk for pk in seen_so_far if pk in before - gone]
        if walked:
            PressReleasePage.objects.get(pk=walked[0]).unpublish()
            gone.add(walked[0])

    def walk_recording(start: str) -> list[int]:
        seen_so_far.clear()
        data = get(client, start)
        for _ in range(100):
            seen_so_far.extend(ids(data))
            if not data["next"]:
                return list(seen_so_far)
            publish_and_unpublish()
            data = get(client, relative(data["next"]))
        raise AssertionError("the walk does not end")

    by_cursor = walk_recording(f"{url}&cursor=first")
    stayed = before - gone
    assert len(by_cursor) == len(set(by_cursor)), "an item came twice"
    assert stayed <= set(by_cursor), "an item that stayed was skipped"

    gone.clear()
    before = set(ids(get(client, "/api/v1/press/?limit=100")))
    by_offset = walk_recording(url)
    stayed = before - gone
    assert len(by_offset) != len(set(by_offset)) or not stayed <= set(by_offset)


def test_null_sort_keys_sort_last_and_are_walked_past(client, demo):
    """An event without occurrences has no start; an item without bookkeeping no
    `modified_at`: both sort last ascending, first descending, and a walk sees them."""
    undated = EventPageFactory(parent=demo.events, title="Ohne Termin")
    dated = EventPageFactory(parent=demo.events, title="Mit Termin")
    EventOccurrenceFactory(page=dated)
    EventPage.objects.filter(pk=dated.pk).update(first_starts_at=None)
    ItemState.objects.filter(page_id__in=[undated.pk, dated.pk]).delete()
    nulls = {undated.pk, dated.pk}
    for ordering in ("start", "-start", "updated", "-updated"):
        base = f"/api/v1/events/?ordering={ordering}"
        whole = ids(get(client, f"{base}&limit=100"))
        tail = whole[-2:] if not ordering.startswith("-") else whole[:2]
        assert set(tail) == nulls, (ordering, whole)
        assert walk(client, f"{base}&limit=1&cursor=first") == whole, ordering
        backwards = walk(client, f"{base}&limit=2&cursor=last", link="previous")
        assert backwards == whole, ordering


def test_a_cursor_page_costs_the_same_for_any_length(client):
    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            get(client, url)
        return len(captured)

    get(client, "/api/v1/items/?limit=1")  # the site's root paths, cached after this
    first = get(client, "/api/v1/events/?limit=2&cursor=first&ordering=-updated")
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    costs = {
        limit: cost(f"/api/v1/events/?limit={limit}&ordering=-updated&cursor={cursor}")
        for limit in (1, 5, 100)
    }
    assert len(set(costs.values())) == 1 and costs[1] <= BUDGET, costs


# --- Refused cursors -----------------------------------------------------------------


def next_cursor(client, url: str) -> str:
    return parse_qs(urlsplit(get(client, url)["next"]).query)["cursor"][0]


def test_cursor_with_offset_is_refused(client):
    assert "offset" in bad_cursor(client, "/api/v1/press/?cursor=first&offset=2")


def test_empty_and_repeated_cursors_are_refused(client):
    bad_cursor(client, "/api/v1/press/?cursor=")
    bad_cursor(client, "/api/v1/press/?cursor=first&cursor=first")


def test_a_cursor_is_bound_to_its_list(client):
    cursor = next_cursor(client, "/api/v1/press/?limit=2&cursor=first&topic=vielfalt")
    assert (
        client.get(f"/api/v1/press/?cursor={cursor}&topic=vielfalt").status_code == 200
    )
    same = f"/api/v1/press/?cursor={cursor}&topic=vielfalt,vielfalt&limit=7"
    assert client.get(same).status_code == 200
    assert "ordering=-date" in bad_cursor(
        client, f"/api/v1/press/?cursor={cursor}&topic=vielfalt&ordering=title"
    )
    assert "filters" in bad_cursor(client, f"/api/v1/press/?cursor={cursor}")
    assert "filters" in bad_cursor(
        client, f"/api/v1/press/?cursor={cursor}&topic=vielfalt&q=Integration"
    )
    bad_cursor(client, f"/api/v1/newsletters/?cursor={cursor}&topic=vielfalt")
    bad_cursor(client, f"/api/v1/items/?cursor={cursor}&topic=vielfalt")


def test_a_tampered_cursor_is_refused(client):
    cursor = next_cursor(client, "/api/v1/press/?limit=2&cursor=first")
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for position in (0, len(raw) // 2, len(raw) - 1):
        changed = bytearray(raw)
        changed[position] ^= 1
        token = base64.urlsafe_b64encode(changed).rstrip(b"=").decode()
        bad_cursor(client, f"/api/v1/press/?cursor={token}")
    bad_cursor(client, f"/api/v1/press/?cursor={cursor[:-2]}")
    bad_cursor(client, f"/api/v1/press/?cursor={cursor}A")


@pytest.mark.parametrize(
    "key",
    [
        [None, None],
        ["2020-07-20", None],
        ["2020-07-20", "1"],
        ["2020-07-20", 0],
        ["2020-07-20", -1],
        ["2020-07-20", 2**63],
        ["2020-07-20", 10**30],
        ["2020-07-20"],
        ["2020-07-20", 1, 2],
        [],
        ["2020-02-30", 1],
        ["kein Datum", 1],
        ["2020-07-20\x00", 1],
        ["9" * 5000, 1],
        [1, 1],
    ],
)
def test_a_signed_cursor_with_a_key_no_row_has_is_refused(client, key):
    """Even a payload carrying our signature (a leaked key) never reaches the database
    as anything but a key the ordering's fields can hold."""
    selection = paging.selection(_press_query())
    payload = msgspec.json.encode(["-date", selection, False, key])
    bad_cursor(client, f"/api/v1/press/?cursor={signed(payload)}")


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"null",
        b"[]",
        b"{}",
        b'["-date"]',
        b'["-date", "x", "no", []]',
        b'["-date", "x", false, "key"]',
        b'["-date", "x", false, [{"a": 1}]]',
        b'["-date", "x", false, [1.5, 1]]',
        b'["-date", "x", false, [1, 1], "more"]',
        b'["-date", "x", false, ["\\ud800", 1]]',
        b"[" * 10000,
        "\u00e4".encode(),
    ],
)
def test_a_signed_cursor_that_is_no_token_is_refused(client, payload):
    bad_cursor(client, f"/api/v1/press/?cursor={signed(payload)}")


@pytest.mark.parametrize("section", ["events", "items"])
@pytest.mark.parametrize(
    "moment", ["0001-01-01 00:00:00", "9999-12-31 23:59:59.999999", None]
)
def test_signed_keys_at_the_ends_of_time_page_from_there(client, section, moment):
    query = paging.ContentQuery.from_params(section, {"ordering": "updated"})
    if moment is not None and connection.vendor != "sqlite":
        moment = moment.replace(" ", "T") + "+00:00"  # SQLite: the text it stores
    payload = msgspec.json.encode(
        ["updated", paging.selection(query), False, [moment, 1]]
    )
    response = client.get(
        f"/api/v1/{section}/?ordering=updated&cursor={signed(payload)}"
    )
    assert response.status_code == 200, response.content[:300]
    whole = ids(get(client, f"/api/v1/{section}/?ordering=updated&limit=100"))
    expected = whole if moment and moment.startswith("0001") else []
    assert ids(response.json()) == expected[:20]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    garbage=st.one_of(
        st.text(min_size=1, max_size=300),
        st.text(alphabet=URLSAFE, min_size=1, max_size=3000),
        st.binary(min_size=1, max_size=200).map(
            lambda raw: base64.urlsafe_b64encode(raw).decode()
        ),
    )
)
def test_garbage_cursors_are_400_never_5xx(client, garbage):
    response = client.get("/api/v1/events/", {"cursor": garbage})
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 200:
        assert garbage.strip() in (paging.FIRST, paging.LAST)
    else:
        names = {p["name"] for p in response.json()["invalid_params"]}
        assert names == {"cursor"}


def _press_query():
    return paging.ContentQuery.from_params("press", {})
