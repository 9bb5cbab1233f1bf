"""Each XML/JSON format checked by independent tools and by the rules they cannot check."""

import datetime as dt
import email.utils
import json
import locale
from pathlib import Path

from django.conf import settings

import feedparser
import jsonschema
import pytest
from lxml import etree

from .conftest import SECTIONS, jing_errors

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = json.loads(
    (Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
WITTEN = "laien-sprachmittlerpool-grundlagenschulung-witten-2020"


def entry_by_link(entries, slug):
    return next(entry for entry in entries if slug in entry.link)


# --- RSS ------------------------------------------------------------------------------


@pytest.mark.parametrize("section", SECTIONS)
def test_rss_is_well_formed_with_self_link_and_html_channel_link(fetch, section):
    body = fetch(f"/feeds/{section}.rss").content
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    channel = etree.fromstring(body).find("channel")
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{settings.SITE_BASE_URL}/feeds/{section}.rss"
    assert self_link.get("type") == "application/rss+xml"
    # feedgen takes the channel link from the last fg.link() call, whatever its rel.
    home = {"all": "/", "events": "/veranstaltungen/", "press": "/presse/"}
    if section in home:
        assert channel.findtext("link") == settings.SITE_BASE_URL + home[section]
    assert not channel.findtext("link").endswith(".rss")
    guids = [item.findtext("guid") for item in channel.iter("item")]
    assert len(guids) == len(set(guids))


def test_rss_dates_are_rfc_822_in_english(fetch, monkeypatch):
    # feedgen's own formatter calls locale.setlocale, which is not thread-safe.
    monkeypatch.setattr(locale, "setlocale", pytest.fail)
    channel = etree.fromstring(fetch("/feeds/press.rss").content).find("channel")
    dates = [channel.findtext("lastBuildDate")]
    dates += [item.findtext("pubDate") for item in channel.iter("item")]
    for value in dates:
        assert (
            email.utils.format_datetime(email.utils.parsedate_to_datetime(value))
            == value
        )
        assert value[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}


def test_rss_item_of_an_event(fetch):
    body = fetch("/feeds/events.rss").content
    entry = entry_by_link(feedparser.parse(body).entries, WITTEN)
    assert entry.title.startswith(
        "24.08., 26.08. und 31.08.2020 – Laien-Sprachmittlerpool"
    )
    assert entry.title.endswith("(findet statt)")
    assert entry.id.startswith("tag:ki.en-kreis.de,2020:event/")
    assert entry.guidislink is False
    assert entry.link.startswith(settings.SITE_BASE_URL + "/veranstaltungen/")
    assert "Witten" in entry.summary
    item = next(
        item
        for item in etree.fromstring(body).iter("item")
        if WITTEN in item.findtext("link")
    )
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert len(item.findall("enclosure")) <= 1


def test_rss_enclosures_carry_real_length_and_type(fetch):
    from wagtail.documents import get_document_model

    sizes = {doc.file.size for doc in get_document_model().objects.all()}
    channel = etree.fromstring(fetch("/feeds/events.rss").content).find("channel")
    enclosures = [item.find("enclosure") for item in channel.iter("item")]
    enclosures = [enclosure for enclosure in enclosures if enclosure is not None]
    assert enclosures
    for enclosure in enclosures:
        assert enclosure.get("url").startswith(settings.SITE_BASE_URL + "/documents/")
        assert enclosure.get("type") == "application/pdf"
        assert int(enclosure.get("length")) in sizes


def test_rss_items_keep_query_order(fetch):
    """feedgen prepends by default; the feed must keep the query's order."""
    entries = feedparser.parse(fetch("/feeds/press.rss").content).entries
    published = [entry.published_parsed for entry in entries]
    assert published == sorted(published, reverse=True)


def test_rss_guid_is_stable_when_the_slug_changes(
    fetch, django_capture_on_commit_callbacks
):
    from pages.models import EventPage

    first = entry_by_link(
        feedparser.parse(fetch("/feeds/events.rss").content).entries, WITTEN
    )
    event = EventPage.objects.get(slug=WITTEN)
    event.slug = "umbenannt"
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    entries = feedparser.parse(fetch("/feeds/events.rss").content).entries
    assert entry_by_link(entries, "umbenannt").id == first.id


# --- Atom -----------------------------------------------------------------------------


@pytest.mark.parametrize("section", SECTIONS)
def test_atom_validates_against_rfc_4287(fetch, section, tmp_path):
    body = fetch(f"/feeds/{section}.atom").content
    assert jing_errors(body, tmp_path) == ""


@pytest.mark.parametrize("section", SECTIONS)
def test_atom_rules_the_schema_cannot_express(fetch, section):
    feed = etree.fromstring(fetch(f"/feeds/{section}.atom").content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.findtext(f"{ATOM}id").startswith("tag:ki.en-kreis.de,2020:feed/")
    rels = {(link.get("rel"), link.get("type")) for link in feed.findall(f"{ATOM}link")}
    assert ("self", "application/atom+xml") in rels
    assert ("alternate", "text/html") in rels
    for entry in feed.findall(f"{ATOM}entry"):
        alternates = [
            (link.get("type"), link.get("hreflang"))
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1 == len(set(alternates))
        assert entry.findtext(f"{ATOM}id").startswith("tag:ki.en-kreis.de,2020:")
        assert entry.find(f"{ATOM}content").get("type") == "html"


def test_atom_enclosure_links_keep_rel_type_and_length(fetch):
    """feedgen 1.0.0 drops every link attribute but href (issues #135, #143)."""
    feed = etree.fromstring(fetch("/feeds/events.atom").content)
    enclosures = feed.findall(f"{ATOM}entry/{ATOM}link[@rel='enclosure']")
    assert enclosures
    for link in enclosures:
        assert link.get("type") == "application/pdf"
        assert int(link.get("length")) > 0
    assert b'type="CDATA"' not in etree.tostring(feed)


def test_atom_updated_comes_from_the_data(fetch):
    """The feed's `updated` is its newest entry's: when anything shown last changed."""
    feed = etree.fromstring(fetch("/feeds/press.atom").content)
    entries = [entry.findtext(f"{ATOM}updated") for entry in feed.iter(f"{ATOM}entry")]
    newest = max(dt.datetime.fromisoformat(value) for value in entries)
    assert dt.datetime.fromisoformat(feed.findtext(f"{ATOM}updated")) == newest
    api = {
        item["modified_at"]
        for item in fetch("/api/v1/press/?limit=100").json()["results"]
    }
    assert {dt.datetime.fromisoformat(value) for value in entries} == {
        dt.datetime.fromisoformat(value) for value in api
    }


def test_empty_feed_is_valid_and_stable(fetch, tmp_path):
    from django.core.cache import cache

    body = fetch("/feeds/newsletters.atom").content
    assert jing_errors(body, tmp_path) == ""
    cache.clear()
    assert fetch("/feeds/newsletters.atom").content == body


# --- JSON Feed ------------------------------------------------------------------------


@pytest.mark.parametrize("section", SECTIONS)
def test_json_feed_validates_with_format_checks(fetch, section):
    feed = fetch(f"/feeds/{section}.json").json()
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert {"date-time", "uri"} <= set(checker.checkers)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=checker).validate(feed)
    assert feed["feed_url"] == f"{settings.SITE_BASE_URL}/feeds/{section}.json"
    assert feed["language"] == "de" and feed["authors"]


def test_json_schema_really_checks_formats():
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=checker)
    bad = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "x",
        "items": [{"id": "1", "content_text": "x", "date_published": "24.08.2020"}],
    }
    assert not validator.is_valid(bad)


def test_json_feed_newsletter_attachment(fetch, demo):
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    from tests.factories import NewsletterIssuePageFactory

    pdf = get_document_model()(title="Newsletter 1/2030")
    pdf.file.save("newsletter.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    pdf.save()
    NewsletterIssuePageFactory(parent=demo.newsletters, pdf=pdf, teaser="Alles Neue")
    item = fetch("/feeds/newsletters.json").json()["items"][0]
    assert item["attachments"] == [
        {
            "url": settings.SITE_BASE_URL + pdf.url,
            "mime_type": "application/pdf",
            "title": "Newsletter 1/2030",
            "size_in_bytes": len(b"%PDF-1.4 test"),
        }
    ]
    assert item["id"].startswith("tag:ki.en-kreis.de,2020:newsletter/")


def test_private_documents_are_not_enclosed(fetch, demo):
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    from tests.factories import NewsletterIssuePageFactory

    private = Collection.get_first_root_node().add_child(name="Intern")
    child = private.add_child(name="Intern/Entwürfe")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password="x"
    )
    pdf = get_document_model()(title="Geheim", collection=child)
    pdf.file.save("geheim.pdf", ContentFile(b"%PDF-1.4 secret"), save=False)
    pdf.save()
    NewsletterIssuePageFactory(parent=demo.newsletters, pdf=pdf)
    for format in ("rss", "atom", "json"):
        body = fetch(f"/feeds/newsletters.{format}").content
        assert b"geheim" not in body.lower()
