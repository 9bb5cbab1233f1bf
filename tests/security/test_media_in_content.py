"""Media the public may not see, and pages it may not see, leave no trace in content.

Each case puts private media (a password-restricted collection, or a child of a
restricted collection) or a link to a hidden page into a visible item's body, then reads
every public surface that shows the item: its page, the feeds, the API detail, embeds.
"""

import re
import uuid
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, Site
from wagtail.rich_text import RichText

import pytest

from pages.models import EventIndexPage
from pages.rich_text import PublicDocumentLinkHandler, public_html
from tests.factories import (
    ChildOfPrivateCollectionFactory,
    DocumentFactory,
    EventPageFactory,
    ImageFactory,
    NewsletterIssuePageFactory,
    PrivateCollectionFactory,
)

pytestmark = pytest.mark.django_db

FEEDS = [
    f"/feeds/{section}.{format_}"
    for section in ("events", "all")
    for format_ in ("rss", "atom", "json")
]


def surfaces(page) -> list[str]:
    kind = (
        "newsletters" if page.specific_class.__name__.startswith("News") else "events"
    )
    return [
        page.url,
        *FEEDS,
        f"/feeds/{kind}.rss",
        f"/api/v1/{kind}/{page.pk}/",
        f"/api/v2/pages/{page.pk}/",
        f"/embed/{kind}/",
    ]


def strings(data) -> list[str]:
    if isinstance(data, dict):
        return [
            *data.keys(),
            *(text for value in data.values() for text in strings(value)),
        ]
    if isinstance(data, list):
        return [text for value in data for text in strings(value)]
    return [str(data)]


def read(client, url: str) -> str:
    """The response as a reader sees it: XML and JSON strings unescaped."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if url.endswith(".json") or url.startswith("/api/"):
        return "\n".join(strings(response.json()))
    return unescape(response.content.decode())


def token() -> str:
    return uuid.uuid4().hex[:10]


@dataclass
class Secret:
    """Media and the words of it the public must never read."""

    media: object
    words: list[str]


def private_collection(kind: str):
    if kind == "password":
        return PrivateCollectionFactory(restriction="password")
    return ChildOfPrivateCollectionFactory(parent__restriction="password")


def secret_document(kind: str) -> Secret:
    mark = token()
    document = DocumentFactory(
        title=f"Geheimdokument {mark}",
        file__filename=f"geheimdok-{mark}.pdf",
        collection=private_collection(kind),
    )
    return Secret(document, [mark, f"/documents/{document.pk}/", f"geheimdok-{mark}"])


def secret_image(kind: str) -> Secret:
    mark = token()
    image = ImageFactory(
        title=f"Geheimbild {mark}",
        file__filename=f"geheimbild-{mark}.png",
        collection=private_collection(kind),
    )
    return Secret(image, [mark, f"geheimbild-{mark}", f"/images/{image.pk}/"])


def event_with(*blocks, **kwargs):
    mark = token()
    event = EventPageFactory(
        title=f"Sichtbar {mark}",
        occurrences=1,
        body=[*blocks, ("quote", f"Zitat {mark}")],
        **kwargs,
    )
    return event, mark


def assert_absent(client, page, words: list[str]) -> None:
    for url in surfaces(page):
        text = read(client, url)
        for word in words:
            assert word not in text, (url, word)


def assert_shown(client, page, words: list[str]) -> None:
    """The item itself is on the surfaces (so an empty answer can't pass)."""
    for url in [page.url, *FEEDS, f"/api/v1/events/{page.pk}/"]:
        text = read(client, url)
        for word in words:
            assert word in text, (url, word)


PRIVATE_KINDS = ["password", "child-of-restricted"]


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_image_block_with_a_private_image_is_left_out_entirely(client, kind):
    secret = secret_image(kind)
    caption, alt = f"Unterschrift {token()}", f"Alt {token()}"
    image_block = {"image": secret.media, "caption": caption, "alt_text": alt}
    event, mark = event_with(("image", image_block))

    assert_shown(client, event, [mark])
    assert_absent(client, event, [*secret.words, "<figure"])
    for url in surfaces(event):
        assert caption not in read(client, url), url
        assert alt not in read(client, url), url
    assert not secret.media.renditions.exists(), "a rendition of a private image"


def test_api_leaves_out_an_image_block_with_a_private_image(client):
    secret = secret_image("password")
    caption = f"Unterschrift {token()}"
    event, _ = event_with(("image", {"image": secret.media, "caption": caption}))

    assert caption not in read(client, f"/api/v1/events/{event.pk}/")


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_document_block_with_a_private_document_is_left_out(client, kind):
    secret = secret_document(kind)
    link_text = f"Linktext {token()}"
    block = {"document": secret.media, "title": link_text}
    event, mark = event_with(("document", block))

    assert_shown(client, event, [mark])
    assert_absent(client, event, [*secret.words, link_text])


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_paragraph_keeps_the_words_but_not_the_link_of_a_private_document(client, kind):
    secret = secret_document(kind)
    words = f"Lesen Sie {token()}"
    html = f'<p>Vorher <a linktype="document" id="{secret.media.pk}">{words}</a>.</p>'
    event, mark = event_with(("paragraph", RichText(html)))

    assert_shown(client, event, [mark, words])
    assert_absent(client, event, secret.words)
    assert f"<a>{words}" not in read(client, event.url)


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_attachments_and_newsletter_pdf_of_private_documents_are_left_out(client, kind):
    attached = secret_document(kind)
    event, mark = event_with(attachments=[{"document": attached.media}])
    pdf = secret_document(kind)
    issue = NewsletterIssuePageFactory(pdf=pdf.media)

    assert_shown(client, event, [mark])
    assert_absent(client, event, attached.words)
    assert_absent(client, issue, pdf.words)


def hidden_page(state: str) -> Page:
    mark = token()
    if state == "below-a-draft":
        draft = EventIndexPage.objects.get(locale__language_code="de").add_child(
            instance=Page(title=f"Entwurf {mark}", slug=f"entwurf-{mark}", live=False)
        )
        return EventPageFactory(title=f"Ziel {mark}", slug=f"ziel-{mark}", parent=draft)
    if state == "othersite":
        root = Page.get_first_root_node().add_child(
            instance=Page(title=f"Andere {mark}", slug=f"andere-{mark}")
        )
        Site.objects.create(hostname=f"{mark}.example", root_page=root)
        page = root.add_child(instance=Page(title=f"Ziel {mark}", slug=f"ziel-{mark}"))
        page.save_revision().publish()
        return page
    return EventPageFactory(title=f"Ziel {mark}", slug=f"ziel-{mark}", **{state: True})


@pytest.mark.parametrize(
    "state", ["draft", "private", "scheduled", "expired", "othersite", "below-a-draft"]
)
def test_link_to_a_hidden_page_is_plain_text(client, state):
    target = hidden_page(state)
    words = f"Mehr dazu {token()}"
    html = f'<p>Siehe <a linktype="page" id="{target.pk}">{words}</a>.</p>'
    event, mark = event_with(("paragraph", RichText(html)))

    assert_shown(client, event, [mark, words])
    assert_absent(client, event, [target.slug, f"{words}</a>", f"<a>{words}"])


def image_embed(image, alt: str, image_format: str = "left") -> str:
    return (
        f'<embed embedtype="image" id="{image.pk}" format="{image_format}" '
        f'alt="{alt}"/>'
    )


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_image_embedded_in_rich_text_shows_nothing_of_a_private_image(client, kind):
    secret = secret_image(kind)
    alt = f"Eingebettet {token()}"
    html = f"<p>Davor</p>{image_embed(secret.media, alt)}<p>Danach</p>"
    event, mark = event_with(("paragraph", RichText(html)))

    assert_shown(client, event, [mark, "Danach"])
    assert_absent(client, event, [*secret.words, alt, "<img"])
    assert not secret.media.renditions.exists(), "a rendition of a private image"


def test_image_embedded_in_an_index_introduction_shows_nothing_of_a_private_image(
    client, demo
):
    secret = secret_image("child-of-restricted")
    alt = f"Eingebettet {token()}"
    type(demo.events).objects.filter(pk=demo.events.pk).update(
        intro=f"<p>Einleitung</p>{image_embed(secret.media, alt)}"
    )

    text = read(client, demo.events.url)
    assert "Einleitung" in text
    for word in [*secret.words, alt]:
        assert word not in text
    assert not secret.media.renditions.exists()


def test_public_image_embedded_in_rich_text_shows_on_every_surface(client):
    image = ImageFactory(title=f"Foto {token()}")
    alt = f"Eingebettet {token()}"
    html = image_embed(image, alt) + image_embed(image, f"{alt} zwei", "no-such-format")
    event, _ = event_with(("paragraph", RichText(html)))

    for url in [event.url, *FEEDS, f"/api/v1/events/{event.pk}/"]:
        text = read(client, url)
        assert alt in text, url
        assert f"{alt} zwei" in text, url
        assert "/media/images/" in text, url


def test_public_media_and_visible_page_links_still_show_everywhere(client):
    document = DocumentFactory(title=f"Flyer {token()}")
    image = ImageFactory(title=f"Foto {token()}")
    target = EventPageFactory(title=f"Ziel {token()}", slug=f"ziel-{token()}")
    html = (
        f'<p><a linktype="document" id="{document.pk}">Flyer lesen</a> und '
        f'<a linktype="page" id="{target.pk}">Zielseite</a>.</p>'
    )
    event, mark = event_with(
        ("paragraph", RichText(html)),
        ("image", {"image": image, "caption": "Sichtbare Unterschrift"}),
        ("document", {"document": document, "title": "Sichtbarer Flyer"}),
    )
    doc_url = f"/documents/{document.pk}/"

    page_link = re.compile(rf'href="[^"]*{re.escape(target.url)}"[^>]*>Zielseite</a>')
    for url in [event.url, *FEEDS, f"/api/v1/events/{event.pk}/"]:
        text = read(client, url)
        assert doc_url in text, url
        assert "Flyer lesen</a>" in text, url
        assert page_link.search(text), url
        if not url.startswith("/feeds/"):
            assert "Sichtbare Unterschrift" in text, url
    page_html = read(client, event.url)
    assert "Sichtbarer Flyer" in page_html
    rendition = image.renditions.get(filter_spec="width-800")
    assert rendition.url in page_html


def test_link_targets_are_resolved_in_one_query_per_kind():
    documents = DocumentFactory.create_batch(3)
    documents.append(DocumentFactory(private=True))
    pages = [EventPageFactory(), EventPageFactory(draft=True)]
    html = "".join(
        f'<a linktype="document" id="{d.pk}">d</a>' for d in documents
    ) + "".join(f'<a linktype="page" id="{p.pk}">p</a>' for p in pages)

    public_html(html)  # the site's root paths are cached per process
    with CaptureQueriesContext(connection) as queries:
        public_html(html)

    # documents, pages, and the specific event pages
    assert len(queries) <= 3, [q["sql"] for q in queries]


def test_feed_resolves_the_links_of_all_its_entries_at_once(client):
    for _ in range(5):
        document = DocumentFactory()
        html = f'<p><a linktype="document" id="{document.pk}">Flyer</a></p>'
        event_with(("paragraph", RichText(html)))
    resolve = PublicDocumentLinkHandler.opening_tags

    with mock.patch.object(
        PublicDocumentLinkHandler, "opening_tags", side_effect=resolve
    ) as opening_tags:
        text = read(client, "/feeds/events.json")

    assert text.count("Flyer</a>") >= 5
    assert opening_tags.call_count == 1


def test_every_surface_expands_rich_text_through_public_html():
    """Wagtail's `|richtext` and direct `expand_db_html` calls bypass the sanitizer."""
    root = Path(__file__).resolve().parents[2]
    templates = [
        p for p in (root / "templates").rglob("*.html") if "admin" not in p.parts
    ]
    assert not [p for p in templates if "|richtext" in p.read_text()]
    modules = [
        p
        for folder in ("pages", "feeds", "embeds")
        for p in (root / folder).rglob("*.py")
        if "expand_db_html" in p.read_text()
    ]
    assert modules == [root / "pages" / "rich_text.py"]


def test_search_does_not_find_an_item_by_the_texts_of_its_private_media(client):
    secret_caption, secret_link, shown = token(), token(), token()
    image = secret_image("child-of-restricted").media
    document = secret_document("password").media
    event, _ = event_with(
        ("image", {"image": image, "caption": f"Bild {secret_caption}"}),
        ("document", {"document": document, "title": f"Flyer {secret_link}"}),
        ("paragraph", RichText(f"<p>Absatz {shown}</p>")),
    )

    def found(word: str) -> tuple[int, int]:
        v1 = client.get(f"/api/v1/events/?q={word}").json()["count"]
        v2 = client.get(f"/api/v2/pages/?search={word}").json()["meta"]["total_count"]
        return v1, v2

    assert found(shown) == (1, 1)
    assert found(secret_caption) == (0, 0)
    assert found(secret_link) == (0, 0)
