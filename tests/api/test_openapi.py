"""The OpenAPI document is exact: strict validators accept every real response.

openapi-core validates bodies and headers against the document; msgspec decodes the
same bodies strictly into the shapes (unknown fields, wrong types and wrong constants
fail), so the shapes and the document are checked against what is really served.
"""

import json

import msgspec
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.response.exceptions import InvalidData
from openapi_spec_validator import validate as validate_document

from pages import sections
from pages.api import examples, openapi, paging, schemas
from pages.api.problems import PROBLEM_CONTENT_TYPE
from pages.enums import EventStatus
from tests.factories import (
    BodyFactory,
    DocumentFactory,
    EventPageFactory,
    ImageFactory,
    NewsletterIssuePageFactory,
    PressReleasePageFactory,
    ProgrammePageFactory,
)

pytestmark = pytest.mark.django_db
SECTIONS = (*sections.SECTIONS, sections.ALL_ITEMS)


@pytest.fixture(scope="module")
def spec():
    return OpenAPI.from_dict(
        openapi.document(),
        config=Config(
            extra_media_type_deserializers={PROBLEM_CONTENT_TYPE: json.loads}
        ),
    )


def validate(spec, response, path: str) -> None:
    """`response` (a real one) against the GET operation of `path` in the document."""
    path, _, query = path.partition("?")
    request = MockRequest(
        "http://testserver",
        "get",
        path,
        args=dict(part.split("=", 1) for part in query.split("&")) if query else None,
    )
    content_type = response.get("Content-Type", "").split(";")[0] or None
    spec.validate_response(
        request,
        MockResponse(
            response.content,
            status_code=response.status_code,
            headers=dict(response.headers),
            content_type=content_type if response.content else None,
        ),
    )


def strict(shape: type, response):
    """The body decoded strictly as `shape`, and encoded back to the same JSON."""
    decoded = msgspec.json.decode(response.content, type=shape)
    assert json.loads(msgspec.json.encode(decoded)) == json.loads(response.content)
    return decoded


def detail_paths(client) -> list[tuple[sections.Section, str]]:
    found = []
    for section in sections.SECTIONS:
        listed = client.get(f"/api/v1/{section.name}/?limit=100").json()["results"]
        found += [
            (section, item["api_url"].split("127.0.0.1:8000", 1)[1]) for item in listed
        ]
    return found


def check_everything(client, spec) -> set[str]:
    """Every list (first page and a middle page) and every detail; the block types seen."""
    for section in SECTIONS:
        for query in ("limit=100", "limit=2&offset=1", "limit=2&cursor=first"):
            path = f"/api/v1/{section.name}/?{query}"
            response = client.get(path)
            assert response.status_code == 200
            validate(spec, response, path)
            strict(schemas.SHAPES[section].list, response)
    block_types = set()
    for section, path in detail_paths(client):
        response = client.get(path)
        validate(spec, response, path)
        detail = strict(schemas.SHAPES[section].detail, response)
        block_types |= {type(block).__struct_config__.tag for block in detail.blocks}
    for taxonomy in ("cities", "target-groups", "topics"):
        response = client.get(f"/api/v1/{taxonomy}/")
        validate(spec, response, f"/api/v1/{taxonomy}/")
        strict(schemas.TermList, response)
    response = client.get("/api/v1/")
    validate(spec, response, "/api/v1/")
    strict(schemas.ApiIndex, response)
    return block_types


def test_document_is_valid_openapi_3_1_without_nullable():
    document = openapi.document()
    validate_document(document)
    assert document["openapi"] == "3.1.0"
    text = json.dumps(document)
    assert '"nullable"' not in text
    assert '"enum": [' not in text.replace('"enum": ["', "")  # no single-value enums


def test_every_demo_response_is_valid(client, spec):
    assert check_everything(client, spec) == {"paragraph"}


def test_generated_content_with_media_and_every_block_is_valid(client, spec, demo):
    image = ImageFactory()
    EventPageFactory(
        occurrences=["with_times", "multi_day", "labelled"],
        contacts=2,
        attachments=[{}, "link", "private"],
        full_body=True,
        with_image=True,
        status=EventStatus.POSTPONED,
        postponed_note="auf 2031",
    )
    EventPageFactory(occurrences=1, full_body=True, body__private=True, image=image)
    EventPageFactory(occurrences=1, image=ImageFactory(private=True))
    for status in EventStatus:
        EventPageFactory(occurrences=1, status=status)
    ProgrammePageFactory(
        full_body=True, with_image=True, contacts=1, attachments=[{}, "link"]
    )
    PressReleasePageFactory(full_body=True, with_image=True)
    NewsletterIssuePageFactory(with_pdf=True, full_body=True, with_image=True)
    NewsletterIssuePageFactory(pdf=DocumentFactory(private=True))
    assert check_everything(client, spec) == set(BodyFactory._meta.model.base_blocks)


def test_private_media_blocks_are_left_out_entirely(get_json):
    event = EventPageFactory(full_body=True, body__private=True)
    detail = get_json(f"/api/v1/events/{event.pk}/")
    assert [block["type"] for block in detail["blocks"]] == [
        "heading",
        "paragraph",
        "quote",
    ]
    assert "Bildunterschrift" not in json.dumps(detail)
    assert "Alternativtext" not in json.dumps(detail)


def test_event_list_round_trips_strictly(client):
    EventPageFactory(occurrences=2, with_image=True, attachments=[{}, "link"])
    response = client.get("/api/v1/events/?limit=100")
    events = msgspec.json.decode(response.content, type=schemas.EventList)
    assert events.count == len(events.results) > 0
    assert {type(event.status) for event in events.results} <= set(
        schemas.STATUS_SHAPES.values()
    )


def test_wrong_status_value_or_unknown_field_is_rejected(client, spec):
    response = client.get("/api/v1/events/?limit=1")
    body = response.json()
    # The label is words (German, or the office's wording in another language); the
    # value is the contract's vocabulary.
    body["results"][0]["status"]["value"] = "falsch"
    tampered = MockResponse(
        json.dumps(body).encode(), headers={}, content_type="application/json"
    )
    with pytest.raises(InvalidData):
        spec.validate_response(
            MockRequest("http://testserver", "get", "/api/v1/events/"), tampered
        )
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(json.dumps(body), type=schemas.EventList)
    body["results"][0]["status"]["value"] = "confirmed"
    body["results"][0]["surprise"] = 1
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(json.dumps(body), type=schemas.EventList)


def test_not_modified_bad_request_not_found_and_method_not_allowed(client, spec):
    first = client.get("/api/v1/events/")
    response = client.get("/api/v1/events/", headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 304
    validate(spec, response, "/api/v1/events/")

    response = client.get("/api/v1/events/?limit=500&bogus=1")
    assert response.status_code == 400
    validate(spec, response, "/api/v1/events/?limit=500&bogus=1")
    problem = strict(schemas.Problem, response)
    assert {param.name for param in problem.invalid_params} == {"limit", "bogus"}

    for path in ("/api/v1/events/999999/", "/api/v1/press/999999/"):
        response = client.get(path)
        assert response.status_code == 404
        validate(spec, response, path)
        assert strict(schemas.Problem, response).type == "about:blank"

    # A POST has no operation of its own; its answer is the documented 405 response.
    response = client.post("/api/v1/events/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    validate(spec, response, "/api/v1/events/")


def test_too_many_requests(client, spec, settings):
    settings.HUB_RATE_LIMIT_REQUESTS = 1
    settings.HUB_RATE_LIMIT_WINDOW = 60
    client.get("/api/v1/cities/")
    response = client.get("/api/v1/cities/")
    assert response.status_code == 429
    validate(spec, response, "/api/v1/cities/")
    strict(schemas.Problem, response)


def test_examples_are_valid_responses(spec):
    for shape, example in examples.EXAMPLES.items():
        body = msgspec.json.encode(example)
        assert msgspec.json.decode(body, type=shape) == example
    document = openapi.document()
    for path, item in document["paths"].items():
        content = item["get"]["responses"]["200"]["content"]["application/json"]
        body = json.dumps(content["examples"]["example"]["value"]).encode()
        concrete = path.replace("{id}", "1")
        spec.validate_response(
            MockRequest("http://testserver", "get", concrete),
            MockResponse(body, headers={}, content_type="application/json"),
        )


def test_every_status_value_has_its_german_label():
    document = openapi.document()
    schemas_ = document["components"]["schemas"]
    assert schemas_["StatusValue"]["oneOf"] == [
        {"const": status.value, "title": status.label} for status in EventStatus
    ]
    for status in EventStatus:
        variant = schemas_[type(schemas.STATUSES[status.value]).__name__]
        assert variant["properties"]["value"] == {"const": status.value}
        assert variant["properties"]["schema_org"] == {"const": status.schema_org}
        label = variant["properties"]["label"]
        assert label["type"] == "string"
        assert label["examples"] == [status.label]
        assert f"„{status.label}“ in German" in label["description"]


def test_list_parameters_are_what_the_filters_accept():
    from pages.filters import COMMON_PARAMETERS, EVENT_PARAMETERS, PAGING_PARAMETERS

    for section in SECTIONS:
        documented = {p["name"] for p in openapi.list_parameters(section)}
        expected = COMMON_PARAMETERS | PAGING_PARAMETERS | paging.PARAMETERS
        if section.event_filters:
            expected |= EVENT_PARAMETERS
        assert documented == expected, section
