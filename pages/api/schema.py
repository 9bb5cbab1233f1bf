"""OpenAPI description of /api/v1/: parameters, envelopes and problem responses per endpoint."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers

from pages.api.problems import PROBLEM_CONTENT_TYPE, ProblemSerializer
from pages.api.representations import TermSerializer
from pages.enums import EventStatus
from pages.filters import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_LIST_ITEMS,
    MAX_QUERY_LENGTH,
)
from pages.sections import ALL_ITEMS, Section

SLUG_LIST_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:,[a-z0-9]+(?:-[a-z0-9]+)*)*$"
LIST_NOTE = (
    " List results omit `body` and `blocks` (the detail endpoint has them); everything "
    "else is the same as in the detail."
)


def _slugs(name: str, what: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "string", "pattern": SLUG_LIST_PATTERN},
        description=f"{what} slugs, comma-separated (OR, at most {MAX_LIST_ITEMS}); "
        "unknown slugs match nothing.",
        examples=[OpenApiExample("one", value="witten")] if name == "city" else [],
    )


def list_parameters(section: Section) -> list[OpenApiParameter]:
    orderings = list(section.orderings)
    parameters = [
        _slugs("city", "City"),
        _slugs("target_group", "Target group"),
        _slugs("topic", "Topic"),
        OpenApiParameter(
            "q",
            {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
            description="Full-text search (all words must match).",
        ),
        OpenApiParameter(
            "updated_since",
            OpenApiTypes.DATETIME,
            description="Only items published or changed at or after this ISO 8601 "
            "date-time (without offset: Europe/Berlin).",
        ),
        OpenApiParameter(
            "ordering",
            {"type": "string", "enum": orderings, "default": orderings[0]},
            description="Sort order; a leading `-` means descending.",
        ),
        OpenApiParameter(
            "limit",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT,
            },
            description=f"Page size, 1–{MAX_LIMIT}; more is an error, never capped.",
        ),
        OpenApiParameter(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": 10**18 - 1, "default": 0},
            description="Number of results to skip.",
        ),
    ]
    if section.event_filters:
        parameters += [
            OpenApiParameter(
                "from",
                OpenApiTypes.DATE,
                description="Events with an occurrence overlapping [from, to] "
                "(whole days, Europe/Berlin).",
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="See `from`; not before `from`."
            ),
            OpenApiParameter(
                "upcoming",
                {"type": "string", "enum": ["true", "false", "1", "0"]},
                description="`true` (or `1`): has an occurrence ending now or later; "
                "`false` (or `0`): only past events.",
            ),
            OpenApiParameter(
                "status",
                {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "enum": EventStatus.values},
                },
                style="form",
                explode=False,
                description="Status values, comma-separated (OR).",
            ),
        ]
    return parameters


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ProblemSerializer, description=description)


def envelope(name: str, serializer: type) -> type[serializers.Serializer]:
    return type(
        f"Paginated{name}List",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(help_text="All matching results."),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


def _component_name(serializer: type) -> str:
    return serializer.__name__.removesuffix("Serializer")


def document_list(view: type, section: Section, serializer: type) -> type:
    description = section.api_description + ("" if section is ALL_ITEMS else LIST_NOTE)
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{section.name}_list",
            summary=f"List {section.api_tag.lower()}",
            description=description,
            tags=[section.api_tag],
            parameters=list_parameters(section),
            responses={
                (200, "application/json"): envelope(
                    _component_name(serializer), serializer
                ),
                304: OpenApiResponse(description="Not modified (ETag/Last-Modified)."),
                (400, PROBLEM_CONTENT_TYPE): _problem(
                    "Unknown or invalid parameters, each named in `invalid_params`."
                ),
            },
        )
    )(view)


def document_detail(view: type, section: Section, serializer: type) -> type:
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{section.name}_detail",
            summary=f"One of the {section.api_tag.lower()}",
            tags=[section.api_tag],
            parameters=[
                OpenApiParameter(
                    "id",
                    {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
                    OpenApiParameter.PATH,
                )
            ],
            responses={
                (200, "application/json"): serializer,
                304: OpenApiResponse(description="Not modified (ETag/Last-Modified)."),
                (400, PROBLEM_CONTENT_TYPE): _problem(
                    "Query parameters are not accepted."
                ),
                (404, PROBLEM_CONTENT_TYPE): _problem("No visible item with this id."),
            },
        )
    )(view)


def document_taxonomy(view: type, name: str) -> type:
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{name.replace(' ', '_')}_list",
            summary=f"All {name}",
            description=f"Every term of {name}, with its slug (for filters) and name.",
            tags=["Taxonomies"],
            responses={
                (200, "application/json"): envelope(
                    name.title().replace(" ", ""), TermSerializer
                ),
                304: OpenApiResponse(description="Not modified (ETag/Last-Modified)."),
                (400, PROBLEM_CONTENT_TYPE): _problem(
                    "Query parameters are not accepted."
                ),
            },
        )
    )(view)
