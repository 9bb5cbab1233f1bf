"""A page below a page that is not live is not public, and no redirect leads there.

Wagtail serves a live page whatever its ancestors' state; the hub's one rule
(`pages.queries`) hides the subtree of an unpublished, expired or not yet live page on
every surface. Wagtail's automatic redirects (slug change, move) only lead the public
to pages it may see.
"""

import datetime as dt
import uuid

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

import pytest

from pages.models import EventPage
from tests.factories import EventPageFactory

pytestmark = pytest.mark.django_db

SURFACES = [
    "/api/v1/events/?limit=100",
    "/api/v1/items/?limit=100",
    "/api/v2/pages/?limit=100&order=-id",
    "/feeds/events.rss",
    "/feeds/all.atom",
    "/feeds/events.json",
    "/feeds/events.ics",
    "/embed/events/",
    "/veranstaltungen/",
    "/sitemap.xml",
]


def token() -> str:
    return uuid.uuid4().hex[:10]


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return content.decode()


def page_below(parent: Page, depth: int = 1) -> tuple[Page, list[Page]]:
    """A live plain page chain of `depth` below `parent`, the last one returned first."""
    chain = []
    for _ in range(depth):
        mark = token()
        parent = parent.add_child(instance=Page(title=f"Oben {mark}", slug=mark))
        parent.save_revision().publish()
        chain.append(parent)
    return parent, chain


def hide(page: Page, state: str) -> None:
    now = timezone.now()
    if state == "draft":
        Page.objects.filter(pk=page.pk).update(live=False)
    elif state == "unpublished":
        page.unpublish()
    elif state == "scheduled":
        Page.objects.filter(pk=page.pk).update(go_live_at=now + dt.timedelta(days=3))
    elif state == "expired":
        Page.objects.filter(pk=page.pk).update(expire_at=now - dt.timedelta(minutes=1))


STATES = ["draft", "unpublished", "scheduled", "expired"]


@pytest.mark.parametrize(
    ("depth", "hidden"),
    # The event's parent, or a page further up; deep enough, the rule's scan for
    # ancestors below the levels it looks up by path is exercised too.
    [(1, 0), (3, 0), (5, 0), (5, -1)],
    ids=["parent", "grandparent", "far-above", "deep-parent"],
)
@pytest.mark.parametrize("state", STATES)
def test_an_ancestor_that_is_not_live_hides_the_page_everywhere(
    client, demo, state, depth, hidden
):
    top, chain = page_below(demo.events, depth)
    below, beside = token(), token()
    event = EventPageFactory(parent=top, title=f"Darunter {below}", occurrences=1)
    event_url = event.url
    shown = EventPageFactory(parent=demo.events, title=f"Daneben {beside}")
    assert below in text(client, "/api/v1/events/?limit=100")

    hide(chain[hidden], state)
    cache.clear()

    for url in SURFACES:
        body = text(client, url)
        assert below not in body, url
        assert event.slug not in body, url
    assert beside in text(client, "/api/v1/events/?limit=100")
    for url in (event_url, f"/api/v1/events/{event.pk}/", f"/api/v2/pages/{event.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.get(chain[-1].url).status_code == 404
    visible = EventPage.objects.visible()
    assert shown in visible
    assert event not in visible


def test_an_unpublished_section_index_hides_its_items(client, demo):
    event = EventPageFactory(parent=demo.events, occurrences=1)
    demo.events.unpublish()

    assert event.title not in text(client, "/api/v1/events/?limit=100")
    assert event.title not in text(client, "/sitemap.xml")
    assert client.get(f"/api/v1/events/{event.pk}/").status_code == 404


def test_an_unpublished_home_page_hides_everything(client, demo):
    assert client.get("/api/v1/items/").json()["count"] > 0
    demo.home.unpublish()
    cache.clear()

    assert client.get("/api/v1/items/").json()["count"] == 0
    assert "<url>" not in text(client, "/sitemap.xml")


def test_a_page_gone_live_below_a_live_ancestor_shows(client, demo):
    """The rule compares with now: an ancestor whose go-live has passed hides nothing."""
    top, chain = page_below(demo.events, 2)
    Page.objects.filter(pk=chain[0].pk).update(
        go_live_at=timezone.now() - dt.timedelta(minutes=1),
        expire_at=timezone.now() + dt.timedelta(days=1),
    )
    event = EventPageFactory(parent=top, occurrences=1)

    assert event.title in text(client, "/api/v1/events/?limit=100")
    assert client.get(event.url).status_code == 200


def test_the_ancestor_rule_costs_no_query_per_item(client, demo):
    """Lists cost the same number of queries with 2 or 12 items below nested pages."""

    def queries(url: str) -> int:
        text(client, url)  # first requests may run deferred work (search index)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            text(client, url)
        return len(captured)

    top, _ = page_below(demo.events, 3)
    for _ in range(2):
        EventPageFactory(parent=top, occurrences=1)
    urls = ["/api/v1/events/?limit=100", "/feeds/events.rss", "/embed/events/"]
    before = {url: queries(url) for url in urls}
    for _ in range(10):
        EventPageFactory(parent=top, occurrences=1)
    assert {url: queries(url) for url in urls} == before


# --- redirects ---------------------------------------------------------------------------


def test_a_renamed_page_is_redirected_to(client, django_capture_on_commit_callbacks):
    event = EventPageFactory(occurrences=1)
    old = event.url
    with django_capture_on_commit_callbacks(execute=True):
        event.slug = f"neu-{token()}"
        event.save_revision().publish()

    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"].endswith(f"/{event.slug}/")


def test_a_renamed_restricted_page_gets_no_redirect(
    client, django_capture_on_commit_callbacks
):
    event = EventPageFactory(occurrences=1)
    old = event.url
    PageViewRestriction.objects.create(page=event, restriction_type="login")
    with django_capture_on_commit_callbacks(execute=True):
        event.slug = f"geheim-{token()}"
        event.save_revision().publish()
    assert Redirect.objects.filter(redirect_page=event).exists()

    cache.clear()
    response = client.get(old)
    assert response.status_code == 404
    assert event.slug not in response.content.decode()


def test_a_page_moved_below_a_draft_gets_no_redirect(
    client, demo, django_capture_on_commit_callbacks
):
    event = EventPageFactory(parent=demo.events, occurrences=1)
    old = event.url
    draft, _ = page_below(demo.events)
    hide(draft, "draft")
    with django_capture_on_commit_callbacks(execute=True):
        event.move(draft, pos="last-child")
    assert Redirect.objects.filter(redirect_page=event).exists()

    response = client.get(old)
    assert response.status_code == 404
    assert draft.slug not in response.content.decode()


def test_a_redirect_to_an_unpublished_page_answers_404(client):
    event = EventPageFactory(occurrences=1)
    Redirect.add_redirect(f"/alt-{token()}", event)
    old = Redirect.objects.get(redirect_page=event).old_path
    assert client.get(f"{old}/").status_code == 301

    event.unpublish()
    cache.clear()

    assert client.get(f"{old}/").status_code == 404


def test_a_redirect_to_an_external_link_stays(client):
    Redirect.objects.create(
        old_path="/alter-flyer", redirect_link="https://example.org/"
    )

    response = client.get("/alter-flyer/")
    assert response.status_code == 301
    assert response["Location"] == "https://example.org/"
