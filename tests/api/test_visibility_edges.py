"""Go-live and expiry at the exact instant, as the public sees them (API list and detail).

A page is public from `go_live_at` on (inclusive) and up to, but not at, `expire_at`.
"""

import datetime as dt

from django.utils import timezone

import pytest
import time_machine

from pages.models import EventPage

pytestmark = pytest.mark.django_db
LIST = "/api/v1/events/?limit=100"


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.HUB_RESPONSE_CACHE = False


def seen(client, event: EventPage, at: dt.datetime) -> tuple[bool, bool]:
    """Whether the list shows `event`, and whether its detail answers 200, at `at`."""
    with time_machine.travel(at, tick=False):
        listed = event.pk in [item["id"] for item in client.get(LIST).json()["results"]]
        detail = client.get(f"/api/v1/events/{event.pk}/").status_code
    assert detail in (200, 404)
    return listed, detail == 200


@pytest.fixture
def event():
    return EventPage.objects.visible().first()


def test_public_from_go_live_at_on(client, event):
    moment = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    EventPage.objects.filter(pk=event.pk).update(go_live_at=moment)
    assert seen(client, event, moment - dt.timedelta(seconds=1)) == (False, False)
    assert seen(client, event, moment) == (True, True)
    assert seen(client, event, moment + dt.timedelta(days=1)) == (True, True)


def test_gone_at_expire_at(client, event):
    moment = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    EventPage.objects.filter(pk=event.pk).update(expire_at=moment)
    assert seen(client, event, moment - dt.timedelta(seconds=1)) == (True, True)
    assert seen(client, event, moment) == (False, False)
    assert seen(client, event, moment + dt.timedelta(days=1)) == (False, False)


def test_both_schedules_together(client, event):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    end = start + dt.timedelta(hours=2)
    EventPage.objects.filter(pk=event.pk).update(go_live_at=start, expire_at=end)
    assert seen(client, event, start - dt.timedelta(seconds=1)) == (False, False)
    assert seen(client, event, start + dt.timedelta(hours=1)) == (True, True)
    assert seen(client, event, end) == (False, False)
