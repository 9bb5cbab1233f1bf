"""Wagtail's preview modes beyond the page: a draft as it would appear in a partner's
embed and in the feeds (RSS item; for events each calendar VEVENT), built with the
very code that renders the published ones (`embeds`, `feeds.builders`) from the row
`pages.preview.item_of` makes of the draft.

The response goes through `hub.middleware.preview_headers` like every preview render:
framed by the admin only, never stored.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from wagtail.models import Page

from lxml import etree

from embeds.origins import EMBED_POLICY
from embeds.style import EmbedStyle
from embeds.views import HEADINGS
from feeds.builders import ICalBuilder, RssBuilder
from hub import languages
from pages import preview
from pages.items import EventItem, Item
from pages.links import absolute
from pages.sections import EVENTS


def render_mode(page: Page, request: HttpRequest, mode: str) -> HttpResponse | None:
    """The `hub_item_preview` hook: the response for `mode`, None for modes it lacks.

    Rendered in the page's language whatever the editor's admin language (German for
    a German draft, as embeds and feeds without `lang` are); a translation's draft
    shows the German page's facts, as its published version will."""
    renderer = MODES.get(mode)
    if renderer is None or preview.section_of(page) is None:
        return None
    tag = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    german = page.german_page()
    if german is not page:
        for name in page.fact_columns():
            setattr(page, name, getattr(german, name))
    with translation.override(tag):
        return renderer(preview.item_of(page))


def embed_entry(item: Item) -> HttpResponse:
    """The draft as the only entry of its section's embed list (iframe form)."""
    section = item.section
    heading, all_label = HEADINGS[section.name]
    context = {
        "section": section.name,
        "is_events": section is EVENTS,
        "items": [item],
        "style": EmbedStyle(),
        "heading": str(heading),
        "all_link": absolute(section.path),
        "all_label": str(all_label),
        "framed": True,
        "heading_tag": "h1",
        "language": languages.by_tag(
            translation.get_language() or settings.LANGUAGE_CODE
        ),
    }
    response = HttpResponse(render_to_string("embeds/list.html", context))
    # The embed's own policy (its validated inline theme); framing is the preview's.
    response["Content-Security-Policy"] = EMBED_POLICY
    return response


def feed_entry(item: Item) -> HttpResponse:
    """The draft's RSS item and, for an event, one iCalendar VEVENT per date, as text."""
    rss = etree.fromstring(RssBuilder(item.section, [item]).render())
    entry = rss.find("channel/item")
    rss_item = (
        etree.tostring(entry, pretty_print=True, encoding="unicode")
        if entry is not None
        else ""
    )
    vevents: list[str] = []
    if isinstance(item, EventItem):
        calendar = ICalBuilder(item.section, [item])
        vevents = [
            calendar.vevent(item, occurrence).to_ical().decode()
            for occurrence in item.occurrences
        ]
    context = {"item": item, "rss_item": rss_item, "vevents": vevents}
    return HttpResponse(render_to_string("preview/feed_entry.html", context))


MODES = {"embed": embed_entry, "feed": feed_entry}
