"""Wagtail's own API v2 for Wagtail tooling, with the hub's visibility rule.

Stock v2 shows every live page (expired ones until the scheduler runs) and relies on the
request user for collections; here pages come from `visible()` and documents and images
from unrestricted collections only, for everyone, without sessions.

Its parameters follow the hub's rules too: one value each (Wagtail's comma lists joined
like ours), no NUL, search text stripped of full-text syntax, an offset past any
database an empty page, and every error problem+json naming the parameter.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import QueryDict
from django.utils import timezone

from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError, parse_boolean
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from rest_framework.filters import BaseFilterBackend
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from pages.api import problems
from pages.api.views import JSONOnly
from pages.filters import (
    MAX_OFFSET,
    MAX_QUERY_LENGTH,
    NUL,
    InvalidParameters,
    read_parameters,
    search_terms,
)
from pages.media import in_public_collections
from pages.queries import HubPageQuerySet

LIST_PARAMETERS = frozenset({"fields", "order", "type"})
"""Wagtail's comma-separated parameters: given twice, their values are joined."""
MAX_DIGITS = 18


def whole_number(value: str) -> int | None:
    """`value` as a non-negative whole number of ASCII digits, else None."""
    if value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS:
        return int(value)
    return None


def public_in_searchable_form(model):
    """Images or documents of public collections, filtered so `?search=` still works."""
    public = in_public_collections(model.objects.all()).values("pk")
    return model.objects.filter(pk__in=public).order_by("id")


class NamedErrors(BaseFilterBackend):
    """A Wagtail filter whose `BadRequestError` names the parameter it reads."""

    parameter = ""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except BadRequestError as error:
            raise InvalidParameters({self.parameter: str(error)}) from None


class ChildOf(NamedErrors, ChildOfFilter):
    parameter = "child_of"


class AncestorOf(NamedErrors, AncestorOfFilter):
    parameter = "ancestor_of"


class DescendantOf(NamedErrors, DescendantOfFilter):
    parameter = "descendant_of"


class TranslationOf(NamedErrors, TranslationOfFilter):
    parameter = "translation_of"


class Ordering(NamedErrors, OrderingFilter):
    parameter = "order"


def field_value_error(field: Any, value: str) -> str | None:
    """Why `value` cannot filter on `field`, or None; checked before the database sees it."""
    try:
        if isinstance(field, models.BooleanField):
            parse_boolean(value)
        elif isinstance(field, models.ForeignKey):
            field.target_field.to_python(value)
        elif isinstance(field, models.Field) and not field.is_relation:
            parsed = field.to_python(value)
            if isinstance(parsed, dt.datetime):
                if timezone.is_naive(parsed):
                    parsed = timezone.make_aware(parsed)
                parsed.astimezone(dt.UTC)  # beyond the calendar in UTC
    except (ValidationError, ValueError, TypeError, OverflowError):
        return f"Not a valid value for the field {field.name!r}."
    return None


class FieldValues(FieldsFilter):
    """`?slug=…`-style filters on database fields, each value checked against its field
    first (an impossible date is a 400, not a database error)."""

    def filter_queryset(self, request, queryset, view):
        model = queryset.model
        errors = {}
        for name in view.get_available_fields(model, db_fields_only=True):
            if name == "locale" or name not in request.GET:
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if reason := field_value_error(field, request.GET[name]):
                errors[name] = reason
        if errors:
            raise InvalidParameters(errors)
        return super().filter_queryset(request, queryset, view)


class Search(SearchFilter):
    """`?search=` with the words only (`pages.filters.search_terms`), as on /api/v1/."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        text = request.GET["search"]
        operator = request.GET.get("search_operator") or None
        errors = {}
        if len(text) > MAX_QUERY_LENGTH:
            errors["search"] = f"At most {MAX_QUERY_LENGTH} characters."
        if operator not in (None, "and", "or"):
            errors["search_operator"] = "Must be 'and' or 'or'."
        if getattr(queryset, "_filtered_by_tag", False):
            errors["search"] = "Cannot be combined with a filter by tag."
        if errors:
            raise InvalidParameters(errors)
        if not text.strip():
            return queryset
        terms = search_terms(text)
        if not terms:
            return queryset.none()
        try:
            return get_search_backend().search(
                terms,
                queryset,
                operator=operator,
                order_by_relevance="order" not in request.GET,
            )
        except FilterFieldError as error:
            raise InvalidParameters(
                {error.field_name: "Cannot filter by this field while searching."}
            ) from None
        except OrderByFieldError as error:
            raise InvalidParameters(
                {"order": f"Cannot order by {error.field_name!r} while searching."}
            ) from None


NAMED_FILTERS = {
    FieldsFilter: FieldValues,
    ChildOfFilter: ChildOf,
    AncestorOfFilter: AncestorOf,
    DescendantOfFilter: DescendantOf,
    TranslationOfFilter: TranslationOf,
    OrderingFilter: Ordering,
    SearchFilter: Search,
}


def named_filters(backends: list) -> list:
    """Wagtail's filter backends of an endpoint, each replaced by its checked version."""
    return [NAMED_FILTERS.get(backend, backend) for backend in backends]


class Pagination(WagtailPagination):
    """Wagtail's `offset` and `limit`, named in errors; an offset past any database is
    an empty page (as on /api/v1/), not a database overflow."""

    def paginate_queryset(self, queryset, request, view=None):
        limit_max = settings.WAGTAILAPI_LIMIT_MAX
        offset = whole_number(request.GET.get("offset", "0"))
        limit = whole_number(request.GET.get("limit", str(min(20, limit_max))))
        errors = {}
        if offset is None:
            errors["offset"] = "Must be a whole number, at least 0."
        if limit is None or limit > limit_max:
            errors["limit"] = f"Must be a whole number between 0 and {limit_max}."
        if errors or offset is None or limit is None:
            raise InvalidParameters(errors)
        self.view = view
        self.total_count = queryset.count()
        if offset > MAX_OFFSET:
            return []
        return queryset[offset : offset + limit]


class AnonymousJSONMixin(BaseAPIViewSet):
    """No browsable API, no authentication (so no session), the hub's parameter rules,
    and problem+json for every error (Wagtail answers its own as `{"message": …}`)."""

    renderer_classes = [JSONRenderer]
    authentication_classes: list = []
    permission_classes: list = []
    content_negotiation_class = JSONOnly
    pagination_class = Pagination

    def get_exception_handler(self):
        return problems.exception_handler

    def handle_exception(self, exc):
        return APIView.handle_exception(self, exc)

    def initial(self, request, *args, **kwargs):
        """One value per parameter and no NUL, before Wagtail reads any of them."""
        super().initial(request, *args, **kwargs)
        values, errors = read_parameters(
            request.GET, request.GET, lists=LIST_PARAMETERS
        )
        for name, value in values.items():
            if "\x00" in value or "\x00" in name:
                errors[name] = NUL
        if errors:
            raise InvalidParameters(errors)
        single = QueryDict(mutable=True)
        single.update(values)
        single._mutable = False
        request._request.GET = single

    def get_serializer_class(self):
        try:
            return super().get_serializer_class()
        except BadRequestError as error:
            raise InvalidParameters({"fields": str(error)}) from None

    def resolve_rich_text_format(self):
        try:
            return super().resolve_rich_text_format()
        except BadRequestError as error:
            raise InvalidParameters({"rich_text_format": str(error)}) from None

    def check_query_parameters(self, queryset):
        model = queryset.model
        allowed = {
            *self.get_available_fields(model, db_fields_only=True),
            *self.known_query_parameters,
        }
        unknown = [name for name in self.request.GET if name not in allowed]
        if unknown:
            raise InvalidParameters(dict.fromkeys(unknown, "Unknown parameter."))

    def find_object(self, queryset, request):
        if "id" in request.GET and whole_number(request.GET["id"]) is None:
            raise InvalidParameters({"id": "Must be a whole number."})
        return super().find_object(queryset, request)


class VisiblePagesAPIViewSet(AnonymousJSONMixin, PagesAPIViewSet):
    filter_backends = named_filters(PagesAPIViewSet.filter_backends)

    def get_base_queryset(self):
        # A `pk__in` subquery rather than the rule's filters themselves, so the search
        # backend (which only understands indexed fields) can still search the result.
        visible = HubPageQuerySet(model=Page).listed()
        return Page.objects.filter(pk__in=visible.values("pk"))

    def get_queryset(self):
        try:
            return super().get_queryset()
        except BadRequestError as error:
            raise InvalidParameters({"type": str(error)}) from None


class PublicImagesAPIViewSet(AnonymousJSONMixin, ImagesAPIViewSet):
    filter_backends = named_filters(ImagesAPIViewSet.filter_backends)

    def get_queryset(self):
        return public_in_searchable_form(self.model)


class PublicDocumentsAPIViewSet(AnonymousJSONMixin, DocumentsAPIViewSet):
    filter_backends = named_filters(DocumentsAPIViewSet.filter_backends)

    def get_queryset(self):
        return public_in_searchable_form(self.model)


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", VisiblePagesAPIViewSet)
router.register_endpoint("images", PublicImagesAPIViewSet)
router.register_endpoint("documents", PublicDocumentsAPIViewSet)
