from django import template

from wagtail.models import Page

from pages.links import absolute

register = template.Library()

FEED_TYPES = [
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
]
SECTION_OF_INDEX = {
    "EventIndexPage": ("events", "Veranstaltungen"),
    "PressIndexPage": ("press", "Pressemitteilungen"),
    "ProgrammeIndexPage": ("programmes", "Programme und Projekte"),
    "NewsletterIndexPage": ("newsletters", "Newsletter"),
}


@register.simple_tag
def feed_links(page: Page | None = None) -> list[dict[str, str]]:
    """Feeds a reader should find on `page`: its section's feeds, then everything."""
    sections = [("all", "Alle Inhalte")]
    if section := _section_of(page):
        sections.insert(0, section)
    links = [
        {
            "type": mime,
            "title": f"{title} ({name})",
            "href": absolute(f"/feeds/{section}.{format}"),
        }
        for section, title in sections
        for format, mime, name in FEED_TYPES
    ]
    if sections[0][0] == "events":
        links.append(
            {
                "type": "text/calendar",
                "title": "Veranstaltungen (Kalender, iCal)",
                "href": absolute("/feeds/events.ics"),
            }
        )
    return links


def _section_of(page: Page | None) -> tuple[str, str] | None:
    """The section of an index page or of an item directly below one."""
    if page is None or not isinstance(page, Page):
        return None
    for candidate in (page, page.get_parent()):
        if candidate is not None:
            name = candidate.specific_class.__name__
            if name in SECTION_OF_INDEX:
                return SECTION_OF_INDEX[name]
    return None
