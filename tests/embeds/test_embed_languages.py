"""Embeds in the reader's language: lang/dir on both formats, right-to-left by logical
CSS alone, German fallback entries marked as German, the builder's language field."""

import re
from html.parser import HTMLParser
from pathlib import Path

from wagtail.models import Locale

import pytest

from hub import languages
from pages.models import EventPage
from pages.snippets import StatusWording
from tests.i18n.translating import translate

pytestmark = pytest.mark.django_db

WITTEN = "/embed/events/?city=witten"
WITTEN_SLUG = "laien-sprachmittlerpool-grundlagenschulung-witten-2020"
WORKSHOP = "Workshop für Akteure in der Integrationsarbeit"
SCRIPT = Path(__file__).resolve().parents[2] / "embeds" / "assets" / "hub-embed.js"


class Elements(HTMLParser):
    """Every start tag with its attributes and the text directly inside it."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[list[str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        text: list[str] = []
        self.found.append((tag, {k: v or "" for k, v in attrs}, text))
        if tag not in {"meta", "link", "br", "img", "input"}:
            self.open.append(text)

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        if self.open:
            self.open[-1].append(data)

    def with_class(self, name: str) -> list[tuple[dict[str, str], str]]:
        return [
            (attrs, "".join(text).strip())
            for _, attrs, text in self.found
            if name in attrs.get("class", "").split()
        ]

    def root(self) -> dict[str, str]:
        return self.found[0][1]


def embed(client, query: str) -> str:
    response = client.get(query)
    assert response.status_code == 200, response.content[:300]
    return str(response.content.decode())


def part(pattern: str, text: str) -> str:
    found = re.search(pattern, text, re.S)
    assert found, pattern
    return found.group(1)


@pytest.fixture
def arabic_workshop(demo, django_capture_on_commit_callbacks):
    workshop = EventPage.objects.get(title=WORKSHOP, locale__language_code="de")
    with django_capture_on_commit_callbacks(execute=True):
        return translate(workshop, "ar", prefix="عربي")


@pytest.mark.parametrize(
    ("tag", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("en", "ltr"), ("uk", "ltr")]
)
def test_both_formats_carry_the_language_and_direction_on_their_root(
    client, tag, direction
):
    page = Elements(embed(client, f"{WITTEN}&lang={tag}"))
    assert page.found[0][0] == "html"
    assert page.root() == {"lang": tag, "dir": direction}
    fragment = Elements(embed(client, f"{WITTEN}&lang={tag}&format=fragment"))
    assert fragment.found[0][0] == "div"
    assert fragment.root()["lang"] == tag
    assert fragment.root()["dir"] == direction
    assert "hub-embed" in fragment.root()["class"].split()


def test_an_arabic_embed_speaks_arabic_and_links_the_arabic_index(client):
    html = embed(client, f"{WITTEN}&lang=ar&format=fragment")
    page = Elements(html)
    assert page.with_class("hub-embed__title")[0][1] == "الفعاليات"
    more = [attrs for tag, attrs, _ in page.found if tag == "a"][-1]
    assert more["href"] == "http://127.0.0.1:8000/ar/veranstaltungen/?city=witten"
    # The date in Arabic words, Western digits, joined by words (no dash to flip).
    assert "الاثنين، 24 أغسطس 2020، من 15:00 إلى 19:00" in html


def test_german_fallback_entries_are_marked_german_left_to_right(client):
    page = Elements(embed(client, f"{WITTEN}&lang=ar&format=fragment"))
    links = page.with_class("hub-embed__link")
    assert [text for _, text in links] == [
        "Laien-Sprachmittlerpool – Grundlagenschulung in Witten",
        WORKSHOP,
    ]
    for attrs, _ in links:
        assert (attrs["lang"], attrs["dir"]) == ("de", "ltr")
    # A German entry's status is worded in German, and marked so.
    status, text = page.with_class("hub-embed__status")[0]
    assert text == "Findet statt"
    assert (status["lang"], status["dir"]) == ("de", "ltr")
    # The date line is the list's own language: no German marking there.
    for attrs, _ in page.with_class("hub-embed__meta"):
        assert "lang" not in attrs and "dir" not in attrs


def test_a_translated_entry_is_not_marked_german(client, arabic_workshop):
    page = Elements(embed(client, f"{WITTEN}&lang=ar&format=fragment"))
    links = {text: attrs for attrs, text in page.with_class("hub-embed__link")}
    arabic_title = next(title for title in links if title.startswith("عربي"))
    assert "lang" not in links[arabic_title] and "dir" not in links[arabic_title]
    assert links[arabic_title]["href"] == (
        f"http://127.0.0.1:8000/ar/veranstaltungen/{arabic_workshop.slug}/"
    )
    german = links["Laien-Sprachmittlerpool – Grundlagenschulung in Witten"]
    assert (german["lang"], german["dir"]) == ("de", "ltr")


def test_a_translated_entry_shows_the_offices_arabic_status_unmarked(
    client, demo, django_capture_on_commit_callbacks
):
    witten = EventPage.objects.get(slug=WITTEN_SLUG, locale__language_code="de")
    with django_capture_on_commit_callbacks(execute=True):
        translate(witten, "ar", prefix="عربي")
    german = StatusWording.objects.get(status=witten.status, locale__language_code="de")
    arabic = german.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.wording = "تُقام الفعالية"
    arabic.save()
    page = Elements(embed(client, f"{WITTEN}&lang=ar&format=fragment"))
    status, text = page.with_class("hub-embed__status")[0]
    assert text == "تُقام الفعالية"
    assert "lang" not in status and "dir" not in status


def test_fallback_teasers_of_other_sections_are_marked_german(client):
    page = Elements(embed(client, "/embed/programmes/?lang=ar&format=fragment"))
    teasers = [
        attrs
        for tag, attrs, _ in page.found
        if tag == "span" and attrs.get("lang") == "de"
    ]
    assert teasers, "programme teasers are German fallbacks in an Arabic list"
    assert all(attrs["dir"] == "ltr" for attrs in teasers)


def test_a_german_embed_marks_nothing_extra(client):
    html = embed(client, f"{WITTEN}&format=fragment")
    assert html.count('lang="') == 1  # the root only
    assert html.count('dir="') == 1


def test_one_stylesheet_for_both_directions_written_in_logical_properties(client):
    def stylesheet(tag: str) -> str:
        html = embed(client, f"{WITTEN}&lang={tag}&format=fragment")
        return part(r"<style>(.*?)</style>", html)

    css = stylesheet("ar")
    assert css == stylesheet("de")
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)|text-align:\s*(?:left|right)"
        r"|[{;](?:left|right|float)\s*:",
        css,
    )
    assert physical == []
    assert "text-align:start" in css
    assert "border-block-start:" in css
    assert "padding-inline:" in css


def test_a_city_name_is_isolated_inside_right_to_left_text(client):
    html = embed(client, f"{WITTEN}&lang=ar&format=fragment")
    assert " · <bdi>Witten</bdi></span>" in html


@pytest.mark.parametrize("value", ["xx", "pl", "arabic", "de-DE"])
def test_an_unknown_language_is_a_clear_400(client, value):
    response = client.get(f"/embed/events/?lang={value}", headers={"Origin": "x"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("Diese Einbettung enthält ungültige Angaben:")
    assert f"Die Sprache „{value}“ (Parameter „lang“) gibt es hier nicht." in body
    assert "Möglich sind: de, de-x-ls, en, ar, uk, tr, fa, ru." in body


def test_an_unknown_language_is_named_next_to_other_errors(client):
    body = client.get("/embed/events/?lang=xx&limit=abc").content.decode()
    assert "„Anzahl“" in body
    assert "Die Sprache „xx“" in body


def test_a_language_tag_in_any_case_is_accepted(client):
    html = embed(client, f"{WITTEN}&lang=AR&format=fragment")
    assert Elements(html).root()["lang"] == "ar"


def test_the_script_passes_the_language_and_fails_in_it():
    script = SCRIPT.read_text(encoding="utf-8")
    names = part(r"var names = \[(.*?)\];", script)
    assert '"lang"' in names
    table = part(r"var failed = \{(.*?)\};", script)
    keys = re.findall(r'^\s*"?([a-z-]+)"?:', table, re.M)
    assert keys == [language.tag for language in languages.DEFAULT_LANGUAGES]
    assert "تعذّر تحميل" in table  # Arabic
    assert '/^(ar|fa)(-|$)/.test(lang) ? "rtl" : "ltr"' in script
    directions = {
        language.tag
        for language in languages.DEFAULT_LANGUAGES
        if language.direction == "rtl"
    }
    assert directions == {"ar", "fa"}  # the script's right-to-left test knows these


# --- the builder ----------------------------------------------------------------------


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("builder", "b@example.org", "pw")
    client.force_login(user)
    return client


def build(editor, **fields: str) -> str:
    response = editor.get(
        "/admin/einbettung/", {"section": "events", "limit": "5", **fields}
    )
    assert response.status_code == 200
    return str(response.content.decode())


def test_builder_offers_the_languages_by_their_own_and_german_names(editor):
    html = build(editor, variant="iframe")
    assert '<label class="w-field__label" for="id_lang">Sprache</label>' in html
    options = re.findall(
        r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
        html.split('name="lang"', 1)[1].split("</select>", 1)[0],
    )
    assert options == [
        ("de", "Deutsch"),
        ("de-x-ls", "Leichte Sprache"),
        ("en", "English (Englisch)"),
        ("ar", "العربية (Arabisch)"),
        ("uk", "Українська (Ukrainisch)"),
        ("tr", "Türkçe (Türkisch)"),
        ("fa", "فارسی (Persisch)"),
        ("ru", "Русский (Russisch)"),
    ]
    unbound = editor.get("/admin/einbettung/").content.decode()
    assert '<option value="de" selected>Deutsch</option>' in unbound


def test_builder_puts_the_language_into_the_iframe_code(editor):
    html = build(editor, variant="iframe", lang="ar", city="witten")
    assert (
        "http://127.0.0.1:8000/embed/events/?lang=ar&amp;amp;city=witten&amp;amp;limit=5"
    ) in html
    assert 'src="/embed/events/?lang=ar&amp;city=witten&amp;limit=5"' in html  # preview
    assert "الفعاليات – Kommunales Integrationszentrum" in html  # the iframe's title


def test_builder_puts_the_language_into_the_script_code(editor):
    html = build(editor, variant="script", lang="fa", city="witten")
    assert (
        "&lt;div data-hub-section=&quot;events&quot; data-hub-lang=&quot;fa&quot; "
        "data-hub-city=&quot;witten&quot; data-hub-limit=&quot;5&quot; "
        "lang=&quot;fa&quot; dir=&quot;rtl&quot;&gt;"
    ) in html
    # Without JavaScript the link leads to the Persian index, in Persian.
    assert (
        "&lt;a href=&quot;http://127.0.0.1:8000/fa/veranstaltungen/&quot;&gt;"
        "همه رویدادهای مرکز شهری ادغام&lt;/a&gt;"
    ) in html


@pytest.mark.parametrize("variant", ["iframe", "script"])
def test_german_code_names_no_language(editor, variant):
    for fields in ({}, {"lang": "de"}):
        html = build(editor, variant=variant, city="witten", **fields)
        code = html.split('id="embed-code"', 1)[1].split("</textarea>", 1)[0]
        assert "lang" not in code
        assert "dir=" not in code


def test_builder_refuses_a_language_not_offered(editor):
    html = build(editor, variant="iframe", lang="pl")
    assert "embed-code" not in html
    assert "pl ist keine gültige Auswahl." in html
