"""A series event's translation tells its rhythm in the reader's language."""

import pytest

from tests.i18n.translating import translate

pytestmark = pytest.mark.django_db


def test_the_arabic_page_of_a_series_says_its_rhythm_in_arabic(
    client, series_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        arabic = translate(series_event, "ar", prefix="عربي")
    german = client.get(series_event.url).content.decode()
    assert "Jeden Donnerstag" in german
    html = client.get(arabic.url).content.decode()
    assert "كل يوم خميس" in html
    assert "Donnerstag" not in html
