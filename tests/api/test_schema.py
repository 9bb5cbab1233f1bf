"""The OpenAPI contract: complete, self-hosted docs, and the API conforms (fuzzed)."""

import re

from django.contrib.staticfiles import finders
from django.core.wsgi import get_wsgi_application

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings

from pages.enums import EventStatus

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/events/",
    "/api/v1/events/{id}/",
    "/api/v1/press/",
    "/api/v1/press/{id}/",
    "/api/v1/programmes/",
    "/api/v1/programmes/{id}/",
    "/api/v1/newsletters/",
    "/api/v1/newsletters/{id}/",
    "/api/v1/items/",
    "/api/v1/cities/",
    "/api/v1/target-groups/",
    "/api/v1/topics/",
    "/api/v1/changes/",
    "/api/v1/languages/",
    "/api/v1/",
}


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_describes_every_endpoint(openapi):
    assert set(openapi["paths"]) == ENDPOINTS
    assert openapi["openapi"].startswith("3.")


def test_list_parameters_with_enums_and_problem_responses(openapi):
    events = openapi["paths"]["/api/v1/events/"]["get"]
    parameters = {p["name"]: p for p in events["parameters"]}
    assert set(parameters) == {
        "lang",
        "city",
        "target_group",
        "topic",
        "q",
        "updated_since",
        "ordering",
        "limit",
        "offset",
        "cursor",
        "from",
        "to",
        "upcoming",
        "status",
    }
    status_ref = parameters["status"]["schema"]["items"]["$ref"].rsplit("/", 1)[1]
    statuses = openapi["components"]["schemas"][status_ref]["oneOf"]
    assert [s["const"] for s in statuses] == EventStatus.values
    assert [s["title"] for s in statuses] == EventStatus.labels
    assert "-start" in parameters["ordering"]["schema"]["enum"]
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert events["responses"]["400"] == {"$ref": "#/components/responses/BadRequest"}
    bad_request = openapi["components"]["responses"]["BadRequest"]
    assert "application/problem+json" in bad_request["content"]
    press = openapi["paths"]["/api/v1/press/"]["get"]
    assert "status" not in {p["name"] for p in press["parameters"]}
    detail = openapi["paths"]["/api/v1/events/{id}/"]["get"]
    assert [p["name"] for p in detail["parameters"]] == ["id", "lang"]
    assert set(detail["responses"]) == {"200", "304", "400", "404", "405", "429"}
    assert set(openapi["paths"]["/api/v1/events/{id}/"]) == {"get"}


def test_schema_is_yaml_by_default_and_json_on_request(client):
    response = client.get("/api/v1/schema/")
    assert response["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    for accept in ("application/json", "application/vnd.oai.openapi+json"):
        as_json = client.get("/api/v1/schema/", headers={"Accept": accept})
        assert as_json["Content-Type"] == accept
        assert as_json.json() == yaml.safe_load(response.content)
        assert as_json["ETag"] != response["ETag"]
        assert "Accept" in as_json["Vary"]
    again = client.get("/api/v1/schema/", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_docs_are_served_without_any_outside_request(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.findall(r"(?:https?:)?//(?!127\.0\.0\.1|localhost)[\w.-]+\.\w+", html)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "Set-Cookie" not in response
    # No inline script, so the page runs under a strict script-src 'self'.
    assert re.findall(r"<script>", html) == []
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "https:" not in policy
    [init_script] = re.findall(r'<script src="(/api/v1/docs/\?[^"]*script[^"]*)"', html)
    script = client.get(init_script.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


# Loaded at collection; describing the API needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, keep_test_connection):
    # A schema cannot say "`to` not before `from`", so a schema-valid request may be a
    # correct 400; every other check (no 5xx, documented statuses, content types and
    # response bodies, invalid input rejected) applies.
    case.call_and_validate(
        excluded_checks=[schemathesis.checks.positive_data_acceptance]
    )
