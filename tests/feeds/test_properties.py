"""Hostile titles and bodies survive every format: same (sanitized) text out, feed valid."""

import html
import json

from django.core.cache import cache
from django.test import Client

import feedparser
import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds.text import xml_safe
from pages.models import PressReleasePage

pytestmark = pytest.mark.django_db

HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "]]>",
        "&",
        "&amp;",
        "😀",
        "\x01",
        "\x0c",
        "\ufffe",
        "\r\nBEGIN:VALARM",
        "عربي",
        "'\"",
        " ",
    ]
)
# NUL is left out: PostgreSQL text cannot hold it, so no content can contain it.
TEXT = st.lists(
    st.one_of(
        HOSTILE,
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8
        ),
    ),
    min_size=1,
    max_size=6,
).map("".join)
PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def normalized(text: str) -> str:
    """What a reader may show: XML-legal, and line breaks as XML parsers deliver them."""
    return xml_safe(text).replace("\r\n", "\n").replace("\r", "\n")


def expected_title(title: str) -> str:
    return xml_safe(title) or "(ohne Titel)"


@pytest.fixture
def release(demo):
    from tests.factories import PressReleasePageFactory

    return PressReleasePageFactory(parent=demo.press)


@pytest.fixture
def event(demo):
    from tests.factories import EventOccurrenceFactory, EventPageFactory

    event = EventPageFactory(parent=demo.events)
    EventOccurrenceFactory(page=event)
    return event


def update(page, **fields):
    PressReleasePage.objects.filter(pk=page.pk).update(**fields)
    cache.clear()


@PROPERTY
@given(title=TEXT, teaser=TEXT)
def test_rss_round_trip(release, title, teaser):
    update(release, title=title, teaser=teaser)
    body = Client().get("/feeds/press.rss").content
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0
    item = next(
        item
        for item in etree.fromstring(body).iter("item")
        if item.findtext("guid").endswith(f"/{release.pk}")
    )
    assert item.findtext("title") == expected_title(title)
    # The description is escaped HTML: a reader's HTML view shows the literal text.
    if xml_safe(teaser):
        assert html.unescape(item.findtext("description")) == xml_safe(teaser)


@PROPERTY
@given(title=TEXT, teaser=TEXT)
def test_atom_round_trip(release, title, teaser):
    update(release, title=title, teaser=teaser)
    body = Client().get("/feeds/press.atom").content
    feed = etree.fromstring(body)
    atom = "{http://www.w3.org/2005/Atom}"
    entry = next(
        e
        for e in feed.iter(f"{atom}entry")
        if e.findtext(f"{atom}id").endswith(f"/{release.pk}")
    )
    assert entry.findtext(f"{atom}title") == expected_title(title)
    assert (entry.findtext(f"{atom}summary") or "") == xml_safe(teaser)
    content = entry.findtext(f"{atom}content")
    assert "<script" not in content
    assert feedparser.parse(body).bozo == 0


@PROPERTY
@given(title=TEXT, teaser=TEXT)
def test_json_round_trip(release, title, teaser):
    update(release, title=title, teaser=teaser)
    feed = json.loads(Client().get("/feeds/press.json").content)
    item = next(i for i in feed["items"] if i["id"].endswith(f"/{release.pk}"))
    assert item["title"] == (xml_safe(title) or "(ohne Titel)")
    assert "<script" not in item["content_html"]


@PROPERTY
@given(title=TEXT, teaser=TEXT)
def test_ical_round_trip(event, title, teaser):
    event.__class__.objects.filter(pk=event.pk).update(title=title, teaser=teaser)
    cache.clear()
    body = Client().get("/feeds/events.ics").content
    calendar = icalendar.Calendar.from_ical(body)
    assert not calendar.walk("VALARM")
    (vevent,) = [e for e in calendar.walk("VEVENT") if f"event-{event.pk}-" in e["UID"]]
    assert str(vevent["SUMMARY"]) == f"{normalized(title)} (angekündigt)"
    assert normalized(teaser) in str(vevent["DESCRIPTION"])
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
