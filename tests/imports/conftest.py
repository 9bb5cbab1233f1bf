"""A partner's web server serving real-world-shaped iCal files, and a subscription to it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imports.models import CalendarSubscription
from pages.snippets import City
from tests.imports.partner import partner_server

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def partner():
    with partner_server() as state:
        yield state


@pytest.fixture(autouse=True)
def today():
    """The tests' calendars are written for 1 December 2026."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN), tick=True):
        yield dt.date(2026, 12, 1)


@pytest.fixture
def witten():
    return City.objects.get(slug="witten")


@pytest.fixture
def subscribe(partner, witten):
    def make(name: str, **fields) -> CalendarSubscription:
        url = partner.serve(name) if name not in partner.files else partner.url(name)
        fields.setdefault("needs_review", False)
        return CalendarSubscription.objects.create(
            name=f"Partner {name}", url=url, city=witten, **fields
        )

    return make
