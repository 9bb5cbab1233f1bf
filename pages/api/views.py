"""The /api/v1/ endpoints: parse → check visibility → serve cached, nothing else."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

import msgspec
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from hub.languages import UnknownLanguage
from pages import items, locales, sections, snippets
from pages.api import paging, problems
from pages.api.schemas import (
    SHAPES,
    Language,
    LanguageList,
    Schema,
    Shapes,
    Term,
    TermList,
)
from pages.caching import serve_cached
from pages.filters import ContentQuery, InvalidParameters, read_parameters
from pages.items import ITEM_MODIFIED_AT
from pages.snippets import City, TargetGroup, Topic

MAX_AGE = 60
LANGUAGE_PARAMETER = "lang"
# Swagger UI from our own static files; its init script is a separate file (no inline
# script), only its small inline <style> needs 'unsafe-inline'.
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class JSONOnly(BaseContentNegotiation):
    """Always JSON, whatever the client accepts: no browsable API, no 406."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PublicAPIView(APIView):
    """Anonymous, read-only, JSON-only; never touches the session."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    content_negotiation_class = JSONOnly
    get: Callable[..., HttpResponse]
    """Each view's GET handler; HEAD answers the same."""

    def get_exception_handler(self):
        return problems.exception_handler

    def head(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


ENCODER = msgspec.json.Encoder()


def render_json(shape: Schema) -> tuple[bytes, str]:
    return ENCODER.encode(shape), "application/json"


def parse(section: sections.Section, request: HttpRequest) -> ContentQuery:
    """The shared filters, stricter in one way: an empty value is an error, not "absent"."""
    empty = {
        name: "Must not be empty; leave the parameter out instead."
        for name, values in request.GET.lists()
        if any(not value.strip() for value in values)
    }
    try:
        query = ContentQuery.from_params(
            section.name, request.GET, ignore=paging.PARAMETERS
        )
    except InvalidParameters as error:
        raise InvalidParameters({**error.errors, **empty}) from None
    if empty:
        raise InvalidParameters(empty)
    return query


class ContentListView(PublicAPIView):
    """A filtered, paginated list of one section (or of all of them: `items`).

    Views of a section set `section` (`as_view(section=...)` in `pages.api.urls`); the
    shapes they answer with follow from it (`pages.api.schemas.SHAPES`).
    """

    section: sections.Section = sections.ALL_ITEMS

    @property
    def shapes(self) -> Shapes:
        return SHAPES[self.section]

    def get(self, request: HttpRequest) -> HttpResponse:
        query = parse(self.section, request)
        pager = paging.pager(request.GET, query)

        def render() -> tuple[bytes, str]:
            page = pager.slice(query.queryset())
            next_link, previous_link = pager.links(request, page)
            item = self.shapes.item
            return render_json(
                self.shapes.list(
                    count=page.count,
                    next=next_link,
                    previous=previous_link,
                    results=[
                        item.from_row(row) for row in self.rows(page, query.language)
                    ],
                )
            )

        return serve_cached(request, render=render, max_age=MAX_AGE)

    def rows(self, page: items.Slice, language: str) -> list[items.Item]:
        relations = () if self.section is sections.ALL_ITEMS else items.EVERYTHING
        return items.load_ids(page.ids, relations, language=language, translations=True)


def language_only(request: HttpRequest) -> str:
    """The `lang` of a view that takes no other parameter; InvalidParameters otherwise."""
    errors = {
        name: "Unknown parameter." for name in request.GET if name != LANGUAGE_PARAMETER
    }
    values, repeated = read_parameters(request.GET, [LANGUAGE_PARAMETER])
    errors.update(repeated)
    language = settings.LANGUAGE_CODE
    if (tag := values.get(LANGUAGE_PARAMETER)) is not None:
        try:
            language = locales.resolve(tag.strip()).tag
        except UnknownLanguage:
            errors[LANGUAGE_PARAMETER] = locales.unknown_message(tag)
    if errors:
        raise InvalidParameters(errors)
    return language


class ContentDetailView(PublicAPIView):
    """One visible item; anything not visible is indistinguishable from never existing."""

    section: sections.Section = sections.EVENTS

    def get(self, request: HttpRequest, id: str) -> HttpResponse:
        pk = int(id)
        language = language_only(request)
        visible = self.section.page_model.objects.listed().filter(pk=pk)
        # Visibility first: a guessed If-None-Match must not reveal hidden items.
        state = visible.values("content_type_id", modified=ITEM_MODIFIED_AT).first()
        if state is None:
            return problems.not_found(f"No visible {self.section} item with id {pk}.")

        def render() -> tuple[bytes, str]:
            [row] = items.load_ids(
                [(pk, state["content_type_id"])],
                items.EVERYTHING,
                body=True,
                language=language,
                translations=True,
            )
            return render_json(SHAPES[self.section].detail_shape.from_row(row))

        return serve_cached(
            request,
            render=render,
            last_modified=lambda: state["modified"],
            max_age=MAX_AGE,
            early=False,
        )


class LanguageListView(PublicAPIView):
    """The languages the hub offers, German first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET:
            return problems.invalid_parameters(
                dict.fromkeys(request.GET, "Unknown parameter.")
            )

        def render() -> tuple[bytes, str]:
            offered = [
                Language(
                    code=language.tag,
                    name=language.native_name,
                    name_de=language.german_name,
                    dir=language.direction,
                    is_source=language.is_source,
                )
                for language in locales.available()
            ]
            return render_json(LanguageList(count=len(offered), results=offered))

        return serve_cached(request, render=render, max_age=MAX_AGE)


class TaxonomyListView(PublicAPIView):
    """Every term of one taxonomy, in the editors' order."""

    model: type[snippets.Taxonomy] = City

    def get(self, request: HttpRequest) -> HttpResponse:
        language = language_only(request)

        def render() -> tuple[bytes, str]:
            rows = list(self.model.objects.german().values_list("pk", "slug"))
            names = snippets.localized_names(
                self.model, [pk for pk, _ in rows], language
            )
            terms = [Term(slug=slug, name=names[pk]) for pk, slug in rows]
            return render_json(
                TermList(count=len(terms), next=None, previous=None, results=terms)
            )

        return serve_cached(
            request,
            render=render,
            max_age=MAX_AGE,
        )


@dataclass(frozen=True)
class Taxonomy:
    path: str
    """Below /api/v1/."""
    route: str
    """URL name in the `api-v1` namespace."""
    name: str
    """As the documentation words it."""
    model: type[snippets.Taxonomy]


TAXONOMIES = (
    Taxonomy("cities", "city-list", "cities", City),
    Taxonomy("target-groups", "target-group-list", "target groups", TargetGroup),
    Taxonomy("topics", "topic-list", "topics", Topic),
)


class DocsView(SpectacularSwaggerSplitView):
    """Human docs of /api/v1/, served without any outside request and without cookies."""

    authentication_classes: list = []
    permission_classes: list = []

    def get_exception_handler(self):
        return problems.exception_handler

    def options(self, request, *args, **kwargs):
        """The methods, without DRF's metadata (which the HTML renderer cannot render)."""
        response = HttpResponse(status=204)
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_POLICY
        return response
