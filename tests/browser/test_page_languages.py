"""The demo's translated pages as readers see them in Chromium: Leichte Sprache, Arabic
right to left, and the language switcher used with the keyboard alone."""

import pytest

from .conftest import run_axe

pytestmark = pytest.mark.browser

WITTEN = "/veranstaltungen/laien-sprachmittlerpool-grundlagenschulung-witten-2020/"
HOLIDAY_LEARNING = "/presse/ferienlernangebot-gemeinsam-fuer-bildungschancen/"
LEICHTE_SPRACHE = {
    WITTEN: "Schulung für Sprach-Mittler in Witten",
    HOLIDAY_LEARNING: "Lernen in den Sommer-Ferien",
}
ARABIC_TITLE = "الوسطاء اللغويون المتطوعون – دورة تدريبية أساسية في فيتن"

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    text: el.textContent.trim(),
    inSwitcher: !!el.closest('nav.language-switcher'),
    visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
  };
}"""


@pytest.fixture
def axe_page(browser):
    """A tab that may run axe: the public pages' CSP forbids injected scripts."""
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def fits(page, selector: str, width: int) -> bool:
    """Whether the element lies wholly inside the first `width` pixels."""
    inside: bool = page.locator(selector).first.evaluate(
        "(el, width) => { const box = el.getBoundingClientRect();"
        " return box.left >= 0 && box.right <= width && box.width > 0; }",
        width,
    )
    return inside


@pytest.mark.parametrize("path", LEICHTE_SPRACHE)
def test_a_page_in_leichte_sprache(hub, axe_page, path):
    page = axe_page
    page.goto(hub.url + "/de-x-ls" + path)
    assert page.locator("html").get_attribute("lang") == "de-x-ls"
    heading = page.locator("h1")
    assert heading.inner_text() == LEICHTE_SPRACHE[path]
    assert heading.is_visible()
    assert run_axe(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert fits(page, "h1", 320)
    assert fits(page, ".teaser", 320)
    size = page.locator(".teaser").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert size >= 16


def test_the_arabic_page_reads_right_to_left(hub, axe_page):
    page = axe_page
    page.goto(hub.url + "/ar" + WITTEN)
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").evaluate("el => getComputedStyle(el).direction") == (
        "rtl"
    )
    heading = page.locator("h1")
    assert heading.inner_text() == ARABIC_TITLE
    assert heading.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The German switcher entry keeps its own direction inside the Arabic page.
    german = page.locator("nav.language-switcher a[hreflang=de]")
    assert german.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert run_axe(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert fits(page, "h1", 320)


def tab_to(page, text: str, presses: int = 80) -> dict:
    """Press Tab until the link reading `text` has focus; returns what has focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused: dict = page.evaluate(FOCUSED)
        if focused["text"] == text:
            return focused
    raise AssertionError(f"Tab never reached {text!r}")


def test_the_language_switcher_works_with_the_keyboard_alone(hub, page):
    page.goto(hub.url + WITTEN)
    switcher = page.locator("nav.language-switcher")
    assert switcher.get_attribute("aria-label")
    assert switcher.locator("a[aria-current=true]").inner_text() == "Deutsch"
    assert sorted(switcher.locator("a").all_inner_texts()) == sorted(
        ["Deutsch", "Leichte Sprache", "English", "العربية"]
    )

    focused = tab_to(page, "العربية")
    assert focused["inSwitcher"]
    assert focused["visible"], "no visible focus on the switcher link"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == hub.url + "/ar" + WITTEN
    assert page.locator("h1").inner_text() == ARABIC_TITLE

    switcher = page.locator("nav.language-switcher")
    current = switcher.locator("a[aria-current=true]")
    assert current.count() == 1
    assert current.inner_text() == "العربية"
    assert current.get_attribute("hreflang") == "ar"
    back = switcher.locator("a[hreflang=de]")
    assert back.inner_text() == "Deutsch"
    assert back.get_attribute("lang") == "de"
    assert back.get_attribute("href") == hub.url + WITTEN

    focused = tab_to(page, "Deutsch")
    assert focused["inSwitcher"] and focused["visible"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == hub.url + WITTEN
    assert page.locator("html").get_attribute("lang") == "de"
