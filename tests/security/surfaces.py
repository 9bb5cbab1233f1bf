"""Every public surface, as data: add an entry when a surface lands, and the matrix covers it."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

SECTIONS = ("events", "press", "programmes", "newsletters")


@dataclass(frozen=True)
class Surface:
    path: str
    # Content types the surface lists, whose visible control item it must show.
    shows: tuple[str, ...] = ()
    # Problem+json API (True), or anything else.
    api: bool = False
    # Searches for the hidden items' word: nothing visible matches.
    search: bool = False

    @property
    def id(self) -> str:
        return self.path

    def require_built(self) -> None:
        require_routed(self.path)


def require_routed(path: str) -> None:
    """Every surface has landed: a path falling through to Wagtail's catch-all is a bug."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        match = None
    assert match is not None and not (
        match.url_name == "wagtail_serve"
        and path.startswith(("/api/", "/feeds/", "/embed/"))
    ), f"{path} is not routed to its surface"


def api_v1() -> list[Surface]:
    surfaces = []
    for section in (*SECTIONS, "items"):
        shows = SECTIONS if section == "items" else (section,)
        base = f"/api/v1/{section}/"
        surfaces += [
            Surface(base, shows, api=True),
            Surface(f"{base}?limit=100", shows, api=True),
            Surface(f"{base}?updated_since=2000-01-01T00:00:00Z", shows, api=True),
            Surface(f"{base}?city=kreisweit", shows, api=True),
            Surface(f"{base}?q=Leckmarke", api=True, search=True),
            Surface(f"{base}?q=Leckmarke%20Sichtbar", api=True, search=True),
        ]
    surfaces += [
        Surface("/api/v1/events/?upcoming=true", ("events",), api=True),
        Surface("/api/v1/events/?from=2031-01-01&to=2031-12-31", ("events",), api=True),
        Surface("/api/v1/events/?status=scheduled", ("events",), api=True),
        Surface("/api/v1/cities/", api=True),
        Surface("/api/v1/target-groups/", api=True),
        Surface("/api/v1/topics/", api=True),
    ]
    return surfaces


def api_v2() -> list[Surface]:
    return [
        Surface("/api/v2/pages/?order=-id", SECTIONS, api=True),
        Surface("/api/v2/pages/?search=Leckmarke", api=True, search=True),
        Surface(
            "/api/v2/pages/?type=pages.PressReleasePage&fields=*", ("press",), api=True
        ),
        Surface("/api/v2/documents/?order=-id", api=True),
        Surface("/api/v2/documents/?search=Leckmarke", api=True, search=True),
        Surface("/api/v2/images/?order=-id", api=True),
        Surface("/api/v2/images/?search=Leckmarke", api=True, search=True),
    ]


def feeds() -> list[Surface]:
    surfaces = []
    for section in ("all", *SECTIONS):
        shows = SECTIONS if section == "all" else (section,)
        formats = ["rss", "atom", "json"]
        if section in ("all", "events"):
            formats.append("ics")
        for format_ in formats:
            surfaces.append(
                Surface(
                    f"/feeds/{section}.{format_}",
                    ("events",) if format_ == "ics" else shows,
                )
            )
    surfaces.append(Surface("/feeds/all.rss?city=kreisweit", SECTIONS))
    return surfaces


def embeds() -> list[Surface]:
    return [Surface(f"/embed/{section}/", (section,)) for section in SECTIONS]


def public_pages() -> list[Surface]:
    return [
        Surface("/"),
        Surface("/veranstaltungen/", ("events",)),
        Surface("/presse/", ("press",)),
        Surface("/programme/", ("programmes",)),
        Surface("/newsletter/", ("newsletters",)),
        Surface("/sitemap.xml", SECTIONS),
    ]


def all_surfaces() -> list[Surface]:
    return [*api_v1(), *api_v2(), *feeds(), *embeds(), *public_pages()]


def detail_paths(section: str, page_id: int, page_path: str = "") -> list[str]:
    """Detail URLs of one item: its public page (given its path) and the APIs."""
    paths = [page_path] if page_path else []
    return [
        *paths,
        f"/api/v1/{section}/{page_id}/",
        f"/api/v2/pages/{page_id}/",
        f"/api/v2/pages/{page_id}/?fields=*",
    ]
