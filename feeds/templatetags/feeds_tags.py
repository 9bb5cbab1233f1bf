from django import template

from wagtail.models import Page

from pages import sections
from pages.links import absolute

register = template.Library()

FEED_TYPES = [
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
]


@register.simple_tag
def feed_links(page: Page | None = None) -> list[dict[str, str]]:
    """Feeds a reader should find on `page`: its section's feeds, then everything."""
    shown = [sections.ALL_ITEMS]
    if section := _section_of(page):
        shown.insert(0, section)
    links = [
        {
            "type": mime,
            "title": f"{section.title} ({name})",
            "href": absolute(f"/feeds/{section.feed_path_name}.{format}"),
        }
        for section in shown
        for format, mime, name in FEED_TYPES
    ]
    if shown[0] is sections.EVENTS:
        links.append(
            {
                "type": "text/calendar",
                "title": f"{sections.EVENTS.title} (Kalender, iCal)",
                "href": absolute(f"/feeds/{sections.EVENTS.name}.ics"),
            }
        )
    return links


def _section_of(page: Page | None) -> sections.Section | None:
    """The section of an index page or of an item directly below one."""
    if page is None or not isinstance(page, Page):
        return None
    for candidate in (page, page.get_parent()):
        if candidate is not None:
            try:
                return sections.of_index_model(candidate.specific_class)
            except sections.UnknownSection:
                continue
    return None
