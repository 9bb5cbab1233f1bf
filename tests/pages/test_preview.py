"""Wagtail's preview as editors use it: the draft of every page type in the admin's
preview panel (framed by the admin only, never stored), and the event's preview modes."""

import re
from html.parser import HTMLParser

from django.contrib.auth.models import User

from wagtail.fields import StreamField

import pytest

from pages.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    NewsletterIndexPage,
    NewsletterIssuePage,
    PressIndexPage,
    PressReleasePage,
    ProgrammeIndexPage,
    ProgrammePage,
)
from tests.factories import NewsletterIssuePageFactory

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    EventPage,
    PressReleasePage,
    ProgrammePage,
    NewsletterIssuePage,
    EventIndexPage,
    PressIndexPage,
    ProgrammeIndexPage,
    NewsletterIndexPage,
    HomePage,
]


class FormFields(HTMLParser):
    """The values a browser would submit from the page editor's form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "page-edit-form":
            self.in_form = True
        if not self.in_form or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.data.append((self.select, a.get("value") or ""))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def editor_form(client, page) -> dict[str, list[str]]:
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    parser = FormFields()
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    # Stream fields are drawn by the admin's scripts: submitted here as empty streams.
    for field in type(page.specific)._meta.get_fields():
        if isinstance(field, StreamField):
            data[f"{field.name}-count"] = ["0"]
    return data


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("vorschau", "vorschau@example.org", "pw")
    client.force_login(user)
    return client


def preview_of(client, page, title: str, mode: str = ""):
    """Types `title` into the editor (unsaved) and reads the preview panel's frame."""
    form = editor_form(client, page)
    form["title"] = [title]
    url = f"/admin/pages/{page.pk}/edit/preview/"
    posted = client.post(url, form)
    assert posted.json()["is_valid"], posted.json()
    return client.get(url, {"mode": mode} if mode else {})


def live_page(model):
    """A published page of `model` (the seed has no newsletter issue: one is made)."""
    page = model.objects.live().first()
    if page is None and model is NewsletterIssuePage:
        page = NewsletterIssuePageFactory(
            parent=NewsletterIndexPage.objects.get(locale__language_code="de")
        )
    return page


def framing(response) -> str:
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors[^;]*", policy).group(0)


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_the_preview_panel_shows_the_unsaved_draft_of_every_page_type(
    editor, settings, model
):
    settings.X_FRAME_OPTIONS = "DENY"
    page = live_page(model)
    response = preview_of(editor, page, "Entwurf – noch nicht gespeichert")
    assert response.status_code == 200
    assert "Entwurf – noch nicht gespeichert" in response.content.decode()
    # Only the admin's own origin may frame it; it is never stored anywhere.
    assert framing(response) == "frame-ancestors 'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert not any(d.startswith("s-maxage") for d in directives)
    # The public page is unchanged and still framed by nobody.
    public = editor.get(page.url)
    assert "Entwurf – noch nicht gespeichert" not in public.content.decode()
    assert framing(public) == "frame-ancestors 'none'"
    assert public["X-Frame-Options"] == "DENY"


def test_a_saved_draft_is_previewed_while_the_public_page_stays(editor, client):
    event = EventPage.objects.live().first()
    draft = event.get_latest_revision_as_object()
    draft.title = "Gespeicherter Entwurf"
    draft.save_revision()
    form = editor_form(editor, event)
    assert form["title"] == ["Gespeicherter Entwurf"]
    response = preview_of(editor, event, "Gespeicherter Entwurf")
    assert "Gespeicherter Entwurf" in response.content.decode()
    editor.logout()
    assert "Gespeicherter Entwurf" not in client.get(event.url).content.decode()


def test_the_event_preview_modes_are_offered_in_german(editor):
    event = EventPage.objects.live().first()
    html = editor.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    for label in ("Seite", "Eintrag in der Einbettung", "Feed- und Kalendereintrag"):
        assert label in html


def test_the_event_calendar_mode_shows_the_draft_vevent_and_rss_item(editor):
    event = EventPage.objects.live().first()
    response = preview_of(editor, event, "Kalenderprobe", mode="feed")
    html = response.content.decode()
    assert response.status_code == 200
    assert "BEGIN:VEVENT" in html
    assert "SUMMARY:Kalenderprobe" in html
    assert f"UID:event-{event.pk}-occurrence-" in html
    assert "&lt;item" in html and "Kalenderprobe" in html
    assert framing(response) == "frame-ancestors 'self'"
    assert "no-store" in response["Cache-Control"]


def test_the_event_embed_mode_shows_the_draft_as_a_partner_embed_entry(editor):
    event = EventPage.objects.live().first()
    response = preview_of(editor, event, "Einbettungsprobe", mode="embed")
    html = response.content.decode()
    assert 'class="hub-embed hub-embed--events"' in html
    assert "Einbettungsprobe" in html
    assert '<html lang="de" dir="ltr">' in html
    assert framing(response) == "frame-ancestors 'self'"
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "model", [PressReleasePage, ProgrammePage, NewsletterIssuePage]
)
def test_other_items_preview_their_feed_entry(editor, model):
    page = live_page(model)
    response = preview_of(editor, page, "Feedprobe", mode="feed")
    html = response.content.decode()
    assert "&lt;item" in html and "Feedprobe" in html
    assert "BEGIN:VEVENT" not in html


def test_preview_modes_are_not_reachable_on_the_public_site(client):
    event = EventPage.objects.live().first()
    response = client.get(event.url, {"mode": "feed"})
    assert "BEGIN:VEVENT" not in response.content.decode()
