"""Embeds for partner sites: a list page for iframes, an HTML fragment, and hub-embed.js."""

import hashlib
from pathlib import Path
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

from hub import languages
from pages import locales, sections
from pages.caching import not_modified, serve_cached
from pages.filters import ContentQuery, InvalidParameters, read_parameters
from pages.links import absolute
from pages.listing import entries, german_errors, page_of

from .origins import add_embed_headers
from .style import (
    EMBED_PARAMETERS,
    FORMATS,
    HEADINGS,
    EmbedStyle,
    InvalidStyle,
    index_path_in,
)

# Filters that the public index pages understand too, so "Alle anzeigen" keeps them.
INDEX_FILTERS = ("city", "target_group", "topic", "upcoming")
MAX_TITLE_LENGTH = 80
EMBED_MAX_AGE = 300
SCRIPT_MAX_AGE = 60 * 60 * 24
ASSETS = Path(__file__).parent / "assets"
SCRIPTS = {
    name: (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    for name in ("hub-embed.js", "resize.js")
    for body in [(ASSETS / name).read_bytes()]
}


def plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(
        message, status=status, content_type="text/plain; charset=utf-8"
    )


def embed_errors(error: InvalidParameters, lang: str) -> list[str]:
    """German sentences for bad filters; an unknown `lang` names the languages offered
    (as the API's 400 does)."""
    detail = error.errors.get("lang", "")
    if not detail.startswith("Unknown language"):
        return german_errors(error)
    others = InvalidParameters(
        {name: text for name, text in error.errors.items() if name != "lang"}
    )
    offered = ", ".join(language.tag for language in locales.available())
    return [
        *german_errors(others),
        f"Die Sprache „{lang[:40]}“ (Parameter „lang“) gibt es hier nicht. "
        f"Möglich sind: {offered}.",
    ]


def embed_list(request: HttpRequest, section: str) -> HttpResponse:
    """`/embed/{section}/`: a compact themable list, whole page or fragment (`format=`)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if section not in sections.names():
        response = plain(
            "Diese Liste gibt es nicht. Möglich sind: "
            + ", ".join(sections.names())
            + ".",
            404,
        )
        return add_embed_headers(request, response, cors=True)
    errors: list[str] = []
    style = EmbedStyle()
    try:
        style = EmbedStyle.from_params(request.GET)
    except InvalidStyle as error:
        errors += error.errors.values()
    output = request.GET.get("format", "html")
    if output not in FORMATS:
        errors.append("„format“ muss „html“ oder „fragment“ sein.")
    title = request.GET.get("title", "").strip()
    if len(title) > MAX_TITLE_LENGTH or any(ord(char) < 32 for char in title):
        errors.append(f"„title“ darf höchstens {MAX_TITLE_LENGTH} Zeichen lang sein.")
    heading_level = request.GET.get("heading", "2")
    if heading_level not in {"2", "3", "4", "5", "6"}:
        errors.append("„heading“ muss eine Überschriftenebene von 2 bis 6 sein.")
    query = None
    try:
        query = ContentQuery.from_params(section, request.GET, ignore=EMBED_PARAMETERS)
    except InvalidParameters as error:
        errors += embed_errors(error, request.GET.get("lang", ""))
    if errors or query is None:
        response = plain(
            "Diese Einbettung enthält ungültige Angaben:\n- " + "\n- ".join(errors), 400
        )
        return add_embed_headers(request, response, cors=True)

    def render() -> tuple[bytes, str]:
        # The embed's words, dates and items in its language (`lang`, `data-hub-lang`).
        with translation.override(query.language):
            return render_in_language()

    def render_in_language() -> tuple[bytes, str]:
        listed = sections.get(section)
        heading, all_label = HEADINGS[section]
        language = languages.by_tag(query.language)
        index_path = index_path_in(listed, language)
        filters, _ = read_parameters(request.GET, INDEX_FILTERS)
        kept = [(name, value) for name, value in filters.items() if value]
        context = {
            "section": section,
            "is_events": listed is sections.EVENTS,
            "items": entries(page_of(query, query.limit)),
            "style": style,
            "heading": title or str(heading),
            "all_link": absolute(index_path) + ("?" + urlencode(kept) if kept else ""),
            "all_label": str(all_label),
            "framed": output == "html",
            "heading_tag": "h1" if output == "html" else f"h{heading_level}",
            "language": language,
        }
        template = "embeds/list.html" if output == "html" else "embeds/fragment.html"
        return render_to_string(template, context).encode(), "text/html; charset=utf-8"

    response = serve_cached(
        request,
        render=render,
        max_age=EMBED_MAX_AGE,
    )
    return add_embed_headers(request, response, cors=True)


def hub_embed_script(request: HttpRequest, name: str = "hub-embed.js") -> HttpResponse:
    """`/embed/hub-embed.js` and the iframe's `resize.js`: stable URLs, so cached for a
    day and revalidated by ETag."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    script, etag = SCRIPTS[name]
    if not_modified(request, etag, None):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(
            b"" if request.method == "HEAD" else script,
            content_type="text/javascript; charset=utf-8",
        )
        response["Content-Length"] = str(len(script))
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=SCRIPT_MAX_AGE)
    return response
