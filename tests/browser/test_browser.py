"""The public pages and the embeds as a reader's browser sees them (headless Chromium)."""

import urllib.request

import pytest

from .conftest import EDITOR, run_axe

pytestmark = pytest.mark.browser

EVENT_PATH = "/veranstaltungen/laien-sprachmittlerpool-grundlagenschulung-witten-2020/"
POSTPONED_PATH = "/veranstaltungen/schulung-trauma-kita-2020/"
WITTEN_EVENTS = (
    "Laien-Sprachmittlerpool – Grundlagenschulung in Witten",
    "Workshop für Akteure in der Integrationsarbeit",
)


def wait_for_embeds(page) -> None:
    page.locator("#script-embed .hub-embed__item").first.wait_for()
    page.frame_locator("#iframe-embed iframe").locator(
        ".hub-embed__item"
    ).first.wait_for()


def test_partner_page_shows_wittens_events_in_both_variants(hub, page):
    page.goto(hub.partner_url + "/")
    wait_for_embeds(page)
    script_titles = page.locator("#script-embed .hub-embed__link").all_inner_texts()
    frame = page.frame_locator("#iframe-embed iframe")
    frame_titles = frame.locator(".hub-embed__link").all_inner_texts()
    assert script_titles == list(WITTEN_EVENTS)
    assert frame_titles == list(WITTEN_EVENTS)
    assert (
        page.locator("#script-embed .hub-embed__title").inner_text()
        == "Termine in Witten"
    )
    # Links lead to the canonical public pages; the framed ones leave the iframe.
    link = frame.locator(".hub-embed__link").first
    assert link.get_attribute("href") == hub.url + EVENT_PATH
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener"
    assert (
        page.locator("#script-embed .hub-embed__link").first.get_attribute("href")
        == hub.url + EVENT_PATH
    )
    # The partner's CSS custom property themes the script variant.
    colour = page.locator("#script-embed .hub-embed__link").first.evaluate(
        "el => getComputedStyle(el).color"
    )
    assert colour == "rgb(122, 31, 0)"


def test_iframe_takes_the_height_of_its_content(hub, page):
    page.goto(hub.partner_url + "/")
    wait_for_embeds(page)
    with urllib.request.urlopen(hub.partner_url + "/") as response:  # noqa: S310
        assert "height:400px" in response.read().decode()  # the snippet's start height
    content_height = (
        page.frame_locator("#iframe-embed iframe")
        .locator("html")
        .evaluate("el => Math.ceil(el.getBoundingClientRect().height)")
    )
    assert 100 < content_height < 400
    page.wait_for_function(
        "h => Math.round(document.querySelector('#iframe-embed iframe')"
        ".getBoundingClientRect().height) === h",
        arg=content_height,
    )
    # Narrower iframe → text wraps → the iframe grows with it.
    page.set_viewport_size({"width": 330, "height": 700})
    grown = page.frame_locator("#iframe-embed iframe").locator("html")
    page.wait_for_function(
        "h => document.querySelector('#iframe-embed iframe')"
        ".getBoundingClientRect().height > h",
        arg=content_height,
    )
    new_height = grown.evaluate("el => Math.ceil(el.getBoundingClientRect().height)")
    assert new_height > content_height


def test_origin_not_allowed_by_editors_gets_neither_frame_nor_data(hub, page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(hub.stranger_url + "/")
    page.wait_for_load_state("networkidle")
    fallback = page.locator("#script-embed a")
    assert fallback.inner_text() == (
        "Veranstaltungen in Witten beim Kommunalen Integrationszentrum"
    )
    assert page.locator(".hub-embed__item").count() == 0
    frame = page.frame_locator("#iframe-embed iframe")
    assert frame.locator(".hub-embed__item").count() == 0
    log = "\n".join(console)
    assert "frame-ancestors" in log
    assert "Access-Control-Allow-Origin" in log


def test_event_page_shows_status_and_dates(hub, page):
    page.goto(hub.url + POSTPONED_PATH)
    assert page.locator(".status").inner_text() == "Wird verschoben auf 2021"
    dates = page.locator(".occurrences li").all_inner_texts()
    assert dates and all(text.startswith("geplant: ") for text in dates)
    page.goto(hub.url + EVENT_PATH)
    assert page.locator("h1").inner_text() == WITTEN_EVENTS[0]
    assert page.locator(".status").inner_text() == "Findet statt"
    assert page.locator(".occurrences li").all_inner_texts() == [
        "Montag, 24. August 2020, 15:00–19:00 Uhr",
        "Mittwoch, 26. August 2020, 15:00–19:00 Uhr",
        "Montag, 31. August 2020, 15:00–19:00 Uhr",
    ]


@pytest.mark.parametrize(
    "path", [EVENT_PATH, "/veranstaltungen/", "/embed/events/?city=witten"]
)
def test_tab_reaches_every_link_with_visible_focus(hub, page, path):
    page.goto(hub.url + path)
    links = page.eval_on_selector_all(
        "a[href], button, select",
        "els => els.filter(el => el.offsetParent !== null || el.matches('.skip-link'))"
        ".map(el => el.outerHTML)",
    )
    reached = []
    for _ in range(len(links) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " const style = getComputedStyle(el);"
            " return [el.outerHTML, style.outlineStyle !== 'none' || "
            " style.boxShadow !== 'none']; }"
        )
        if focused[0] in reached:
            break
        if focused[0].startswith("<body"):
            continue
        reached.append(focused[0])
        assert focused[1], f"no visible focus on {focused[0][:80]}"
    assert sorted(reached) == sorted(links)


@pytest.mark.parametrize(
    "path", [EVENT_PATH, "/veranstaltungen/?city=witten", "/embed/events/?city=witten"]
)
def test_no_serious_accessibility_violations(hub, browser, path):
    # The public pages' own CSP forbids injected scripts; axe is the test's, not theirs.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(hub.url + path)
        assert run_axe(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("path", [EVENT_PATH, "/veranstaltungen/", "/presse/"])
def test_usable_at_320_pixels(hub, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(hub.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_hashed_static_files_are_cached_forever(hub, page):
    page.goto(hub.url + EVENT_PATH)
    href = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert href.startswith("/static/css/hub.") and href != "/static/css/hub.css"
    with urllib.request.urlopen(hub.url + href) as response:  # noqa: S310
        assert (
            response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        )


def test_editor_builds_an_embed_code(hub, page):
    page.goto(hub.url + "/admin/login/")
    page.fill("input[name=username]", EDITOR[0])
    page.fill("input[name=password]", EDITOR[1])
    page.click("button[type=submit]")
    page.wait_for_url(hub.url + "/admin/")
    page.goto(hub.url + "/admin/einbettung/")
    with page.expect_navigation():  # choices refresh the preview at once
        page.select_option("select[name=city]", "witten")
    page.fill("input[name=accent]", "#7a1f00")
    with page.expect_navigation():
        page.click("text=Vorschau und Code aktualisieren")
    code = page.locator("#embed-code").input_value()
    assert (
        f'src="{hub.url}/embed/events/?city=witten&amp;limit=5&amp;accent=7a1f00"'
        in code
    )
    preview = page.frame_locator(".hub-builder__preview")
    assert preview.locator(".hub-embed__link").all_inner_texts() == list(WITTEN_EVENTS)
    with page.expect_navigation():
        page.check("input[name=variant][value=script]")
    assert 'data-hub-city="witten"' in page.locator("#embed-code").input_value()
    with page.expect_navigation():
        page.check("input[name=variant][value=iframe]")
    preview.locator(".hub-embed__item").first.wait_for()
