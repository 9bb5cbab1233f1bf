"""The OpenAPI 3.1 document of /api/v1/, emitted from the shapes in `pages.api.schemas`.

Components come from the shapes (`msgspec.json.schema_components`), so the document
cannot drift from what is served; paths, parameters, headers, responses and examples come
from the section registry, the filters' limits and the table of endpoints below. Built
once per process; served as YAML (like drf-spectacular did) or JSON when asked for.
"""

import functools
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

import msgspec
import yaml

from pages import sections
from pages.api import examples, paging, schemas
from pages.api.problems import PROBLEM_CONTENT_TYPE
from pages.api.views import MAX_AGE, TAXONOMIES, PublicAPIView
from pages.caching import serve_cached
from pages.enums import EventStatus
from pages.filters import DEFAULT_LIMIT, MAX_LIMIT, MAX_LIST_ITEMS, MAX_QUERY_LENGTH

OPENAPI_VERSION = "3.1.0"
REF = "#/components/schemas/{name}"
MAX_ID = 10**18 - 1
SLUG_LIST_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:,[a-z0-9]+(?:-[a-z0-9]+)*)*$"
LIST_NOTE = (
    " List results omit `body` and `blocks` (the detail endpoint has them); everything "
    "else is the same as in the detail."
)

HEADERS = {
    "ETag": {
        "description": "Validator of this representation; send it back in "
        "`If-None-Match` to get a 304.",
        "schema": {"type": "string"},
        "example": '"5c1b0f6e2d0c4a7e9b3f1a2c4d6e8f00"',
    },
    "Last-Modified": {
        "description": "HTTP date of the newest change shown (not on taxonomies).",
        "schema": {"type": "string"},
        "example": "Mon, 20 Jul 2020 07:30:00 GMT",
    },
    "Cache-Control": {
        "description": "How long the answer may be reused; errors are `no-store`.",
        "schema": {"type": "string"},
        "example": "public, max-age=60",
    },
    "Retry-After": {
        "description": "Seconds until the client may send requests again.",
        "schema": {"type": "integer", "minimum": 0},
        "example": 42,
    },
    "Allow": {
        "description": "The methods the API accepts.",
        "schema": {"type": "string"},
        "example": "GET, HEAD, OPTIONS",
    },
}


def _headers(*names: str) -> dict[str, dict[str, str]]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _problem(description: str, *headers: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": _headers(*headers, "Cache-Control"),
        "content": {
            PROBLEM_CONTENT_TYPE: {"schema": {"$ref": REF.format(name="Problem")}}
        },
    }


RESPONSES = {
    "NotModified": {
        "description": "Not modified: the client's copy (`If-None-Match` or "
        "`If-Modified-Since`) is current.",
        "headers": _headers("ETag", "Last-Modified", "Cache-Control"),
    },
    "BadRequest": {
        **_problem(
            "Unknown or invalid query parameters, each named in `invalid_params`."
        ),
    },
    "NotFound": _problem("No visible item with this id."),
    "MethodNotAllowed": _problem(
        "The API is read-only: any method but GET, HEAD and OPTIONS.", "Allow"
    ),
    "Gone": _problem(
        "The cursor is older than the kept change log (or from before a restore): "
        "start again without `cursor` and replace your copy."
    ),
    "TooManyRequests": _problem(
        "Too many requests from this client; retry after `Retry-After` seconds.",
        "Retry-After",
    ),
}
RESPONSES["BadRequest"]["content"][PROBLEM_CONTENT_TYPE]["examples"] = {
    "limit": {"value": msgspec.to_builtins(examples.BAD_REQUEST)}
}
ERRORS = {
    304: "NotModified",
    400: "BadRequest",
    404: "NotFound",
    405: "MethodNotAllowed",
    410: "Gone",
    429: "TooManyRequests",
}


def _errors(*codes: int) -> dict[str, dict[str, str]]:
    return {
        str(code): {"$ref": f"#/components/responses/{ERRORS[code]}"} for code in codes
    }


def _ok(shape: type[schemas.Schema], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": _headers("ETag", "Last-Modified", "Cache-Control"),
        "content": {
            "application/json": {
                "schema": {"$ref": REF.format(name=shape.__name__)},
                "examples": {
                    "example": {"value": msgspec.to_builtins(examples.EXAMPLES[shape])}
                },
            }
        },
    }


def _query(name: str, schema: dict, description: str, **more: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
        **more,
    }


REPEAT_NOTE = (
    " Given several times (`{name}=a&{name}=b`, how the array is sent) or "
    "comma-separated (`{name}=a,b`): the same."
)
SINGLE_NOTE = " Given more than once: 400."


def _list(name: str, items: dict, description: str, **more: Any) -> dict[str, Any]:
    """A list parameter: an exploded form array (repeated parameter), and each value may
    itself be comma-separated; both mean OR (`pages.filters.LIST_PARAMETERS`)."""
    return _query(
        name,
        {"type": "array", "items": items},
        description + REPEAT_NOTE.format(name=name),
        style="form",
        explode=True,
        **more,
    )


def _single(name: str, schema: dict, description: str, **more: Any) -> dict[str, Any]:
    return _query(name, schema, description + SINGLE_NOTE, **more)


def _slugs(name: str, what: str, example: str) -> dict[str, Any]:
    return _list(
        name,
        {"type": "string", "pattern": SLUG_LIST_PATTERN},
        f"{what} slugs (OR, at most {MAX_LIST_ITEMS}); unknown slugs match nothing.",
        example=[example],
    )


def language_parameter() -> dict[str, Any]:
    """`lang`: the same on every list, detail, taxonomy list and the change feed."""
    return _single(
        "lang",
        {"type": "string", "default": settings.LANGUAGE_CODE, "minLength": 2},
        "The language of the text (BCP 47, any case; Leichte Sprache is `de-x-ls`; "
        "see `/api/v1/languages/`). Items and their facts are the same in every "
        "language; an item not published in it is answered in German with "
        "`fallback: true`. Any other value: 400.",
        example="ar",
    )


def list_parameters(section: sections.Section) -> list[dict[str, Any]]:
    """The query parameters of a section's list (`pages.filters` accepts exactly these)."""
    orderings = list(section.orderings)
    parameters = [
        language_parameter(),
        _slugs("city", "City", "witten"),
        _slugs("target_group", "Target group", "gefluechtete"),
        _slugs("topic", "Topic", "sprache"),
        _single(
            "q",
            {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
            "Full-text search (all words must match).",
        ),
        _single(
            "updated_since",
            {"type": "string"},
            "Only items whose `modified_at` is at or after this ISO 8601 date-time "
            "(without offset: Europe/Berlin): published, edited, or showing a venue, "
            "contact, document, image or taxonomy term edited since.",
            example="2020-07-01T00:00:00+02:00",
        ),
        _single(
            "ordering",
            {"type": "string", "enum": orderings, "default": orderings[0]},
            "Sort order; a leading `-` means descending.",
        ),
        _single(
            "limit",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT,
            },
            f"Page size, 1–{MAX_LIMIT}; more is an error, never capped.",
        ),
        _single(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0},
            "Number of results to skip. Without `cursor` a list pages by offset and "
            "its `next`/`previous` links carry `offset`.",
        ),
        _single(
            "cursor",
            {"type": "string", "minLength": 1, "maxLength": paging.MAX_LENGTH},
            paging.DESCRIPTION,
            example=paging.FIRST,
        ),
    ]
    if section.event_filters:
        parameters += [
            _single(
                "from",
                {"type": "string", "format": "date"},
                "Events with an occurrence overlapping [from, to] (whole days, "
                "Europe/Berlin).",
            ),
            _single(
                "to", {"type": "string", "format": "date"}, "See `from`; not before it."
            ),
            _single(
                "upcoming",
                {"type": "string", "enum": ["true", "false", "1", "0"]},
                "`true` (or `1`): has an occurrence ending now or later; `false` (or "
                "`0`): only past events.",
            ),
            _list(
                "status",
                {"$ref": REF.format(name="StatusValue")},
                "Status values (OR).",
            ),
        ]
    return parameters


def _path(route: str, **kwargs: Any) -> str:
    """The URL path of a route, with `{id}` for the detail's id."""
    if not kwargs:
        return reverse(route)
    placeholder = "987654321"
    return reverse(route, args=[placeholder]).replace(placeholder, "{id}")


ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}


def paths() -> dict[str, Any]:
    result: dict[str, Any] = {
        reverse("api-v1:index"): {
            "get": {
                "operationId": "index",
                "summary": "Index of the API",
                "description": "Every endpoint with its absolute URL (and the URL "
                "template of one item), the documentation and this document.",
                "tags": ["Index"],
                "responses": {
                    "200": _ok(schemas.ApiIndex, "The endpoints."),
                    **_errors(304, 400, 405, 429),
                },
            }
        }
    }
    for section in (*sections.SECTIONS, sections.ALL_ITEMS):
        shapes = schemas.SHAPES[section]
        note = "" if section is sections.ALL_ITEMS else LIST_NOTE
        result[_path(section.api_list_route)] = {
            "get": {
                "operationId": f"{section.name}_list",
                "summary": f"List {section.api_tag.lower()}",
                "description": section.api_description + note,
                "tags": [section.api_tag],
                "parameters": list_parameters(section),
                "responses": {
                    "200": _ok(shapes.list, "One page of the list."),
                    **_errors(304, 400, 405, 429),
                },
            }
        }
        if shapes.detail is not None:
            result[_path(section.api_detail_route, id=True)] = {
                "get": {
                    "operationId": f"{section.name}_detail",
                    "summary": f"One of the {section.api_tag.lower()}",
                    "tags": [section.api_tag],
                    "parameters": [ID_PARAMETER, language_parameter()],
                    "responses": {
                        "200": _ok(shapes.detail, "The item with its body."),
                        **_errors(304, 400, 404, 405, 429),
                    },
                }
            }
    result[reverse("api-v1:changes")] = changes_path()
    result[reverse("api-v1:language-list")] = {
        "get": {
            "operationId": "languages_list",
            "summary": "All languages",
            "description": "The languages the hub offers, German (the source) first: "
            "the values of `lang`, with their names and text direction.",
            "tags": ["Languages"],
            "responses": {
                "200": _ok(schemas.LanguageList, "Every language offered."),
                **_errors(304, 400, 405, 429),
            },
        }
    }
    for taxonomy in TAXONOMIES:
        name = taxonomy.name
        result[reverse(f"api-v1:{taxonomy.route}")] = {
            "get": {
                "operationId": f"{name.replace(' ', '_')}_list",
                "summary": f"All {name}",
                "description": f"Every term of {name}, with its slug (for filters) and "
                "name.",
                "tags": ["Taxonomies"],
                "parameters": [language_parameter()],
                "responses": {
                    "200": _ok(schemas.TermList, f"Every term of {name}."),
                    **_errors(304, 400, 405, 429),
                },
            }
        }
    return result


CHANGES_DESCRIPTION = f"""The change feed a partner keeps an exact copy with.

**First call, without `cursor`:** every visible item (matching the filters), in pages
of `limit`, each in its section's list representation. Follow `next` until it is
`null`, then store `cursor`.

**Later calls, with the stored `cursor`:** only what changed since — `items` created or
changed (replace your copy; a venue, contact, document or taxonomy term edited counts
as a change of every item showing it) and `deleted` entries for every item that left
public view (unpublished, deleted, view-restricted itself or through a parent page,
expired, moved out of the site). Follow `next` while it is not `null`; store the last
`cursor`. Applying the answers in order keeps the copy exact; an item may come twice
(apply it twice), and a `deleted` entry for an id you do not have is to be ignored.

**Filters** (`type`, `city`, `target_group`, `topic`, `q`) apply to both: with `city`,
an item moved to another city comes as `deleted` (`q` cannot be checked on items that
are gone: deletions are sent whenever the taxonomy filters match). A cursor belongs to
the filters it was made with; with others it is a 400.

**Retention:** the change log keeps entries for {settings.HUB_CHANGES_RETENTION_DAYS}
days (`HUB_CHANGES_RETENTION_DAYS`). A cursor older than that (or from before a database
restore) is answered with 410: start again without `cursor`. Answers are
`Cache-Control: max-age=0` with an `ETag`: poll as often as once a minute and
revalidate with `If-None-Match`. Webhooks (see the docs) say when to poll."""


def changes_path() -> dict[str, Any]:
    parameters = [
        _list(
            "type",
            {"type": "string", "enum": [s.item_type for s in sections.SECTIONS]},
            "Item types (OR).",
        ),
        *(
            parameter
            for parameter in list_parameters(sections.ALL_ITEMS)
            if parameter["name"]
            in ("lang", "city", "target_group", "topic", "q", "limit")
        ),
        _single(
            "cursor",
            {"type": "string", "minLength": 1, "maxLength": 200},
            "Opaque: the `cursor` of an earlier answer (or the one in `next`).",
        ),
    ]
    return {
        "get": {
            "operationId": "changes",
            "summary": "What changed since a cursor",
            "description": CHANGES_DESCRIPTION,
            "tags": ["Changes"],
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "Items and deletions since the cursor.",
                    "headers": _headers("ETag", "Cache-Control"),
                    "content": {
                        "application/json": {
                            "schema": {"$ref": REF.format(name="ChangeList")},
                            "examples": {
                                "example": {
                                    "value": msgspec.to_builtins(examples.CHANGES)
                                }
                            },
                        }
                    },
                },
                **_errors(304, 400, 405, 410, 429),
            },
        }
    }


def _item_shapes(found: dict[str, Any]) -> None:
    """The change feed's items are one of the sections' list shapes, told by `type`."""
    shapes = {s.item_type: schemas.SHAPES[s].item.__name__ for s in sections.SECTIONS}
    listed = found["ChangeList"]["properties"]["items"]
    listed["items"] = {
        "oneOf": [{"$ref": REF.format(name=name)} for name in shapes.values()],
        "discriminator": {
            "propertyName": "type",
            "mapping": {
                item_type: REF.format(name=name) for item_type, name in shapes.items()
            },
        },
    }


def components() -> dict[str, Any]:
    """Every shape the API answers with, and what they refer to."""
    shapes = [
        *(
            shape
            for s in schemas.SHAPES.values()
            for shape in (s.list, s.detail)
            if shape
        ),
        schemas.TermList,
        schemas.LanguageList,
        schemas.ChangeList,
        schemas.ApiIndex,
        schemas.Problem,
    ]
    _, found = msgspec.json.schema_components(shapes, ref_template=REF)
    _item_shapes(found)
    found["StatusValue"] = {
        "description": "An event status value; `title` is its German label.",
        "oneOf": [
            {"const": status.value, "title": status.label} for status in EventStatus
        ],
    }
    consts: dict[str, Any] = _with_consts(found)
    return consts


def _with_consts(node: Any) -> Any:
    """Single-value enums (how msgspec writes a `Literal` of one value) as `const`."""
    if isinstance(node, dict):
        node = {key: _with_consts(value) for key, value in node.items()}
        if isinstance(node.get("enum"), list) and len(node["enum"]) == 1:
            node["const"] = node.pop("enum")[0]
        return node
    if isinstance(node, list):
        return [_with_consts(value) for value in node]
    return node


@functools.cache
def document() -> dict[str, Any]:
    """The whole document, as a plain dict."""
    info = settings.SPECTACULAR_SETTINGS
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": info["TITLE"],
            "description": info["DESCRIPTION"],
            "version": info["VERSION"],
        },
        "paths": paths(),
        "components": {
            "schemas": components(),
            "headers": HEADERS,
            "responses": RESPONSES,
        },
    }


@functools.cache
def _rendered(as_json: bool) -> bytes:
    if as_json:
        return json.dumps(document(), ensure_ascii=False, indent=2).encode()
    return yaml.safe_dump(document(), allow_unicode=True, sort_keys=False).encode()


JSON_TYPES = ("application/vnd.oai.openapi+json", "application/json")
YAML_TYPE = "application/vnd.oai.openapi; charset=utf-8"


class SchemaView(PublicAPIView):
    """The document: YAML by default, JSON for clients that accept JSON (Swagger UI)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        accept = request.headers.get("Accept", "")
        content_type = next((t for t in JSON_TYPES if t in accept), YAML_TYPE)
        body = _rendered(content_type in JSON_TYPES)
        return serve_cached(
            request,
            render=lambda: (body, content_type),
            last_modified=lambda: None,
            max_age=MAX_AGE,
            headers={"Vary": "Accept"},
            # One path, two representations: the path-keyed cache must not mix them.
            use_cache=False,
        )
