"""The office manages calendar subscriptions under „Kalender-Import“: add, fetch now,
read the runs with their errors, resolve conflicts; city editors are kept out."""

import datetime as dt

from django.core.management import call_command
from django.urls import reverse

import pytest

from imports import importer
from imports.models import CalendarSubscription, ImportedEvent, RunStatus
from pages.snippets import TargetGroup

pytestmark = pytest.mark.django_db

INDEX = reverse("calendar_imports:index")
ADD = reverse("calendar_imports:add")


@pytest.fixture
def accounts(django_user_model):
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return django_user_model.objects


@pytest.fixture
def office(client, accounts):
    """The demo office editor („Redaktion“, granted the import by migration 0002)."""
    client.force_login(accounts.get(username="redaktion"))
    return client


def test_the_office_finds_the_menu_item_and_adds_a_subscription(
    office, partner, witten, committed
):
    url = partner.serve("events-calendar.ics")
    group = TargetGroup.objects.first()

    assert "Kalender-Import" in office.get(reverse("wagtailadmin_home")).text
    assert "Zur Freigabe einreichen" in office.get(ADD).text
    with committed():
        response = office.post(
            ADD,
            {
                "name": "Stadt Witten",
                "url": url,
                "city": witten.pk,
                "target_groups": [group.pk],
                "needs_review": "on",
                "interval_hours": 6,
                "active": "on",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    subscription = CalendarSubscription.objects.get()
    assert subscription.needs_review

    with committed():
        importer.enqueue_due()
    listing = office.get(INDEX).text
    assert "Stadt Witten" in listing
    assert "Erfolgreich" in listing
    page = ImportedEvent.objects.filter(subscription=subscription).first().page
    assert list(page.target_groups.all()) == [group]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_fetch_now_queues_a_run_and_the_history_shows_its_german_error(
    office, partner, witten, committed
):
    partner.serve("kaputt.ics", b"<html><body>Wartungsarbeiten</body></html>")
    subscription = CalendarSubscription.objects.create(
        name="Kaputt", url=partner.url("kaputt.ics"), city=witten
    )
    fetch = reverse("calendar_imports:fetch", args=[subscription.pk])
    assert "Jetzt abrufen" in office.get(fetch).text

    with committed():
        response = office.post(fetch)

    assert response.status_code == 302
    runs = office.get(response.url).text
    assert "Fehlgeschlagen" in runs
    assert "keine iCal-Datei" in runs
    edit = office.get(reverse("calendar_imports:edit", args=[subscription.pk])).text
    assert "keine iCal-Datei" in edit


def test_conflicts_are_listed_and_resolved_for_the_source(office, subscribe, partner):
    subscription = subscribe("events-calendar.ics")
    importer.run(subscription)
    record = ImportedEvent.objects.get(uid__startswith="10234-")
    page = record.page.get_latest_revision_as_object()
    page.title = "Abend der Kulturen"
    page.save_revision()
    partner.serve(
        "events-calendar.ics",
        partner.files["events-calendar.ics"].replace(b"T180000", b"T183000"),
    )
    assert importer.run(subscription).conflicts == 1
    conflicts = reverse("calendar_imports:conflicts", args=[subscription.pk])

    listing = office.get(conflicts).text
    assert "Abend der Kulturen" in listing
    assert "2027-01-14 18:30" in listing
    assert (
        "1 Konflikt"
        in office.get(reverse("calendar_imports:edit", args=[subscription.pk])).text
    )

    response = office.post(conflicts, {"imported": record.pk, "resolve": "source"})

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.conflict_since is None
    latest = record.page.get_latest_revision_as_object()
    assert latest.title == "Interkultureller Abend im Haus Witten"
    assert "Keine offenen Konflikte" in office.get(conflicts).text


def test_keeping_the_edit_dismisses_the_conflict_and_keeps_the_page(
    office, subscribe, partner
):
    subscription = subscribe("events-calendar.ics")
    importer.run(subscription)
    record = ImportedEvent.objects.get(uid__startswith="10234-")
    page = record.page.get_latest_revision_as_object()
    page.title = "Abend der Kulturen"
    page.save_revision()
    partner.serve(
        "events-calendar.ics",
        partner.files["events-calendar.ics"].replace(b"T180000", b"T183000"),
    )
    importer.run(subscription)

    office.post(
        reverse("calendar_imports:conflicts", args=[subscription.pk]),
        {"imported": record.pk, "resolve": "edit"},
    )

    record.refresh_from_db()
    assert record.conflict_since is None
    assert record.page.get_latest_revision_as_object().title == "Abend der Kulturen"
    # The next change of the source is a conflict again, never an overwrite.
    partner.serve(
        "events-calendar.ics",
        partner.files["events-calendar.ics"].replace(b"T183000", b"T190000"),
    )
    assert importer.run(subscription).status == RunStatus.SUCCEEDED
    record.refresh_from_db()
    assert record.conflict_since is not None
    assert record.page.get_latest_revision_as_object().title == "Abend der Kulturen"


def test_city_editors_may_not_manage_imports(client, accounts, subscribe):
    subscription = subscribe("google.ics")
    client.force_login(accounts.get(username="witten"))

    assert "Kalender-Import" not in client.get(reverse("wagtailadmin_home")).text
    for url in (
        INDEX,
        ADD,
        reverse("calendar_imports:runs", args=[subscription.pk]),
        reverse("calendar_imports:conflicts", args=[subscription.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(
        reverse("calendar_imports:fetch", args=[subscription.pk])
    ).status_code in (302, 403)
    assert not subscription.runs.exists()


def calendar(*events: str) -> bytes:
    """An iCal file with `events` (VEVENT bodies, one property a line)."""
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//DE\r\n"
        f"{body}END:VCALENDAR\r\n".replace("\n\r\n", "\r\n")
    ).encode()


LESUNG = """UID:lesung-1@partner.de
SUMMARY:Lesung
DTSTART;TZID=Europe/Berlin:20270210T190000
DTEND;TZID=Europe/Berlin:20270210T210000
LOCATION:Stadtbibliothek
DESCRIPTION:Erste Zeile\\nZweite Zeile\\n\\nNeuer Absatz & mehr"""


def test_an_imported_page_with_line_breaks_opens_in_the_page_editor(
    office, subscribe, partner
):
    partner.serve("lesung.ics", calendar(LESUNG.replace("\n", "\r\n")))
    subscription = subscribe("lesung.ics")
    importer.run(subscription)
    page = ImportedEvent.objects.get(subscription=subscription).page

    response = office.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    assert response.status_code == 200
    assert "Zweite Zeile" in response.text


def test_saving_an_imported_page_in_the_editor_is_no_conflict_for_later_changes(
    office, subscribe, partner
):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from pages.snippets import Venue

    partner.serve("lesung.ics", calendar(LESUNG.replace("\n", "\r\n")))
    subscription = subscribe("lesung.ics")
    importer.run(subscription)
    record = ImportedEvent.objects.get(subscription=subscription)
    page = record.page.get_latest_revision_as_object()
    occurrence = page.occurrences.get()
    # The editor only adds a venue and saves; the editor posts the body back as
    # Draftail sends it.
    form = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "subtitle": "",
            "series": "",
            "teaser": page.teaser,
            "status": page.status,
            "postponed_note": "",
            "city": page.city_id,
            "venue": Venue.objects.first().pk,
            "body": streamfield(
                [
                    (block.block_type, rich_text(block.value.source))
                    for block in page.body
                ]
            ),
            "occurrences": inline_formset(
                [
                    {
                        "id": occurrence.pk,
                        "start_date": "2027-02-10",
                        "start_time": "19:00",
                        "end_time": "21:00",
                    }
                ],
                initial=1,
            ),
            "recurrences": inline_formset([]),
            "cancellations": inline_formset([]),
            "contacts": inline_formset([]),
            "attachments": inline_formset([]),
        }
    )
    form["target_groups"] = [TargetGroup.objects.first().pk]
    response = office.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    saved = record.page.get_latest_revision_as_object()
    assert saved.venue is not None
    assert "data-block-key" in saved.body[0].value.source
    partner.serve(
        "lesung.ics",
        partner.files["lesung.ics"].replace(b"T210000", b"T213000"),
    )

    run = importer.run(subscription)

    assert (run.updated, run.conflicts) == (1, 0), run.errors
    record.refresh_from_db()
    page = record.page.get_latest_revision_as_object()
    assert page.occurrences.get().end_time == dt.time(21, 30)
    assert page.venue is not None


@pytest.mark.parametrize(
    "data",
    [
        {"imported": "abc", "resolve": "source"},
        {"imported": "", "resolve": "edit"},
        {"resolve": "source"},
        {"imported": "1", "resolve": "alles"},
        {"imported": "1"},
    ],
)
def test_a_malformed_conflict_decision_is_a_bad_request(office, subscribe, data):
    subscription = subscribe("google.ics")
    conflicts = reverse("calendar_imports:conflicts", args=[subscription.pk])

    assert office.post(conflicts, data).status_code == 400
