"""Scale-out, proven: two app instances behind Varnish (deploy/varnish/hub.vcl), and
every change made by another process reaches every surface through the edge at once.

Reads go through the edge as a partner's client or a reader's browser would; writes
are made by a management-command process, as an editor's save in another worker
would be. Each scenario first reads every surface twice, so the edge holds them (a
hit), then changes content, then expects the change through the edge within
`PROPAGATION` seconds: only a purge of the right keys can make that happen before the
copies expire.

The purges come from `pages.changes.content_changed` (sent after each commit) through
`pages.caching.edge.connect()`; without that signal these scenarios fail with stale
copies (`stale()` names the wiring).
"""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

pytestmark = pytest.mark.live

PROPAGATION = 5.0
"""Seconds a change may take to show through the edge (the purge task's queue
included); typically well under one."""
LISTS = (
    "/api/v1/events/?limit=100",
    "/api/v1/items/?limit=100",
    "/feeds/events.rss",
    "/embed/events/?limit=100",
    "/veranstaltungen/",
)


@dataclass
class Answer:
    status: int
    headers: Message
    text: str


def get(url: str, **headers: str) -> Answer:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return Answer(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read().decode())


def cached(stack, path: str) -> Answer:
    """Read `path` through the edge until the edge answers it from its copy."""
    get(stack.edge + path)
    answer = get(stack.edge + path)
    assert answer.headers["X-Cache"] == "HIT", f"{path} is not kept by the edge"
    return answer


def stale(path: str, what: str) -> str:
    return (
        f"{path} through the edge still shows {what} {PROPAGATION} s after the change: "
        "no purge reached Varnish (is pages.changes.content_changed connected to "
        "pages.caching.edge.on_content_changed? see pages.caching.edge.connect)"
    )


def eventually(stack, path: str, condition, what: str) -> Answer:
    deadline = time.monotonic() + PROPAGATION
    while True:
        answer = get(stack.edge + path)
        if condition(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(stale(path, what))
        time.sleep(0.05)


def publish_event(stack, title: str, street: str = "Alte Straße 1") -> tuple[int, int]:
    """A new event at a new venue, published by a writer process: (page id, venue id)."""
    output = stack.write(
        "from pages.models import EventIndexPage\n"
        "from pages.snippets import City, Venue\n"
        "from tests.factories import EventPageFactory\n"
        "city = City.objects.order_by('pk').first()\n"
        f"venue = Venue.objects.create(name='Haus {title}', street={street!r},"
        " postcode='58332', town='Schwelm', city=city)\n"
        f"event = EventPageFactory(parent=EventIndexPage.objects.get(locale__language_code='de'), title={title!r},"
        " city=city, venue=venue, occurrences=1)\n"
        "print(event.pk, venue.pk)\n"
    )
    page_id, venue_id = output.split()[-2:]
    return int(page_id), int(venue_id)


def page_path(stack, page_id: int) -> str:
    return stack.write(
        "from wagtail.models import Page\n"
        f"print(Page.objects.get(pk={page_id}).specific.url)"
    )


def test_the_edge_keeps_public_answers_and_both_instances_serve(stack):
    first = get(stack.edge + "/api/v1/events/")
    second = get(stack.edge + "/api/v1/events/")
    assert first.headers["X-Cache"] == "MISS"
    assert second.headers["X-Cache"] == "HIT"
    assert len(second.headers["X-Varnish"].split()) == 2  # this request, the stored one
    assert int(second.headers["Age"]) >= 0
    assert second.text == first.text
    assert second.headers["ETag"] == first.headers["ETag"]
    assert "xkey" not in second.headers  # the keys stay at the edge
    not_modified = get(
        stack.edge + "/api/v1/events/", **{"If-None-Match": first.headers["ETag"]}
    )
    assert not_modified.status == 304
    for path in ("/api/v1/press/", "/feeds/all.atom", "/programme/", "/sitemap.xml"):
        cached(stack, path)
    for n in (1, 2):
        log = Path(stack.logs / f"app{n}.access.log").read_text()
        assert "GET /" in log, f"instance {n} served nothing: no round robin"


def test_per_user_answers_are_never_kept(stack):
    for _ in range(2):
        admin = get(stack.edge + "/admin/login/")
        assert admin.headers["X-Cache"] == "MISS"
    signed_in = get(stack.edge + "/api/v1/events/", Cookie="sessionid=abc")
    assert signed_in.headers["X-Cache"] == "MISS"
    other_cookies = cached(stack, "/presse/")
    assert other_cookies.status == 200


def test_static_files_are_immutable_for_a_year(stack):
    manifest = Path(stack.env["HUB_STATIC_ROOT"]) / "staticfiles.json"
    hashed = next(
        name
        for name in json.loads(manifest.read_text())["paths"].values()
        if name.endswith(".css")
    )
    answer = get(f"{stack.edge}/static/{hashed}")
    assert answer.status == 200
    assert "immutable" in answer.headers["Cache-Control"]
    assert "max-age=315360000" in answer.headers["Cache-Control"]


def test_a_published_event_appears_on_every_surface_at_once(stack):
    for path in LISTS:
        cached(stack, path)
    title = "Edge-Sommerfest"
    page_id, _ = publish_event(stack, title)
    for path in (*LISTS, f"/api/v1/events/{page_id}/"):
        eventually(stack, path, lambda a: title in a.text, "the list without it")


def test_a_venue_edit_shows_in_the_event_through_the_edge(stack):
    page_id, venue_id = publish_event(stack, "Edge-Lesecafe", street="Alte Straße 1")
    detail = f"/api/v1/events/{page_id}/"
    assert (
        "Alte Straße 1"
        in eventually(stack, detail, lambda a: a.status == 200, "404").text
    )
    cached(stack, detail)
    page = page_path(stack, page_id)
    cached(stack, page)
    stack.write(
        "from pages.snippets import Venue\n"
        f"venue = Venue.objects.get(pk={venue_id})\n"
        "venue.street = 'Neue Straße 99'\n"
        "venue.save()\n"
    )
    for path in (detail, page):
        eventually(stack, path, lambda a: "Neue Straße 99" in a.text, "the old street")


def test_an_unpublished_event_is_gone_everywhere(stack):
    title = "Edge-Abschiedsfest"
    page_id, _ = publish_event(stack, title)
    detail = f"/api/v1/events/{page_id}/"
    eventually(stack, detail, lambda a: a.status == 200, "a 404")
    page = page_path(stack, page_id)
    for path in (*LISTS, detail, page):
        assert title in cached(stack, path).text, path
    stack.write(
        "from wagtail.models import Page\n"
        f"Page.objects.get(pk={page_id}).specific.unpublish()\n"
    )
    eventually(stack, detail, lambda a: a.status == 404, "the unpublished event")
    eventually(stack, page, lambda a: a.status == 404, "the unpublished page")
    for path in LISTS:
        eventually(stack, path, lambda a: title not in a.text, "the unpublished event")


def test_a_restricted_event_is_gone_everywhere(stack):
    title = "Edge-Geheimtreffen"
    page_id, _ = publish_event(stack, title)
    detail = f"/api/v1/events/{page_id}/"
    eventually(stack, detail, lambda a: a.status == 200, "a 404")
    page = page_path(stack, page_id)
    for path in (*LISTS, detail, page):
        assert title in cached(stack, path).text, path
    stack.write(
        "from wagtail.models import Page, PageViewRestriction\n"
        "PageViewRestriction.objects.create(\n"
        f"    page=Page.objects.get(pk={page_id}),\n"
        "    restriction_type=PageViewRestriction.PASSWORD, password='geheim')\n"
    )
    eventually(stack, detail, lambda a: a.status == 404, "the restricted event")
    form = eventually(
        stack, page, lambda a: title not in a.text, "the restricted page's content"
    )
    assert "private" in form.headers["Cache-Control"]
    assert get(stack.edge + page).headers["X-Cache"] == "MISS"
    for path in LISTS:
        eventually(stack, path, lambda a: title not in a.text, "the restricted event")


def test_purges_are_exact(stack):
    """A press release's change leaves the edge's copies of the event lists alone."""
    kept = cached(stack, "/api/v1/events/?limit=100")
    cached(stack, "/api/v1/press/?limit=100")
    stack.write(
        "from pages.models import PressReleasePage\n"
        "page = PressReleasePage.objects.live().first()\n"
        "page.title = page.title + ' (aktualisiert)'\n"
        "page.save_revision().publish()\n"
    )
    eventually(
        stack,
        "/api/v1/press/?limit=100",
        lambda a: "(aktualisiert)" in a.text,
        "the old title",
    )
    again = get(stack.edge + "/api/v1/events/?limit=100")
    assert again.headers["X-Cache"] == "HIT"
    assert again.headers["X-Varnish"].split()[1] == kept.headers["X-Varnish"].split()[1]


def test_a_purge_without_keys_drops_one_url(stack):
    """What Wagtail's frontend_cache would send: PURGE of one URL."""
    cached(stack, "/api/v1/topics/")
    kept = cached(stack, "/api/v1/cities/")
    request = urllib.request.Request(  # noqa: S310 - loopback
        stack.edge + "/api/v1/topics/", method="PURGE"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
    assert get(stack.edge + "/api/v1/topics/").headers["X-Cache"] == "MISS"
    again = get(stack.edge + "/api/v1/cities/")
    assert again.headers["X-Varnish"].split()[1] == kept.headers["X-Varnish"].split()[1]
