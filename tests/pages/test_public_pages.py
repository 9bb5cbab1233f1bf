from wagtail.models import Page

import pytest

pytestmark = pytest.mark.django_db


def test_every_demo_page_renders(client):
    pages = Page.objects.live().filter(depth__gte=2).specific()
    # The German demo and each language's home and four index pages.
    assert len(pages.filter(locale__language_code="de")) == 34
    assert len(pages) == 34 + 7 * 5
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url


def test_event_page_shows_status_dates_and_contact(client):
    response = client.get(
        "/veranstaltungen/laien-sprachmittlerpool-grundlagenschulung-witten-2020/"
    )
    html = response.content.decode()
    assert '<p class="status status-confirmed">Findet statt</p>' in html
    for date in (
        "Montag, 24. August 2020, 15:00–19:00 Uhr",
        "Mittwoch, 26. August 2020, 15:00–19:00 Uhr",
        "Montag, 31. August 2020, 15:00–19:00 Uhr",
    ):
        assert date in html
    assert 'href="tel:+492336932695"' in html


def test_index_lists_only_its_items(client):
    html = client.get("/presse/").content.decode()
    assert "Woche der Vielfalt – Rund 30 Akteure boten Programm" in html
    assert "Healing Classrooms" not in html
