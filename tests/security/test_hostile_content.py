"""Hostile content written by an editor (or pasted from Word): every surface stays up,
valid and free of executable HTML."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from wagtail.models import Page

import pytest
from icalendar import Calendar

from .surfaces import SECTIONS, Surface, all_surfaces, require_routed
from .world import INDEXES, KINDS, new_item, publish

pytestmark = pytest.mark.django_db

# Control characters that Word pastes and XML 1.0 forbids (NUL is refused by the admin's
# form fields and by PostgreSQL, so it cannot be stored at all).
CONTROL = "\x0b\x0c\x1b\x08\x7f"
XML_INVALID = "\x0b\x0c\x1b\x08"  # DEL (\x7f) is allowed in XML 1.0
HOSTILE_TITLE = (
    f'hx</title></script><script>alert("t")</script>]]>{CONTROL} مرحبا ‮ 🎉 Grüße'
)
EVENT_TITLE = HOSTILE_TITLE + "\r\nBEGIN:VALARM\r\nTRIGGER:-PT5M"
HOSTILE_BODY = (
    "<p>Absatz<script>alert(1)</script><img src=x onerror=alert(2)>"
    '<a href="javascript:alert(3)">eins</a><a href=" JaVaScRiPt:alert(4)">zwei</a>'
    '<iframe src="https://evil.example/"></iframe><svg onload=alert(5)></svg>'
    '<a href="data:text/html,<script>alert(6)</script>">drei</a>'
    f'<b style="background:url(javascript:alert(7))">fett</b> ]]> {CONTROL}</p>'
)
MEGABYTE = "<p>" + ("Lorem ipsum dolor sit amet. " * 37_500) + "</p>"
EXECUTABLE = re.compile(
    r"<script(?![^>]*application/ld\+json)|onerror\s*=|onload\s*=|javascript:|"
    r"<iframe|<svg|data:text/html",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker):
    """One hostile item per content type, committed for the module and removed after."""
    with django_db_blocker.unblock():
        pages = {}
        for kind in KINDS:
            page = new_item(
                kind,
                INDEXES[kind].objects.get(locale__language_code="de"),
                EVENT_TITLE if kind == "events" else HOSTILE_TITLE,
                f"hostile-{kind}",
                teaser=HOSTILE_TITLE,
            )
            page.body = [
                {"type": "paragraph", "value": HOSTILE_BODY},
                {"type": "paragraph", "value": MEGABYTE if kind == "press" else "<p/>"},
            ]
            page.save()
            pages[kind] = publish(page)
    yield pages
    with django_db_blocker.unblock():
        Page.objects.filter(pk__in=[p.pk for p in pages.values()]).delete()


def strings_in(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def check_json(body: bytes) -> None:
    data = json.loads(body)
    for text in strings_in(data):
        if "Absatz" in text:  # the body, as HTML
            assert not EXECUTABLE.search(text), text[:300]
        if text.startswith("hx"):  # a title or teaser: data, delivered as written
            assert "🎉" in text and "مرحبا" in text


def check_xml(body: bytes) -> None:
    root = ET.fromstring(body)  # noqa: S314 (our own output)
    texts = [el.text or "" for el in root.iter()]
    for text in texts:
        if "Absatz" in text:  # HTML content inside <description>/<content>
            assert not EXECUTABLE.search(text), text[:300]
        assert not set(XML_INVALID) & set(text), "control characters are not valid XML"
    if not root.tag.endswith("urlset"):  # feeds carry the titles, as written
        assert any("🎉" in text for text in texts)


def check_ics(body: bytes) -> None:
    calendar = Calendar.from_ical(body)
    lines = body.decode().split("\r\n")
    assert "BEGIN:VALARM" not in lines and "TRIGGER:-PT5M" not in lines
    summaries = [str(e.get("SUMMARY")) for e in calendar.walk("VEVENT")]
    assert any("BEGIN:VALARM" in s for s in summaries), "the title, as text"


class InjectedMarkup(HTMLParser):
    """Collects what the hostile content could have turned into executable HTML."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.in_script = False
        self.json_ld = False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "svg", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "style") and re.search(
                r"javascript:|vbscript:|data:text/html", value
            ):
                self.found.append(f"<{tag} {name}={value[:40]}>")
        self.in_script = tag == "script"
        self.json_ld = dict(attrs).get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if not self.in_script:
            return
        if self.json_ld:
            # Data, not code, as long as it cannot close the element: titles inside are
            # escaped (\u003c), so a raw "<" means they were not.
            if "<" in data:
                self.found.append(f"JSON-LD with raw '<': {data[:60]}")
        elif "alert(" in data:
            self.found.append(f"<script>{data[:60]}")


def check_html(body: bytes) -> None:
    """The page's own scripts (an embed's resizer, JSON-LD) are fine; injected ones not."""
    parser = InjectedMarkup()
    parser.feed(body.decode())
    assert parser.found == []
    assert "</title></script>" not in body.decode()


def check(surface_path: str, response) -> None:
    assert response.status_code == 200, (surface_path, response.status_code)
    content_type = response["Content-Type"]
    body = response.content
    if "json" in content_type:
        check_json(body)
    elif "calendar" in content_type:
        check_ics(body)
    elif "xml" in content_type:
        check_xml(body)
    else:
        check_html(body)


SURFACES = [
    s for s in all_surfaces() if not s.search and not s.path.startswith("/api/v2/d")
]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.id)
def test_lists_stay_valid_and_sanitized(client, hostile, surface: Surface):
    surface.require_built()
    check(surface.path, client.get(surface.path))


@pytest.mark.parametrize("kind", KINDS)
def test_details_stay_valid_and_sanitized(client, hostile, kind):
    page = hostile[kind]
    paths = [
        f"/{INDEXES[kind].objects.get(locale__language_code='de').slug}/{page.slug}/",
        f"/api/v1/{kind}/{page.pk}/",
        f"/api/v2/pages/{page.pk}/",
    ]
    for path in paths:
        require_routed(path)
        check(path, client.get(path))


def test_a_megabyte_body_is_served(client, hostile):
    page = hostile["press"]
    response = client.get(f"/presse/{page.slug}/")
    assert response.status_code == 200
    assert len(response.content) > 1_000_000


def test_sections_cover_every_content_type():
    assert set(SECTIONS) == set(KINDS)
