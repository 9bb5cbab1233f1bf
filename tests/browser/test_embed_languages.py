"""An Arabic embed on a German partner page (another origin), as a reader's browser
shows it: right to left inside the partner's left-to-right layout, usable at 320 px,
axe-clean; both the script and the iframe variant, from the builder's own snippets.

The demo content may or may not have Arabic translations of the listed events: entries
without one are German (marked `lang="de" dir="ltr"`), the embed's fixed words and
dates are Arabic either way."""

import pytest

from embeds.builder import iframe_snippet, script_snippet

from .conftest import log_in, run_axe

pytestmark = pytest.mark.browser

PARAMS = [("lang", "ar"), ("city", "witten"), ("limit", "5")]
ARABIC_HEADING = "الفعاليات"  # "Veranstaltungen" in locale/ar
ARABIC_FAILURE = "تعذّر تحميل قائمة المركز البلدي للاندماج."
GERMAN_FAILURE = (
    "Die Liste des Kommunalen Integrationszentrums konnte nicht geladen werden."
)
# How far (px) an entry's right edge may sit from its list's right edge.
EDGE = 2


def partner_page(body: str) -> str:
    """A German, left-to-right city page whose own CSS aligns text to the left."""
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stadt Witten – Angebote auf Arabisch</title>
<style>
body {{ margin: 0; font-family: Georgia, serif; color: #222; background: #f7f4ee;
  text-align: left; direction: ltr; }}
header {{ background: #7a1f00; color: #fff; padding: 1rem; }}
main {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(min(18rem, 100%), 1fr));
  gap: 1rem; padding: 1rem; }}
section {{ background: #fff; padding: 1rem; border-radius: .5rem; min-width: 0; }}
</style>
</head>
<body>
<header><h1>Stadt Witten: Angebote auf Arabisch</h1></header>
<main>
{body}
</main>
</body>
</html>
"""


def open_partner_page(page, hub, html: str) -> None:
    """Show `html` as a page of the allowed partner. It is written into a script-free
    page the partner's server answers (its 404), so origin and address space are the
    partner's: Chromium lets only such a page reach the hub on 127.0.0.1, not one
    fulfilled by `page.route`."""
    page.goto(hub.partner_url + "/seite-ohne-skripte")
    page.set_content(html)


@pytest.fixture
def arabic_partner(hub):
    """The partner page with the builder's Arabic iframe and script snippets."""
    iframe = iframe_snippet(hub.url, "events", PARAMS, ARABIC_HEADING)
    script = script_snippet(
        hub.url, "events", PARAMS, ARABIC_HEADING, "/ar/veranstaltungen/"
    )
    body = (
        f'<section id="iframe-embed"><h2>Per iframe</h2>\n{iframe}\n</section>\n'
        f'<section id="script-embed"><h2>Per Skript</h2>\n{script}\n</section>'
    )
    return lambda page: open_partner_page(page, hub, partner_page(body))


def open_embeds(page, show):
    show(page)
    page.locator("#script-embed .hub-embed__item").first.wait_for()
    frame = page.frame_locator("#iframe-embed iframe")
    frame.locator(".hub-embed__item").first.wait_for()
    return frame


LAYOUT = """root => {
  const box = el => el.getBoundingClientRect();
  const list = box(root);
  const item = root.querySelector('.hub-embed__item');
  const time = item.querySelector('time');
  const city = item.querySelector('.hub-embed__meta bdi');
  return {
    lang: root.closest('[lang]').getAttribute('lang'),
    direction: getComputedStyle(root).direction,
    heading: root.querySelector('.hub-embed__title').textContent,
    listRight: list.right,
    listLeft: list.left,
    timeRight: box(time).right,
    timeLeft: box(time).left,
    timeText: time.textContent,
    cityRight: city ? box(city).right : null,
    links: [...root.querySelectorAll('.hub-embed__link')].map(a => ({
      lang: a.getAttribute('lang'),
      dir: a.getAttribute('dir'),
      direction: getComputedStyle(a).direction,
      right: box(a).right,
    })),
  };
}"""


def assert_right_to_left(layout: dict) -> None:
    assert layout["lang"] == "ar"
    assert layout["direction"] == "rtl"
    assert layout["heading"] == ARABIC_HEADING
    # The first entry's date starts at the right edge and does not fill the line.
    assert abs(layout["timeRight"] - layout["listRight"]) <= EDGE, layout
    assert layout["timeLeft"] > layout["listLeft"] + 40, layout
    assert "2020" in layout["timeText"] and "من" in layout["timeText"]
    # Read right to left: the city comes after the date, i.e. left of it.
    assert layout["cityRight"] is not None
    assert layout["cityRight"] <= layout["timeLeft"] + 1, layout
    assert layout["links"]
    for link in layout["links"]:
        # Every title starts at the right edge, German fallbacks included.
        assert abs(link["right"] - layout["listRight"]) <= EDGE, layout
        if link["lang"] is None:  # translated: the list's own language and direction
            assert link["direction"] == "rtl"
        else:  # a German entry without translation
            assert (link["lang"], link["dir"], link["direction"]) == (
                "de",
                "ltr",
                "ltr",
            )


def test_script_variant_lists_right_to_left_inside_a_left_to_right_page(
    arabic_partner, page
):
    open_embeds(page, arabic_partner)
    box = page.locator("#script-embed [data-hub-section]")
    assert box.get_attribute("lang") == "ar"
    assert box.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    layout = page.locator("#script-embed .hub-embed").evaluate(LAYOUT)
    assert_right_to_left(layout)
    more = page.locator("#script-embed .hub-embed__more a")
    assert "/ar/veranstaltungen/?city=witten" in more.get_attribute("href")


def test_iframe_variant_lists_right_to_left(arabic_partner, page):
    frame = open_embeds(page, arabic_partner)
    assert frame.locator("html").get_attribute("lang") == "ar"
    assert frame.locator("html").get_attribute("dir") == "rtl"
    layout = frame.locator(".hub-embed").evaluate(LAYOUT)
    assert_right_to_left(layout)


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const outside = [...document.querySelectorAll('.hub-embed, .hub-embed *')]
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width && (r.left < -0.5 || r.right > width + 0.5))
    .map(([el, r]) => el.outerHTML.slice(0, 80) + ' ' + r.left + '..' + r.right);
  return {scroll: document.documentElement.scrollWidth, width, outside};
}"""


def test_no_horizontal_overflow_at_320_pixels(arabic_partner, page):
    page.set_viewport_size({"width": 320, "height": 640})
    frame = open_embeds(page, arabic_partner)
    outer = page.evaluate(OVERFLOW)
    # In a left-to-right page, right-to-left content spilling to the left would not
    # count in scrollWidth: every element of the embed must lie inside the viewport.
    assert outer["scroll"] <= 320, outer
    assert outer["outside"] == [], outer
    page.wait_for_function(
        "() => document.querySelector('#iframe-embed iframe').clientWidth < 320"
    )
    inner = frame.locator("html").evaluate(f"el => ({OVERFLOW})()")
    assert inner["scroll"] <= inner["width"], inner
    assert inner["outside"] == [], inner


def test_arabic_embeds_have_no_serious_accessibility_violations(
    hub, browser, arabic_partner, page
):
    open_embeds(page, arabic_partner)
    assert run_axe(page) == []
    # The iframe's own page: its CSP forbids injected scripts; axe is the test's.
    context = browser.new_context(locale="ar", bypass_csp=True)
    try:
        framed = context.new_page()
        framed.goto(hub.url + "/embed/events/?city=witten&lang=ar")
        assert run_axe(framed) == []
    finally:
        context.close()


def test_a_list_that_cannot_load_says_so_in_its_language(hub, page):
    boxes = (
        '<section><div id="bad-filter" data-hub-section="events" '
        'data-hub-lang="ar" data-hub-limit="abc"></div></section>\n'
        '<section><div id="unknown-language" data-hub-section="events" '
        'data-hub-lang="pl"></div></section>\n'
        '<section><div id="works" data-hub-section="events" data-hub-lang="AR" '
        'data-hub-city="witten"></div></section>\n'
        f'<script src="{hub.url}/embed/hub-embed.js" async></script>'
    )
    open_partner_page(page, hub, partner_page(boxes))
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-hub-section]')]"
        ".every(box => box.textContent && !box.hasAttribute('aria-busy'))"
    )
    bad = page.locator("#bad-filter")
    assert bad.inner_text() == ARABIC_FAILURE
    assert (bad.get_attribute("lang"), bad.get_attribute("dir")) == ("ar", "rtl")
    unknown = page.locator("#unknown-language")
    assert unknown.inner_text() == GERMAN_FAILURE
    assert (unknown.get_attribute("lang"), unknown.get_attribute("dir")) == (
        "de",
        "ltr",
    )
    works = page.locator("#works .hub-embed")
    assert works.get_attribute("lang") == "ar"
    assert works.locator(".hub-embed__title").inner_text() == ARABIC_HEADING


def test_editor_chooses_arabic_in_the_builder(hub, page):
    log_in(hub, page)
    page.goto(hub.url + "/admin/einbettung/")
    with page.expect_navigation():  # choices refresh the preview at once
        page.get_by_label("Sprache").select_option(label="العربية (Arabisch)")
    code = page.locator("#embed-code").input_value()
    assert f'src="{hub.url}/embed/events/?lang=ar&amp;limit=5"' in code
    preview = page.frame_locator(".hub-builder__preview")
    assert preview.locator("html").get_attribute("dir") == "rtl"
    assert preview.locator(".hub-embed__title").inner_text() == ARABIC_HEADING
    with page.expect_navigation():
        page.check("input[name=variant][value=script]")
    code = page.locator("#embed-code").input_value()
    assert 'data-hub-lang="ar"' in code and 'dir="rtl"' in code
    with page.expect_navigation():
        page.get_by_label("Sprache").select_option(label="Deutsch")
    assert "lang" not in page.locator("#embed-code").input_value()
