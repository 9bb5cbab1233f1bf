"""README.md's screenshots, taken from the running hub: `make screenshots`.

Skipped unless HUB_SCREENSHOTS=1, so the ordinary tests never write into docs/. Each
image has a fixed viewport and the demo content's own dates (HUB_DEMO_DATES=seed), so a
rerun on unchanged code gives the same pictures.
"""

import json
import urllib.request

import pytest

from .conftest import log_in, screenshot_dir

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        screenshot_dir() is None,
        reason="screenshots are written by `make screenshots` (HUB_SCREENSHOTS=1)",
    ),
]

EVENT_PATH = "/veranstaltungen/laien-sprachmittlerpool-grundlagenschulung-witten-2020/"
EVENT_TITLE = "Laien-Sprachmittlerpool – Grundlagenschulung in Witten"
PUBLIC = {"width": 1100, "height": 900}
ADMIN = {"width": 1280, "height": 900}
# No transitions, no blinking caret: a rerun gives the same pixels.
STILL = """document.addEventListener("DOMContentLoaded", () => {
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { transition: none !important;"
    + " animation: none !important; caret-color: transparent !important; }";
  document.head.append(style);
});"""


@pytest.fixture
def shot(browser):
    """A fresh German tab at a fixed size, and a function that saves it under a name."""
    contexts = []

    def open_tab(viewport: dict[str, int]):
        context = browser.new_context(
            locale="de-DE",
            viewport=viewport,
            device_scale_factor=1,
            reduced_motion="reduce",
            bypass_csp=True,  # for the style below; the pages look the same
        )
        context.add_init_script(STILL)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return tab

    def save(tab, name: str, *, full_page: bool = True) -> None:
        tab.wait_for_load_state("networkidle")
        tab.wait_for_timeout(400)  # transitions end
        directory = screenshot_dir()
        assert directory is not None  # the module is skipped otherwise
        path = directory / name
        tab.screenshot(path=str(path), full_page=full_page, animations="disabled")
        assert path.stat().st_size > 10_000  # a picture, not an empty page

    yield open_tab, save
    for context in contexts:
        context.close()


def event_id(hub) -> int:
    url = hub.url + "/api/v1/events/?city=witten&limit=100"
    with urllib.request.urlopen(url) as response:  # noqa: S310 - local test server
        events = json.load(response)["results"]
    return int(next(event["id"] for event in events if event["title"] == EVENT_TITLE))


def test_admin_event_listing(hub, shot):
    open_tab, save = shot
    page = open_tab(ADMIN)
    log_in(hub, page)
    page.goto(hub.url + "/admin/events/")
    assert page.get_by_text("Erster Termin").count() >= 1
    save(page, "admin-events.png", full_page=False)


def test_admin_event_edit(hub, shot):
    open_tab, save = shot
    page = open_tab({"width": 1280, "height": 1400})
    log_in(hub, page)
    page.goto(f"{hub.url}/admin/pages/{event_id(hub)}/edit/")
    page.locator("form#page-edit-form").wait_for()
    save(page, "admin-event-edit.png", full_page=False)


def test_public_event_page(hub, shot):
    open_tab, save = shot
    page = open_tab(PUBLIC)
    page.goto(hub.url + EVENT_PATH)
    assert page.locator("h1").inner_text() == EVENT_TITLE
    save(page, "event-page.png")


def test_embed_on_a_partner_page(hub, shot):
    open_tab, save = shot
    page = open_tab({"width": 1100, "height": 700})
    page.goto(hub.partner_url + "/")
    page.locator("#script-embed .hub-embed__item").first.wait_for()
    page.frame_locator("#iframe-embed iframe").locator(
        ".hub-embed__item"
    ).first.wait_for()
    save(page, "embed-partner-page.png")


def test_embed_builder(hub, shot):
    open_tab, save = shot
    page = open_tab(PUBLIC)
    log_in(hub, page)
    page.goto(hub.url + "/admin/einbettung/")
    with page.expect_navigation():  # choices refresh the preview at once
        page.select_option("select[name=city]", "witten")
    page.fill("input[name=accent]", "#7a1f00")
    with page.expect_navigation():
        page.click("text=Vorschau und Code aktualisieren")
    assert page.get_by_label("Sprache").count() == 1
    page.frame_locator(".hub-builder__preview").locator(
        ".hub-embed__item"
    ).first.wait_for()
    save(page, "embed-builder.png")
