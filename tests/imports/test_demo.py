"""The demo's own sample partner calendar: served by the hub, imported without internet."""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

import pytest

from imports import importer
from imports.models import CalendarSubscription, ImportedEvent, RunStatus

pytestmark = pytest.mark.django_db


def test_the_hub_serves_the_sample_calendar_and_the_demo_subscribes_to_it(
    client, partner, today
):
    answer = client.get("/demo/partner-kalender.ics")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    again = client.get("/demo/partner-kalender.ics", HTTP_IF_NONE_MATCH=answer["ETag"])
    assert again.status_code == 304

    call_command("ensure_demo_import", stdout=open("/dev/null", "w"))  # noqa: SIM115
    subscription = CalendarSubscription.objects.get()
    assert subscription.url == f"{settings.SITE_BASE_URL}/demo/partner-kalender.ics"
    assert subscription.city.slug == "witten"
    assert subscription.needs_review
    # `make run` starts worker and server together: the first fetch waits for the server.
    assert subscription.next_fetch_at > timezone.now() + dt.timedelta(seconds=20)
    assert importer.enqueue_due() == 0

    # What `make run` fetches from itself, here from the partner's test server.
    subscription.url = partner.serve("demo.ics", answer.content)
    run = importer.run(subscription)

    assert run.status == RunStatus.SUCCEEDED, run.errors
    assert run.created == 3
    series = ImportedEvent.objects.get(uid__startswith="sprachtreff").page
    dates = sorted(o.start_date for o in series.occurrences.all())
    # Ten Tuesdays, the third one cancelled (EXDATE).
    assert len(dates) == 9
    assert all(day.weekday() == 1 for day in dates)
    assert dates[2] - dates[1] == dt.timedelta(weeks=2)
    exhibition = ImportedEvent.objects.get(uid__startswith="ausstellung").page
    # Running since last week: still imported, with its whole span.
    assert exhibition.occurrences.get().start_date == today - dt.timedelta(days=7)


def test_a_failed_fetch_is_tried_again_soon(partner, witten):
    subscription = CalendarSubscription.objects.create(
        name="Weg", url=partner.url("fehlt.ics"), city=witten, interval_hours=24
    )
    subscription.schedule_next()
    subscription.save()

    run = importer.run(subscription)

    assert run.status == RunStatus.FAILED
    subscription.refresh_from_db()
    assert subscription.next_fetch_at <= run.finished_at + importer.RETRY_AFTER
