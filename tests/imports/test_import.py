"""Partners' calendars become draft events with Berlin dates; editors' changes survive."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import override_settings

from wagtail.models import WorkflowState

import pytest
import time_machine

from imports import importer
from imports.models import ImportedEvent, ImportRun, RunStatus
from pages.enums import EventStatus
from pages.models import EventPage

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def dates_of(page):
    return [
        (o.start_date, o.end_date, o.start_time, o.end_time)
        for o in sorted(
            page.occurrences.all(),
            key=lambda o: (o.start_date, o.start_time or dt.time.min),
        )
    ]


def imported_page(subscription, uid_part):
    record = ImportedEvent.objects.get(
        subscription=subscription, uid__contains=uid_part
    )
    return record.page.get_latest_revision_as_object()


def test_the_events_calendar_export_becomes_drafts_in_the_subscriptions_city(
    subscribe, witten, demo
):
    subscription = subscribe("events-calendar.ics")
    run = importer.run(subscription)

    assert run.status == RunStatus.SUCCEEDED, run.errors
    assert (run.created, run.updated, run.errors) == (4, 0, [])
    evening = imported_page(subscription, "10234-")
    assert evening.title == "Interkultureller Abend im Haus Witten"
    assert evening.live is False
    assert evening.city == witten
    assert evening.get_parent().specific == demo.events
    assert dates_of(evening) == [(dt.date(2027, 1, 14), None, dt.time(18), dt.time(20))]
    assert evening.teaser == "Musik, Essen und Gespräche aus aller Welt. Eintritt frei."
    body = str(evening.body)
    assert "Haus Witten, Ruhrstraße 86" in body
    assert "https://www.witten.de/veranstaltung/interkultureller-abend/" in body
    # All-day over three days (DTEND is exclusive), one all-day day, four months.
    assert dates_of(imported_page(subscription, "10240-")) == [
        (dt.date(2027, 6, 1), dt.date(2027, 6, 3), None, None)
    ]
    assert dates_of(imported_page(subscription, "10241-")) == [
        (dt.date(2027, 3, 1), None, None, None)
    ]
    assert dates_of(imported_page(subscription, "10250@")) == [
        (dt.date(2026, 12, 15), dt.date(2027, 4, 30), dt.time(9), dt.time(17))
    ]
    # Past events are not imported.
    assert not ImportedEvent.objects.filter(uid="9000@www.witten.de").exists()
    assert not EventPage.objects.filter(title="Längst vorbei").exists()


def test_outlook_windows_time_zone_names_and_cancelled_events(subscribe):
    subscription = subscribe("outlook.ics")
    run = importer.run(subscription)

    assert run.status == RunStatus.SUCCEEDED, run.errors
    cafe = imported_page(subscription, "E1F2")
    # 09:30 "W. Europe Standard Time" in April (summer time) is 09:30 in Berlin.
    assert dates_of(cafe) == [
        (dt.date(2027, 4, 6), None, dt.time(9, 30), dt.time(11, 30))
    ]
    assert cafe.status == EventStatus.SCHEDULED
    assert imported_page(subscription, "E1F3").status == EventStatus.CANCELLED


def test_google_utc_series_expand_with_moved_and_cancelled_dates_across_dst(subscribe):
    subscription = subscribe("google.ics")
    run = importer.run(subscription)

    assert run.status == RunStatus.SUCCEEDED, run.errors
    cafe = imported_page(subscription, "5q8n3k1v2abcdefg")
    dates = dates_of(cafe)
    # 14 Tuesdays at 17:00 UTC, one moved to Thursday 21 January, one cancelled.
    assert len(dates) == 13
    assert dates[0] == (dt.date(2027, 1, 5), None, dt.time(18), dt.time(19, 30))
    assert (dt.date(2027, 1, 21), None, dt.time(18), dt.time(19, 30)) in dates
    assert not any(d[0] in (dt.date(2027, 1, 19), dt.date(2027, 2, 2)) for d in dates)
    # With X-WR-TIMEZONE the series keeps its Berlin wall-clock time across the change
    # to summer time (28 March), as Google Calendar shows it.
    assert dates[-1] == (dt.date(2027, 4, 6), None, dt.time(18), dt.time(19, 30))
    # A floating time is Berlin time (X-WR-TIMEZONE).
    assert dates_of(imported_page(subscription, "floating-1")) == [
        (dt.date(2027, 3, 20), None, dt.time(12), dt.time(14))
    ]


def test_a_utc_series_without_calendar_time_zone_follows_utc(subscribe, partner):
    partner.serve(
        "utc.ics",
        partner.serve("google.ics")
        and partner.files["google.ics"].replace(b"X-WR-TIMEZONE:Europe/Berlin\n", b""),
    )
    subscription = subscribe("utc.ics")
    importer.run(subscription)

    dates = dates_of(imported_page(subscription, "5q8n3k1v2abcdefg"))
    assert dates[0] == (dt.date(2027, 1, 5), None, dt.time(18), dt.time(19, 30))
    # After the change to summer time 17:00 UTC is 19:00 in Berlin.
    assert dates[-1] == (dt.date(2027, 4, 6), None, dt.time(19), dt.time(20, 30))


def test_a_second_run_asks_conditionally_and_changes_nothing(subscribe, partner):
    subscription = subscribe("events-calendar.ics")
    importer.run(subscription)
    revisions = {r.page_id: r.revision_id for r in ImportedEvent.objects.all()}

    second = importer.run(subscription)

    assert second.status == RunStatus.NOT_MODIFIED
    _name, headers = partner.requests[-1]
    assert headers["if-none-match"].startswith('"')
    assert headers["if-modified-since"] == "Fri, 20 Nov 2026 10:00:00 GMT"
    assert {r.page_id: r.revision_id for r in ImportedEvent.objects.all()} == revisions
    assert EventPage.objects.filter(title__startswith="Interkultureller").count() == 1


def test_a_changed_source_updates_the_draft_keeping_the_editors_additions(
    subscribe, partner
):
    subscription = subscribe("events-calendar.ics")
    importer.run(subscription)
    page = imported_page(subscription, "10234-")
    page.registration_required = True  # not a field the import manages
    page.save_revision()
    changed = partner.files["events-calendar.ics"].replace(
        b"20270114T180000", b"20270114T190000"
    )
    partner.serve("events-calendar.ics", changed)

    run = importer.run(subscription)

    assert (run.updated, run.conflicts, run.unchanged) == (1, 0, 3)
    page = imported_page(subscription, "10234-")
    assert dates_of(page) == [(dt.date(2027, 1, 14), None, dt.time(19), dt.time(20))]
    assert page.registration_required is True


def test_an_editors_change_is_never_overwritten_but_shown_as_conflict(
    subscribe, partner
):
    subscription = subscribe("events-calendar.ics")
    importer.run(subscription)
    page = imported_page(subscription, "10234-")
    page.title = "Interkultureller Abend (mit Anmeldung)"
    editor_revision = page.save_revision()
    partner.serve(
        "events-calendar.ics",
        partner.files["events-calendar.ics"].replace(
            b"SUMMARY:Interkultureller Abend im Haus Witten",
            b"SUMMARY:Interkultureller Abend - neuer Titel",
        ),
    )

    run = importer.run(subscription)

    assert run.conflicts == 1
    record = ImportedEvent.objects.get(uid__startswith="10234-")
    assert record.conflict_since is not None
    assert record.page.get_latest_revision() == editor_revision
    assert imported_page(subscription, "10234-").title == (
        "Interkultureller Abend (mit Anmeldung)"
    )
    # The editor decides for the source: its state becomes the new draft.
    importer.take_source(record)
    record.refresh_from_db()
    assert record.conflict_since is None
    assert imported_page(subscription, "10234-").title == (
        "Interkultureller Abend - neuer Titel"
    )


def test_needs_review_submits_new_events_to_the_review_workflow(subscribe):
    subscription = subscribe("outlook.ics", needs_review=True)
    importer.run(subscription)

    page = ImportedEvent.objects.get(uid__endswith="E1F2").page
    state = WorkflowState.objects.get(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    assert state.workflow.name == "Freigabe durch die Redaktion"
    assert page.live is False


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            lambda p: p.serve("x.ics", b"<html>Nicht gefunden</html>"),
            "keine iCal-Datei",
        ),
        (
            lambda p: p.serve(
                "x.ics",
                b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTA",
            ),
            "unvollständig",
        ),
        (lambda p: p.statuses.update({"x.ics": 404}), "HTTP 404"),
        (
            lambda p: p.serve(
                "x.ics",
                b"BEGIN:VCALENDAR\r\n"
                + b"X-PAD:"
                + b"a" * 3000
                + b"\r\nEND:VCALENDAR\r\n",
            ),
            "größer als 1 KiB",
        ),
    ],
    ids=["not-ical", "truncated", "404", "too-big"],
)
@override_settings(HUB_IMPORT_MAX_BYTES=1024)
def test_broken_calendars_fail_the_run_with_a_german_reason(
    partner, witten, setup, message
):
    from imports.models import CalendarSubscription

    setup(partner)
    subscription = CalendarSubscription.objects.create(
        name="Kaputt", url=partner.url("x.ics"), city=witten
    )
    run = importer.run(subscription)

    assert run.status == RunStatus.FAILED
    assert message in run.errors[0]
    assert not ImportedEvent.objects.exists()


def test_a_server_that_does_not_answer_in_time_fails_the_run(
    partner, witten, monkeypatch
):
    from imports.models import CalendarSubscription

    partner.serve("slow.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    partner.delays["slow.ics"] = 2
    original = importer.outbound.request
    monkeypatch.setattr(
        importer.outbound,
        "request",
        lambda *args, **kwargs: original(*args, read_timeout=0.3, **kwargs),
    )
    subscription = CalendarSubscription.objects.create(
        name="Langsam", url=partner.url("slow.ics"), city=witten
    )
    run = importer.run(subscription)

    assert run.status == RunStatus.FAILED
    assert "Zeitüberschreitung" in run.errors[0]


@override_settings(HUB_OUTBOUND_ALLOW_PRIVATE=False)
def test_private_addresses_are_refused_in_production(partner, witten):
    from imports.models import CalendarSubscription

    subscription = CalendarSubscription.objects.create(
        name="Intern", url=partner.serve("google.ics"), city=witten
    )
    run = importer.run(subscription)

    assert run.status == RunStatus.FAILED
    assert "Loopback" in run.errors[0]
    assert partner.requests == []


def test_the_periodic_pass_queues_due_subscriptions_once(
    subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe("google.ics")

    with django_capture_on_commit_callbacks(execute=True):
        assert importer.enqueue_due() == 1
        assert importer.enqueue_due() == 0
    run = ImportRun.objects.get(subscription=subscription)
    assert run.status == RunStatus.SUCCEEDED
    subscription.refresh_from_db()
    assert subscription.next_fetch_at > dt.datetime.now(tz=dt.UTC) + dt.timedelta(
        hours=5
    )


def test_an_event_that_fails_to_save_is_retried_by_the_next_run(
    subscribe, partner, monkeypatch
):
    subscription = subscribe("google.ics")
    original = importer.create_page

    def failing(subscription, index, uid, source):
        if uid.startswith("floating-1"):
            raise RuntimeError("disk full")
        return original(subscription, index, uid, source)

    monkeypatch.setattr(importer, "create_page", failing)
    first = importer.run(subscription)
    assert first.status == RunStatus.PARTIAL
    assert first.created == 1
    # German for editors; the exception's own (English) text goes to the log only.
    assert first.errors == [
        "„Frühlingsfest“ konnte nicht gespeichert werden (RuntimeError); Einzelheiten "
        "stehen im Server-Protokoll. Der nächste Abruf versucht es erneut."
    ]

    monkeypatch.setattr(importer, "create_page", original)
    second = importer.run(subscription)

    assert second.status == RunStatus.SUCCEEDED
    assert (second.created, second.unchanged) == (1, 1)


def test_an_event_deleted_in_the_hub_is_not_imported_again(subscribe, partner):
    subscription = subscribe("outlook.ics")
    importer.run(subscription)
    ImportedEvent.objects.get(uid__endswith="E1F2").page.delete()
    partner.serve(
        "outlook.ics",
        partner.files["outlook.ics"].replace(b"Elterncaf\xc3\xa9", b"Elterntreff"),
    )

    run = importer.run(subscription)

    assert run.status == RunStatus.SUCCEEDED
    assert run.created == 0
    assert not EventPage.objects.filter(title__startswith="Eltern").exists()


def test_a_very_long_uid_is_imported(subscribe, partner):
    uid = "x" * 700 + "@partner.de"
    partner.serve(
        "lang.ics",
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nSUMMARY:Lange UID\r\n"
            "DTSTART;TZID=Europe/Berlin:20270210T190000\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode(),
    )
    subscription = subscribe("lang.ics")

    first = importer.run(subscription)
    partner.serve("lang.ics", partner.files["lang.ics"].replace(b"Lange", b"Neue"))
    second = importer.run(subscription)

    assert (first.created, first.errors) == (1, [])
    assert (second.updated, second.errors) == (1, [])
    record = ImportedEvent.objects.get(subscription=subscription)
    assert len(record.uid) <= 500


def latest(record):
    return EventPage.objects.get(pk=record.page_id).get_latest_revision_as_object()


def later(day: dt.date):
    """Time moves on to 09:00 Berlin time on `day`."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 9, tzinfo=BERLIN), tick=True
    )


def test_a_source_change_keeps_the_dates_that_already_happened(subscribe, partner):
    subscription = subscribe("google.ics")
    importer.run(subscription)
    record = ImportedEvent.objects.get(uid__startswith="5q8n3k1v2abcdefg")
    before = dates_of(latest(record))
    # In February the partner rewrites the description and moves the last Tuesday.
    partner.serve(
        "google.ics",
        partner.files["google.ics"]
        .replace(b"Kaffee und Kuchen", b"Tee und Keksen")
        .replace(b"COUNT=14", b"COUNT=13"),
    )

    with later(dt.date(2027, 2, 10)):
        run = importer.run(subscription)

    assert (run.updated, run.conflicts, run.errors) == (1, 0, [])
    page = latest(record)
    assert "Tee und Keksen" in page.teaser
    dates = dates_of(page)
    # January's dates (and the moved 21 January) stay as the hub showed them ...
    assert [d for d in dates if d[0] < dt.date(2027, 2, 10)] == [
        d for d in before if d[0] < dt.date(2027, 2, 10)
    ]
    assert (dt.date(2027, 1, 21), None, dt.time(18), dt.time(19, 30)) in dates
    # ... and the future ones follow the source, each once.
    assert dates[-1] == (dt.date(2027, 3, 30), None, dt.time(18), dt.time(19, 30))
    assert len(dates) == len(set(dates)) == len(before) - 1


WEEKLY = """UID:sprachtreff@partner.de
SUMMARY:Sprachtreff
DTSTAMP:20261120T120000Z
DTSTART;TZID=Europe/Berlin:20261103T170000
DTEND;TZID=Europe/Berlin:20261103T190000
RRULE:FREQ=WEEKLY"""


def endless_series(subscribe, partner, **fields):
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//DE\r\nBEGIN:VEVENT\r\n"
        + WEEKLY.replace("\n", "\r\n")
        + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    partner.serve("endlos.ics", body)
    subscription = subscribe("endlos.ics", **fields)
    assert importer.run(subscription).created == 1
    return subscription, ImportedEvent.objects.get(subscription=subscription)


def revisions(record):
    return record.page.revisions.count()


def test_an_endless_series_gets_newer_dates_as_time_passes_even_on_304(
    subscribe, partner
):
    subscription, record = endless_series(subscribe, partner, needs_review=True)
    first = dates_of(latest(record))
    assert first[-1][0] <= dt.date(2027, 12, 2)
    count = revisions(record)

    with later(dt.date(2026, 12, 15)):
        run = importer.run(subscription)

    assert partner.requests[-1][1]["if-none-match"]  # answered 304, not downloaded
    assert (run.status, run.updated) == (RunStatus.SUCCEEDED, 1)
    dates = dates_of(latest(record))
    assert dates[-1][0] == dt.date(2027, 12, 14)
    # The dates of the two weeks that passed are still there.
    assert dates[: len(first)] == first
    assert revisions(record) == count + 1
    workflows = WorkflowState.objects.filter(object_id=str(record.page_id)).count()

    # Further days: no new revision, no new review, until a week's dates are missing.
    for day in range(16, 22):
        with later(dt.date(2026, 12, day)):
            assert importer.run(subscription).status == RunStatus.NOT_MODIFIED
    assert revisions(record) == count + 1
    assert WorkflowState.objects.filter(object_id=str(record.page_id)).count() == (
        workflows
    )


def test_an_unchanged_download_extends_an_endless_series_only_weekly(
    subscribe, partner
):
    subscription, record = endless_series(subscribe, partner)
    count = revisions(record)

    for day in range(2, 8):  # the server has no conditional GET: 200 every time
        subscription.forget_validators()
        with later(dt.date(2026, 12, day)):
            assert importer.run(subscription).unchanged == 1
    assert revisions(record) == count

    subscription.forget_validators()
    with later(dt.date(2026, 12, 9)):
        run = importer.run(subscription)

    assert run.updated == 1
    assert revisions(record) == count + 1


def test_days_passing_do_not_rewrite_a_series_that_ends(subscribe):
    subscription = subscribe("google.ics")
    importer.run(subscription)
    record = ImportedEvent.objects.get(uid__startswith="5q8n3k1v2abcdefg")
    count = revisions(record)

    for day in (dt.date(2026, 12, 10), dt.date(2027, 1, 12), dt.date(2027, 2, 20)):
        with later(day):
            run = importer.run(subscription)
        assert (run.updated, run.conflicts) == (0, 0)

    assert revisions(record) == count
    assert len(dates_of(latest(record))) == 13


def test_an_edited_endless_series_is_a_conflict_when_it_needs_newer_dates(
    subscribe, partner
):
    subscription, record = endless_series(subscribe, partner)
    page = latest(record)
    page.title = "Sprachtreff (neu: mit Kinderbetreuung)"
    edited = page.save_revision()

    with later(dt.date(2026, 12, 15)):
        run = importer.run(subscription)

    assert run.conflicts == 1
    assert EventPage.objects.get(pk=record.page_id).get_latest_revision() == edited
