"""A client generated from the OpenAPI document reads every real response.

Partners generate models from `/api/v1/schema/` (datamodel-code-generator is one of the
common tools). The models generated here forbid unknown fields and turn `const` values
into literals, so a response with a field, type or label the document does not describe
fails to load, as it would in a partner's strict client.
"""

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from datamodel_code_generator import DataModelType, InputFileType, generate
from datamodel_code_generator.format import Formatter
from pydantic import ValidationError

from pages import sections
from pages.api import openapi
from pages.enums import EventStatus
from tests.factories import (
    DocumentFactory,
    EventPageFactory,
    NewsletterIssuePageFactory,
    PressReleasePageFactory,
    ProgrammePageFactory,
)

pytestmark = pytest.mark.django_db

LIST_MODELS = {
    sections.EVENTS: ("EventList", "EventDetail"),
    sections.PRESS: ("PressList", "PressDetail"),
    sections.PROGRAMMES: ("ProgrammeList", "ProgrammeDetail"),
    sections.NEWSLETTERS: ("NewsletterList", "NewsletterDetail"),
}


@pytest.fixture(scope="module")
def client_models(tmp_path_factory) -> ModuleType:
    """Pydantic v2 models generated from the served document, imported as a module."""
    folder = tmp_path_factory.mktemp("generated_client")
    code = generate(
        json.dumps(openapi.document()),
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        extra_fields="forbid",
        enum_field_as_literal="all",
        strict_nullable=True,
        formatters=[Formatter.BUILTIN],
    )
    path = Path(folder) / "hub_client_models.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location("hub_client_models", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_the_registry_and_the_generated_models_name_the_same_sections(client_models):
    assert set(LIST_MODELS) == set(sections.SECTIONS)
    for list_model, detail_model in LIST_MODELS.values():
        assert hasattr(client_models, list_model)
        assert hasattr(client_models, detail_model)


def test_every_list_and_detail_loads_into_the_generated_models(client, client_models):
    EventPageFactory(
        occurrences=["with_times", "multi_day", "labelled"],
        contacts=2,
        attachments=[{}, "link", "private"],
        full_body=True,
        with_image=True,
        status=EventStatus.POSTPONED,
        postponed_note="auf 2031",
    )
    for status in EventStatus:
        EventPageFactory(occurrences=1, status=status)
    ProgrammePageFactory(full_body=True, with_image=True, contacts=1, attachments=[{}])
    PressReleasePageFactory(full_body=True, with_image=True)
    NewsletterIssuePageFactory(with_pdf=True, full_body=True, with_image=True)
    NewsletterIssuePageFactory(pdf=DocumentFactory(private=True))

    loaded = 0
    for section, (list_name, detail_name) in LIST_MODELS.items():
        response = client.get(f"/api/v1/{section.name}/?limit=100")
        assert response.status_code == 200
        page = getattr(client_models, list_name).model_validate_json(response.content)
        assert page.count == len(page.results) > 0
        for item in response.json()["results"]:
            detail = client.get(item["api_url"])
            assert detail.status_code == 200, item["api_url"]
            getattr(client_models, detail_name).model_validate_json(detail.content)
            loaded += 1
    everything = client.get("/api/v1/items/?limit=100")
    client_models.ItemList.model_validate_json(everything.content)
    for taxonomy in ("cities", "target-groups", "topics"):
        terms = client.get(f"/api/v1/{taxonomy}/")
        client_models.TermList.model_validate_json(terms.content)
    assert loaded > len(EventStatus)


def test_problems_load_into_the_generated_problem_model(client, client_models):
    response = client.get("/api/v1/events/?limit=500&bogus=1")
    assert response.status_code == 400
    problem = client_models.Problem.model_validate_json(response.content)
    assert {param.name for param in problem.invalid_params} == {"limit", "bogus"}
    missing = client.get("/api/v1/events/999999/")
    assert client_models.Problem.model_validate_json(missing.content).status == 404


def test_the_generated_models_reject_what_the_document_does_not_describe(
    client, client_models
):
    EventPageFactory(occurrences=1)
    body = client.get("/api/v1/events/?limit=1").json()
    client_models.EventList.model_validate(body)

    wrong_status = json.loads(json.dumps(body))
    wrong_status["results"][0]["status"]["value"] = "falsch"
    with pytest.raises(ValidationError):
        client_models.EventList.model_validate(wrong_status)

    unknown_field = json.loads(json.dumps(body))
    unknown_field["results"][0]["surprise"] = 1
    with pytest.raises(ValidationError):
        client_models.EventList.model_validate(unknown_field)
