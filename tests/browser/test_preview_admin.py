"""An editor previews an unpublished change in the admin's preview panel, in Chromium."""

import json
import re
import urllib.request

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser


def first_event(hub) -> dict:
    with urllib.request.urlopen(  # noqa: S310 - local test server
        hub.url + "/api/v1/events/?limit=1", timeout=10
    ) as response:
        return json.load(response)["results"][0]


def test_editor_previews_an_unpublished_title_and_its_calendar_entry(hub, page):
    event = first_event(hub)
    log_in(hub, page)
    page.goto(f"{hub.url}/admin/pages/{event['id']}/edit/")
    page.fill("input[name=title]", "Vorschau-Titel, nicht veröffentlicht")
    page.locator('[data-side-panel-toggle="preview"]').click()

    frame = page.frame_locator("#w-preview-iframe")
    frame.get_by_text("Vorschau-Titel, nicht veröffentlicht").first.wait_for()
    # The frame really rendered (not blocked by the page's frame-ancestors).
    assert frame.locator("h1").first.inner_text().startswith("Vorschau-Titel")

    page.select_option("#id_preview_mode", "feed")
    vevent = frame.locator('[data-preview="vevent"]').first
    vevent.wait_for()
    text = vevent.inner_text()
    assert "BEGIN:VEVENT" in text
    assert re.search(r"SUMMARY:Vorschau-Titel\\?, nicht veröffentlicht", text)

    # Nothing was published: the public page still shows the published title.
    public = page.context.new_page()
    public.goto(event["url"])
    assert "Vorschau-Titel" not in public.content()
    assert event["title"] in public.content()
