import pytest

from pages.models import EventPage

WITTEN_SLUG = "laien-sprachmittlerpool-grundlagenschulung-witten-2020"
TRAUMA_SLUG = "schulung-trauma-kita-2020"


@pytest.fixture
def get_json(client):
    """GET an API URL and return the parsed body, asserting the expected status."""

    def get(url: str, status: int = 200, **headers):
        response = client.get(url, headers=headers)
        assert response.status_code == status, response.content[:500]
        return response.json()

    return get


@pytest.fixture
def witten():
    return EventPage.objects.get(slug=WITTEN_SLUG)


@pytest.fixture
def trauma():
    return EventPage.objects.get(slug=TRAUMA_SLUG)
