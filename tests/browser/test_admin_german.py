"""An editor creates an event titled with umlauts in Chromium: its URL is ASCII, and the
dashboard shows it among the coming weeks' events."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser

TITLE = "Sprachcafé Hattingen – Begegnung für Groß und Klein"
SLUG = "sprachcafe-hattingen-begegnung-fuer-gross-und-klein"


def test_editor_creates_an_umlaut_event_with_an_ascii_url(hub, page):
    log_in(hub, page)
    index = page.request.get(hub.url + "/api/v2/pages/?type=pages.EventIndexPage")
    parent = index.json()["items"][0]["id"]
    page.goto(f"{hub.url}/admin/pages/add/pages/eventpage/{parent}/")

    title = page.locator("#id_title")
    title.click()
    title.press_sequentially(TITLE)
    page.locator("#id_teaser").click()  # leaving the title fills the slug
    expect(page.locator("#id_slug")).to_have_value(SLUG)

    day = dt.date.today() + dt.timedelta(days=9)
    german = '"format": "Y-m-d"' not in page.content()
    date_field = page.locator("input[name='occurrences-0-start_date']")
    date_field.fill(day.strftime("%d.%m.%Y") if german else day.isoformat())
    date_field.press("Escape")
    page.get_by_role("button", name="Stadt auswählen").click()
    page.locator(".modal-content a", has_text="Hattingen").first.click()
    page.locator(".modal-content").wait_for(state="hidden")

    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))

    public = page.request.get(f"{hub.url}/veranstaltungen/{SLUG}/")
    assert public.status == 200
    rss = page.request.get(hub.url + "/feeds/events.rss").text()
    assert f"/veranstaltungen/{SLUG}/</link>" in rss
    assert all(link.isascii() for link in re.findall(r"<link>([^<]*)</link>", rss))

    page.goto(hub.url + "/admin/")
    upcoming = page.locator("#hub-upcoming-events-section, [id^=hub-upcoming-events]")
    assert page.get_by_role("heading", name="Veranstaltungen der nächsten vier Wochen")
    content = page.content()
    for heading in (
        "Veranstaltungen der nächsten vier Wochen",
        "Warten auf Freigabe",
        "Geplante Veröffentlichungen und Abläufe",
        "Termine vorbei, Status noch offen",
    ):
        assert heading in content
    assert TITLE in upcoming.first.inner_text()
    assert "gravatar" not in content


# English or informal words an editor saw in these views (Wagtail's stock names, its
# untranslated labels, "du"-German); words, so "Dashboard" or "Workflow" may stay.
NOT_GERMAN = re.compile(
    r"\b(Moderators|Editors|Root|True|False|Home|Actions|Page|Choose|Delete|Publish"
    r"|Unlock|Can|my-slug|du|Du|Gib|Wähle|Deine?)\b|-Objekt|Auswählen \w"
)


def visible_text(page) -> str:
    labels = page.locator("[aria-label]").evaluate_all(
        "nodes => nodes.map(node => node.getAttribute('aria-label'))"
    )
    return page.locator("body").inner_text() + "\n" + "\n".join(labels)


def assert_german(page, where: str) -> None:
    found = sorted(set(NOT_GERMAN.findall(visible_text(page))) - {""})
    assert not found, f"{where}: {found}"


def open_first(page, url: str, link: str) -> None:
    page.goto(url)
    page.locator(f"a[href*='{link}']").first.click()
    page.wait_for_url(re.compile(f".*{link}.*"))


def test_users_groups_workflows_status_panel_and_chooser_speak_german(hub, page):
    log_in(hub, page)
    admin = hub.url + "/admin"
    for url in ("/users/", "/groups/", "/workflows/list/", "/workflows/tasks/index/"):
        page.goto(admin + url)
        assert_german(page, url)
    for url, link in (
        ("/users/", "/admin/users/edit/"),
        ("/groups/", "/admin/groups/edit/"),
        ("/workflows/list/", "/admin/workflows/edit/"),
        ("/workflows/tasks/index/", "/admin/workflows/tasks/edit/"),
    ):
        open_first(page, admin + url, link)
        assert_german(page, link)

    events = page.request.get(hub.url + "/api/v2/pages/?type=pages.EventPage")
    event = events.json()["items"][0]["id"]
    page.goto(f"{admin}/pages/{event}/edit/")
    page.locator("[data-side-panel-toggle=status]").first.click()
    status = page.locator("[data-side-panel=status]")
    status.wait_for()
    assert "Nicht gesperrt" in status.inner_text()
    assert_german(page, "event editor with the status panel")

    index = page.request.get(hub.url + "/api/v2/pages/?type=pages.EventIndexPage")
    parent = index.json()["items"][0]["id"]
    page.goto(f"{admin}/pages/add/pages/eventpage/{parent}/")
    page.get_by_role("button", name="Veranstaltungsort auswählen").click()
    modal = page.locator(".modal-content")
    expect(modal.get_by_role("heading", level=1)).to_have_text(
        "Veranstaltungsort auswählen"
    )
    found = sorted(set(NOT_GERMAN.findall(modal.inner_text())) - {""})
    assert not found, found
