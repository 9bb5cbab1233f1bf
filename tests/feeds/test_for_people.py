"""What a person sees: feeds announced in page heads, and a readable page in a browser."""

from pathlib import Path

from django.conf import settings

import pytest
from lxml import etree, html

pytestmark = pytest.mark.django_db

XSL = Path(settings.BASE_DIR) / "static" / "feeds" / "feed.xsl"


def alternates(client, path):
    document = html.fromstring(client.get(path).content)
    return {
        (link.get("type"), link.get("href"))
        for link in document.head.findall("link")
        if link.get("rel") == "alternate" and link.get("title")
    }


def test_section_page_announces_its_feeds_and_calendar(client):
    base = settings.SITE_BASE_URL
    links = alternates(client, "/veranstaltungen/")
    assert ("application/rss+xml", f"{base}/feeds/events.rss") in links
    assert ("application/atom+xml", f"{base}/feeds/events.atom") in links
    assert ("application/feed+json", f"{base}/feeds/events.json") in links
    assert ("text/calendar", f"{base}/feeds/events.ics") in links
    assert ("application/rss+xml", f"{base}/feeds/all.rss") in links


def test_item_page_announces_its_sections_feed(client):
    links = alternates(client, "/veranstaltungen/woche-der-vielfalt-2020/")
    assert ("text/calendar", f"{settings.SITE_BASE_URL}/feeds/events.ics") in links
    links = alternates(client, "/presse/")
    assert (
        "application/atom+xml",
        f"{settings.SITE_BASE_URL}/feeds/press.atom",
    ) in links
    home = alternates(client, "/")
    assert {href for _, href in home} == {
        f"{settings.SITE_BASE_URL}/feeds/all.{format}"
        for format in ("rss", "atom", "json")
    }


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_feed_in_a_browser_is_a_readable_german_page(fetch, format):
    body = fetch(f"/feeds/events.{format}").content
    assert b'<?xml-stylesheet type="text/xsl" href="' in body
    assert settings.SITE_BASE_URL.encode() + b"/static/feeds/feed.xsl" in body
    transform = etree.XSLT(etree.parse(str(XSL)))
    page = str(transform(etree.fromstring(body)))
    assert "Dies ist ein <strong>Feed</strong>" in page
    assert "24.08., 26.08. und 31.08.2020 – Laien-Sprachmittlerpool" in page
    assert '<html lang="de">' in page


def test_stylesheet_is_served(client):
    from django.contrib.staticfiles import finders

    assert finders.find("feeds/feed.xsl")
