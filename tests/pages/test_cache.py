import datetime as dt

from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from pages.caching import cache_key, content_version
from pages.caching.version import seconds_until_next_schedule_change
from pages.models import EventPage
from pages.snippets import City

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def changes(django_capture_on_commit_callbacks):
    """Run the body, then the on-commit callbacks, and tell whether the version changed."""

    def run(action):
        before = content_version()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return content_version() != before

    return run


def test_publish_unpublish_and_restriction_change_the_version(changes):
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    assert changes(lambda: event.save_revision().publish())
    assert changes(lambda: event.unpublish())
    assert changes(
        lambda: PageViewRestriction.objects.create(
            page=event.get_parent(), restriction_type="login"
        )
    )


def test_renaming_a_city_changes_the_version(changes):
    city = City.objects.get(slug="witten")
    city.name = "Witten (Ruhr)"
    assert changes(city.save)


def test_keys_differ_per_version_and_parts(changes):
    key = cache_key("api", "/api/v1/events/", "city=witten")
    assert key != cache_key("api", "/api/v1/events/", "city=hattingen")
    city = City.objects.get(slug="witten")
    changes(city.save)
    assert key != cache_key("api", "/api/v1/events/", "city=witten")


def test_cache_lifetime_stops_at_the_next_scheduled_expiry():
    assert seconds_until_next_schedule_change(300) == 300
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    event.expire_at = timezone.now() + dt.timedelta(seconds=42)
    event.save()
    assert 40 <= seconds_until_next_schedule_change(300) <= 42
