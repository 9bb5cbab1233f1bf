"""Repeated parameters are never silently dropped, on any surface (CONTRACT 1.1).

A list parameter given twice means the comma-separated list; any other parameter given
twice is a 400 naming it. The cases come from the section registry and the parsers' own
parameter lists, so a new parameter, section or surface is covered the day it lands.
"""

import json
from urllib.parse import urlencode

import pytest

from embeds.style import EMBED_PARAMETERS
from pages import sections
from pages.api import openapi, paging
from pages.api.v2 import LIST_PARAMETERS as V2_LIST_PARAMETERS
from pages.api.v2 import VisiblePagesAPIViewSet
from pages.enums import EventStatus
from pages.filters import LIST_PARAMETERS, ContentQuery
from tests.factories import (
    CityFactory,
    EventPageFactory,
    NewsletterIssuePageFactory,
    PressReleasePageFactory,
    ProgrammePageFactory,
    TargetGroupFactory,
    TopicFactory,
)

from .surfaces import require_routed

pytestmark = pytest.mark.django_db

ALL = (*sections.SECTIONS, sections.ALL_ITEMS)
PROBLEM = "application/problem+json"

# A valid value for every single-value parameter of every surface; a parameter the
# parsers gain without a value here fails `test_every_parameter_has_a_sample`.
SINGLE_VALUES = {
    "q": "Integration",
    "lang": "ar",
    "updated_since": "2000-01-01T00:00:00Z",
    "limit": "5",
    "offset": "0",
    "cursor": "first",
    "from": "2000-01-01",
    "to": "2100-01-01",
    "upcoming": "true",
    "format": "html",
    "title": "Liste",
    "heading": "2",
    "accent": "00567a",
    "text": "222222",
    "background": "ffffff",
    "font": "serif",
}
FACTORIES = {
    sections.EVENTS: EventPageFactory,
    sections.PRESS: PressReleasePageFactory,
    sections.PROGRAMMES: ProgrammePageFactory,
    sections.NEWSLETTERS: NewsletterIssuePageFactory,
    sections.ALL_ITEMS: PressReleasePageFactory,
}


def surfaces(section: sections.Section) -> list[tuple[str, str, frozenset[str]]]:
    """(kind, path, parameters it reads) of every surface listing `section`."""
    found = [
        (
            "api",
            f"/api/v1/{section.name}/",
            ContentQuery.allowed_parameters(section.name) | paging.PARAMETERS,
        ),
        (
            "feed",
            f"/feeds/{section.feed_path_name}.rss",
            ContentQuery.allowed_parameters(
                section.name, paginated=False, event_filters=section.has_calendar
            ),
        ),
    ]
    if section in sections.SECTIONS:
        allowed = ContentQuery.allowed_parameters(section.name)
        found += [
            ("embed", f"/embed/{section.name}/", allowed | EMBED_PARAMETERS),
            ("page", section.path, allowed),
        ]
    return found


def value_of(section: sections.Section, name: str) -> str:
    return section.default_ordering if name == "ordering" else SINGLE_VALUES[name]


CASES = [
    pytest.param(section, kind, path, name, id=f"{kind}:{path}:{name}")
    for section in ALL
    for kind, path, names in surfaces(section)
    for name in sorted(names)
]
SINGLE = [case for case in CASES if case.values[3] not in LIST_PARAMETERS]
LISTS = [case for case in CASES if case.values[3] in LIST_PARAMETERS]


def body(response) -> str:
    return response.content.decode("utf-8", errors="replace")


def test_every_parameter_has_a_sample():
    single = {case.values[3] for case in SINGLE} - {"ordering"}
    assert single <= set(SINGLE_VALUES), single - set(SINGLE_VALUES)
    assert {case.values[3] for case in LISTS} == LIST_PARAMETERS


@pytest.mark.parametrize(("section", "kind", "path", "name"), SINGLE)
def test_single_value_parameter_given_twice_is_a_400_naming_it(
    client, section, kind, path, name
):
    require_routed(path)
    value = value_of(section, name)
    once = client.get(f"{path}?{urlencode({name: value})}")
    assert once.status_code == 200, (path, name, body(once)[:300])
    response = client.get(f"{path}?{urlencode([(name, value), (name, value)])}")
    assert response.status_code == 400, (path, name)
    if kind == "api":
        assert response["Content-Type"] == PROBLEM
        reasons = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
        assert "more than once" in reasons[name]
    elif kind == "feed":
        assert f"- {name}: " in body(response)
    else:
        assert f"„{name}“ darf nur einmal vorkommen" in body(response)


@pytest.fixture
def two_items():
    """For a section and a list parameter: one visible item per value (titles, values)."""

    def make(section: sections.Section, name: str):
        factory = EventPageFactory if name == "status" else FACTORIES[section]
        made = []
        for index, status in enumerate((EventStatus.CANCELLED, EventStatus.CONFIRMED)):
            city, group, topic = CityFactory(), TargetGroupFactory(), TopicFactory()
            title = f"Wiederholt-{'AB'[index]}-{section.name}-{name}"
            kwargs = {"title": title, "target_groups": [group], "topics": [topic]}
            if factory is EventPageFactory:
                kwargs |= {"city": city, "status": status, "occurrences": 1}
            else:
                kwargs["cities"] = [city]
            factory(**kwargs)
            value = {
                "city": city.slug,
                "target_group": group.slug,
                "topic": topic.slug,
                "status": status.value,
            }[name]
            made.append((title, value))
        return made

    return make


@pytest.mark.parametrize(("section", "kind", "path", "name"), LISTS)
def test_list_parameter_given_twice_means_both_values(
    client, two_items, section, kind, path, name
):
    require_routed(path)
    (title_a, a), (title_b, b) = two_items(section, name)
    repeated = client.get(f"{path}?{urlencode([(name, a), (name, b)])}")
    joined = client.get(f"{path}?{urlencode({name: f'{a},{b}'})}")
    assert repeated.status_code == joined.status_code == 200, (path, name)
    for response in (repeated, joined):
        assert title_a in body(response), (path, name)
        assert title_b in body(response), (path, name)
    if kind == "api":
        assert repeated.json()["results"] == joined.json()["results"]


def test_list_parameter_repeated_and_comma_separated_together(client, two_items):
    (title_a, a), (title_b, b) = two_items(sections.PRESS, "topic")
    response = client.get(f"/api/v1/press/?topic={a},gibt-es-nicht&topic={b}")
    titles = {item["title"] for item in response.json()["results"]}
    assert titles == {title_a, title_b}


def test_embed_keeps_every_repeated_filter_in_its_link_to_the_index(client, two_items):
    (_, a), (_, b) = two_items(sections.PRESS, "city")
    response = client.get(f"/embed/press/?city={a}&city={b}")
    assert f"/presse/?city={a}%2C{b}" in body(response)


@pytest.mark.parametrize("section", ALL, ids=str)
def test_openapi_describes_lists_as_exploded_arrays_and_singles_as_one_value(section):
    documented = openapi.list_parameters(section)
    assert {p["name"] for p in documented} == ContentQuery.allowed_parameters(
        section.name
    ) | paging.PARAMETERS
    for parameter in documented:
        if parameter["name"] in LIST_PARAMETERS:
            assert parameter["schema"]["type"] == "array", parameter
            assert (parameter["style"], parameter["explode"]) == ("form", True)
        else:
            assert parameter["schema"].get("type") != "array", parameter
            assert "more than once: 400" in parameter["description"], parameter


V2_PARAMETERS = sorted(
    VisiblePagesAPIViewSet.known_query_parameters - V2_LIST_PARAMETERS
)


@pytest.mark.parametrize("name", V2_PARAMETERS)
def test_wagtail_v2_parameter_given_twice_is_a_400_naming_it(client, name):
    response = client.get(f"/api/v2/pages/?{name}=1&{name}=1")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert [p["name"] for p in response.json()["invalid_params"]] == [name]


@pytest.mark.parametrize(
    ("repeated", "joined"),
    [
        ("order=title&order=-id", "order=title,-id"),
        ("fields=search_description&fields=-title", "fields=search_description,-title"),
        (
            "type=pages.PressReleasePage&type=pages.EventPage",
            "type=pages.PressReleasePage,pages.EventPage",
        ),
    ],
)
def test_wagtail_v2_comma_lists_given_twice_are_joined(client, repeated, joined):
    first = client.get(f"/api/v2/pages/?{repeated}&limit=100")
    second = client.get(f"/api/v2/pages/?{joined}&limit=100")
    assert first.status_code == second.status_code == 200
    assert json.loads(first.content) == json.loads(second.content)
