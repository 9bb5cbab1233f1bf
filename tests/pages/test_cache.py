"""Editors' changes reach cached public answers at once; schedules end them on time."""

import datetime as dt

from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest
import time_machine

from pages.models import EventPage
from pages.snippets import City

pytestmark = pytest.mark.django_db(transaction=False)

LIST = "/api/v1/events/?limit=100"


@pytest.fixture
def changes(client, django_capture_on_commit_callbacks):
    """Run an editor's action (and its on-commit work); tell whether `url`'s answer changed."""

    def run(action, url: str = LIST) -> bool:
        before = client.get(url)
        assert (
            client.get(url, headers={"If-None-Match": before["ETag"]}).status_code
            == 304
        )
        with django_capture_on_commit_callbacks(execute=True):
            action()
        after = client.get(url, headers={"If-None-Match": before["ETag"]})
        return after.status_code == 200 and after["ETag"] != before["ETag"]

    return run


def test_publish_unpublish_and_restriction_change_the_answer(changes):
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    assert changes(lambda: event.save_revision().publish())
    assert changes(lambda: event.unpublish())
    assert changes(
        lambda: PageViewRestriction.objects.create(
            page=event.get_parent(), restriction_type="login"
        ),
        url="/feeds/events.rss",
    )


def test_renaming_a_city_changes_the_answer(client, changes):
    city = City.objects.get(slug="witten")
    city.name = "Witten (Ruhr)"
    assert changes(city.save, url="/api/v1/events/?city=witten")
    assert "Witten (Ruhr)" in client.get("/api/v1/events/?city=witten").content.decode()


def test_answers_differ_per_query_string(client):
    witten = client.get("/api/v1/events/?city=witten")
    hattingen = client.get("/api/v1/events/?city=hattingen")
    assert witten["ETag"] != hattingen["ETag"]
    assert witten.content != hattingen.content
    assert (
        client.get(
            "/api/v1/events/?city=hattingen", headers={"If-None-Match": witten["ETag"]}
        ).status_code
        == 200
    )


def test_a_cached_list_drops_an_event_when_it_expires(client):
    """No editor action announces an expiry: the cached answer must not outlive it."""
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    expires = timezone.now() + dt.timedelta(seconds=42)
    EventPage.objects.filter(pk=event.pk).update(expire_at=expires)
    assert event.title in client.get(LIST).content.decode()
    with time_machine.travel(expires - dt.timedelta(seconds=1), tick=False):
        assert event.title in client.get(LIST).content.decode()
    with time_machine.travel(expires + dt.timedelta(seconds=1), tick=False):
        assert event.title not in client.get(LIST).content.decode()
