from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

pytestmark = pytest.mark.django_db

WITTEN_EVENTS = (
    "Laien-Sprachmittlerpool – Grundlagenschulung in Witten",
    "Workshop für Akteure in der Integrationsarbeit",
)


def titles(html: str) -> int:
    return html.count('<li class="item">')


def test_event_index_filters_by_city_like_the_api(client):
    response = client.get("/veranstaltungen/", {"city": "witten"})
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html) == 2
    for title in WITTEN_EVENTS:
        assert title in html
    assert '<option value="witten" selected>Witten</option>' in html
    assert "2 Einträge" in html


def test_event_index_lists_everything_with_german_dates(client):
    html = client.get("/veranstaltungen/").content.decode()
    assert titles(html) == 14
    assert "Samstag, 26. September bis Sonntag, 4. Oktober 2020" in html
    assert "Sommerferien 2020" in html
    assert "geplant: " in html


def test_upcoming_filter_uses_the_same_rule_as_the_api(client):
    html = client.get("/veranstaltungen/", {"upcoming": "true"}).content.decode()
    assert "Keine Einträge" in html  # the demo's events all lie in the past
    past = client.get("/veranstaltungen/", {"upcoming": "false"}).content.decode()
    assert titles(past) == 14


def test_target_group_filter_on_press(client):
    html = client.get("/presse/", {"target_group": "lehrkraefte"}).content.decode()
    everything = client.get("/presse/").content.decode()
    assert 0 < titles(html) < titles(everything)


@pytest.mark.parametrize(
    "query", ["city=Witten%21", "upcoming=vielleicht", "city=%00", "offset=-1"]
)
def test_bad_filter_values_get_a_friendly_german_400(client, query):
    response = client.get(f"/veranstaltungen/?{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Diese Auswahl können wir nicht anzeigen" in html
    assert "ist ungültig" in html
    assert 'role="alert"' in html


def test_unknown_parameters_such_as_tracking_are_ignored(client):
    response = client.get("/veranstaltungen/?utm_source=newsletter&city=witten")
    assert response.status_code == 200
    assert titles(response.content.decode()) == 2


def test_index_pages_by_twenty(client, demo):
    from tests.factories import PressReleasePageFactory

    for number in range(10):
        PressReleasePageFactory(parent=demo.press, title=f"Meldung {number}")
    first = client.get("/presse/").content.decode()
    assert titles(first) == 20
    assert 'href="?offset=20" rel="next">Weitere Einträge</a>' in first
    second = client.get("/presse/?offset=20").content.decode()
    assert titles(second) == 2
    assert 'href="?offset=0" rel="prev"' in second


def test_index_query_count_does_not_grow_with_the_list(client):
    """Two events or a full page of them: the same queries, within a budget."""

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get("/veranstaltungen/")
    costs = {
        url: queries(url)
        for url in ("/veranstaltungen/?city=witten", "/veranstaltungen/")
    }
    assert len(set(costs.values())) == 1 and max(costs.values()) <= 20, costs


def test_documents_show_their_real_size(client):
    html = client.get(
        "/veranstaltungen/laien-sprachmittlerpool-grundlagenschulung-witten-2020/"
    ).content.decode()
    assert "(PDF, 0\xa0Bytes)" not in html
    assert "(PDF, " in html and "Bytes)" in html
