from django.test import override_settings

import pytest

from pages.sanitize import clean_html

BASE = "https://hub.example"


@pytest.fixture(autouse=True)
def _base_url():
    with override_settings(SITE_BASE_URL=BASE):
        yield


@pytest.mark.parametrize(
    "dirty",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<img src="x" onerror="alert(1)">',
        "<script>alert(1)</script>",
        '<p onclick="alert(1)">x</p>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<svg><script>alert(1)</script></svg>",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    ],
)
def test_dangerous_markup_is_removed(dirty):
    cleaned = clean_html(dirty)
    for needle in ("javascript", "onerror", "onclick", "<script", "iframe", "data:"):
        assert needle not in cleaned.lower()


def test_script_content_is_dropped_not_unwrapped():
    assert clean_html("<p>Hallo</p><script>alert(1)</script>") == "<p>Hallo</p>"


def test_relative_links_and_images_become_absolute():
    cleaned = clean_html(
        '<p><a href="/presse/x/">x</a><img src="/media/a.png" alt="A"></p>'
    )
    assert f'href="{BASE}/presse/x/"' in cleaned
    assert f'src="{BASE}/media/a.png"' in cleaned
    assert 'alt="A"' in cleaned


def test_absolute_and_mail_links_are_kept():
    cleaned = clean_html(
        '<a href="https://www.en-kreis.de/">a</a><a href="mailto:ki@en-kreis.de">b</a>'
        '<a href="tel:+492336930">c</a>'
    )
    assert 'href="https://www.en-kreis.de/"' in cleaned
    assert 'href="mailto:ki@en-kreis.de"' in cleaned
    assert 'href="tel:+492336930"' in cleaned


def test_structure_and_text_survive():
    html = "<h2>Titel</h2><p><b>fett</b> und <i>kursiv</i></p><ul><li>eins</li></ul>"
    assert clean_html(html) == html


def test_unknown_tags_are_unwrapped_and_nul_removed():
    assert clean_html("<div data-block-key='x'><p>Te\x00xt</p></div>") == "<p>Text</p>"
    assert clean_html("") == ""
