"""„Für nächste Ausgabe kopieren“: a draft copy with contacts, venue, documents and
target groups, every date moved by one offset, refused outside the editor's city."""

import datetime as dt

from django.core.management import call_command
from django.urls import reverse

from wagtail.models import PageLogEntry

import pytest

from pages.enums import EventStatus
from pages.models import EventPage
from pages.next_edition import DateShift, Shift, bump_years, years_shifted
from pages.snippets import City
from tests.factories import EventPageFactory, VenueFactory

pytestmark = pytest.mark.django_db

START = dt.date(2030, 3, 12)  # a Tuesday


@pytest.fixture
def users(django_user_model):
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        name: django_user_model.objects.get(username=name)
        for name in ("redaktion", "witten")
    }


@pytest.fixture
def office(client, users):
    client.force_login(users["redaktion"])
    return client


@pytest.fixture
def witten(client, users):
    client.force_login(users["witten"])
    return client


@pytest.fixture
def event(demo):
    witten = City.objects.get(slug="witten")
    return EventPageFactory(
        parent=demo.events,
        title="Woche der Vielfalt 2030",
        slug="woche-der-vielfalt-2030",
        city=witten,
        venue=VenueFactory(city=witten),
        status=EventStatus.POSTPONED,
        postponed_note="auf 2031",
        registration_required=True,
        registration_deadline=dt.date(2030, 3, 1),
        occurrences=[
            {"start_date": START, "start_time": dt.time(18), "end_time": dt.time(20)},
            {"start_date": dt.date(2030, 3, 19), "end_date": dt.date(2030, 3, 21)},
            {"start_date": dt.date(2030, 7, 1), "label": "Sommerferien 2030"},
        ],
        contacts=2,
        attachments=["link", {}],
        target_groups=2,
        topics=1,
        full_body=True,
    )


def url(page) -> str:
    return reverse("event_next_edition", args=[page.pk])


def form(**overrides) -> dict:
    data = {
        "title": "Woche der Vielfalt 2031",
        "slug": "woche-der-vielfalt-2031",
        "shift": "year_weekday",
        "weeks": "",
        "first_date": "",
        "previewed": "year_weekday:364",
        "create": "1",
    }
    data.update(overrides)
    return data


def dates(page) -> list:
    return sorted(
        (o.start_date, o.end_date, o.start_time, o.end_time, o.label)
        for o in page.occurrences.all()
    )


def test_the_form_proposes_next_years_title_and_previews_the_dates(office, event):
    response = office.get(url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Woche der Vielfalt 2031"' in html
    assert 'value="woche-der-vielfalt-2031"' in html
    # One year on the same weekday: Tuesday 12.03.2030 → Tuesday 11.03.2031.
    assert "Di., 12.03.2030, 18:00–20:00 Uhr" in html
    assert "Di., 11.03.2031, 18:00–20:00 Uhr" in html
    assert "Di., 18.03.2031 – Do., 20.03.2031" in html
    assert "Anmeldeschluss" in html and "28.02.2031" in html


def test_the_copy_carries_everything_moves_the_dates_and_stays_a_draft(
    office, event, users
):
    response = office.post(url(event), form())
    copy = EventPage.objects.get(slug="woche-der-vielfalt-2031")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])

    assert copy.get_parent().pk == event.get_parent().pk
    assert copy.title == "Woche der Vielfalt 2031"
    assert (copy.city_id, copy.venue_id) == (event.city_id, event.venue_id)
    assert [c.contact_id for c in copy.contacts.all()] == [
        c.contact_id for c in event.contacts.all()
    ]
    assert [(a.document_id, a.url) for a in copy.attachments.all()] == [
        (a.document_id, a.url) for a in event.attachments.all()
    ]
    assert set(copy.target_groups.all()) == set(event.target_groups.all())
    assert len(copy.target_groups.all()) == 2
    assert set(copy.topics.all()) == set(event.topics.all())
    assert list(copy.body.raw_data) == list(event.body.raw_data) != []

    week52 = dt.timedelta(weeks=52)
    assert dates(copy) == [
        (START + week52, None, dt.time(18), dt.time(20), ""),
        (dt.date(2031, 3, 18), dt.date(2031, 3, 20), None, None, ""),
        (dt.date(2031, 6, 30), None, None, None, "Sommerferien 2031"),
    ]
    assert copy.registration_deadline == dt.date(2031, 2, 28)
    assert copy.first_starts_at.date() == dt.date(2031, 3, 11)

    # What belonged to the old edition starts afresh.
    assert (copy.status, copy.postponed_note) == (EventStatus.SCHEDULED, "")
    assert (copy.schedule_sequence, copy.schedule_signature) == (0, "")
    assert copy.go_live_at is None and copy.expire_at is None

    # A draft with one revision by the editor, in Wagtail's history.
    assert not copy.live and copy.first_published_at is None
    revision = copy.latest_revision
    assert revision.user == users["redaktion"]
    assert copy.revisions.count() == 1
    log = PageLogEntry.objects.get(page=copy, action="wagtail.copy")
    assert log.user == users["redaktion"]

    # The editor opens the moved dates, not the old ones.
    edit = office.get(response["Location"]).content.decode()
    assert "11.03.2031" in edit and "12.03.2030" not in edit

    # The original is untouched.
    event.refresh_from_db()
    assert event.live and event.status == EventStatus.POSTPONED
    assert dates(event)[0][0] == START


def test_moving_by_weeks_or_to_a_new_first_date(office, event):
    office.post(
        url(event),
        form(shift="weeks", weeks="3", previewed="weeks:21", slug="drei-wochen"),
    )
    by_weeks = EventPage.objects.get(slug="drei-wochen")
    assert [d[0] for d in dates(by_weeks)] == [
        dt.date(2030, 4, 2),
        dt.date(2030, 4, 9),
        dt.date(2030, 7, 22),
    ]
    office.post(
        url(event),
        form(
            shift="first_date",
            first_date="14.3.2031",
            previewed="first_date:367",
            slug="neues-datum",
        ),
    )
    moved = EventPage.objects.get(slug="neues-datum")
    assert [d[0] for d in dates(moved)] == [
        dt.date(2031, 3, 14),
        dt.date(2031, 3, 21),
        dt.date(2031, 7, 3),
    ]
    assert moved.registration_deadline == dt.date(2031, 3, 3)


def test_a_changed_choice_is_previewed_before_it_is_created(office, event):
    response = office.post(url(event), form(shift="weeks", weeks="2"))
    assert response.status_code == 200
    assert not EventPage.objects.filter(slug="woche-der-vielfalt-2031").exists()
    html = response.content.decode()
    assert "Bitte prüfen Sie die neuen Termine" in html
    assert "Di., 26.03.2030, 18:00–20:00 Uhr" in html
    assert 'name="previewed" value="weeks:14"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"shift": "first_date", "first_date": "31.02.2031"},
            "first_date",
            "Den 31.02.2031 gibt es nicht",
        ),
        ({"shift": "first_date", "first_date": "14.3.31"}, "first_date", "vierstellig"),
        ({"shift": "first_date"}, "first_date", "neue Datum des ersten Termins"),
        ({"shift": "weeks"}, "weeks", "um wie viele Wochen"),
        ({"shift": "weeks", "weeks": "zwei"}, "weeks", "ganze Zahl"),
        ({"slug": "woche-der-vielfalt-2030"}, "slug", "schon vergeben"),
        ({"slug": "größe"}, "slug", "„groesse“"),
        ({"title": ""}, "title", "Bitte geben Sie einen Titel an."),
    ],
)
def test_bad_input_gets_a_german_message_on_its_field(
    office, event, overrides, field, message
):
    response = office.post(url(event), form(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in str(errors[field]), errors
    assert message in response.content.decode()
    assert not EventPage.objects.filter(title="Woche der Vielfalt 2031").exists()


def test_a_witten_editor_is_refused_a_hattingen_event(witten):
    hattingen = EventPage.objects.filter(city__slug="hattingen").first()
    count = EventPage.objects.count()
    for response in (
        witten.get(url(hattingen)),
        witten.post(url(hattingen), form(slug="uebernommen")),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert EventPage.objects.count() == count


def test_a_witten_editor_copies_a_witten_event_into_witten_as_a_draft(witten, event):
    response = witten.post(url(event), form())
    copy = EventPage.objects.get(slug="woche-der-vielfalt-2031")
    assert response.status_code == 302
    assert copy.city.slug == "witten" and not copy.live


def test_the_menus_offer_it_only_where_the_editor_may_copy(witten, event):
    listing = witten.get(reverse("events:index")).content.decode()
    assert url(event) in listing
    hattingen = EventPage.objects.filter(city__slug="hattingen").first()
    assert url(hattingen) not in listing
    header = witten.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    assert "Für nächste Ausgabe kopieren" in header.content.decode()
    assert url(event) in header.content.decode()


def test_the_copy_starts_from_the_editors_draft(office, event, users):
    draft = event.get_latest_revision_as_object()
    draft.title = "Woche der Vielfalt 2030 (neu)"
    occurrences = list(draft.occurrences.all())
    occurrences[0].start_time = dt.time(17)
    draft.occurrences = occurrences
    draft.save_revision(user=users["redaktion"])
    response = office.get(url(event))
    assert 'value="Woche der Vielfalt 2031 (neu)"' in response.content.decode()
    office.post(url(event), form(title="Woche der Vielfalt 2031 (neu)"))
    copy = EventPage.objects.get(slug="woche-der-vielfalt-2031")
    assert dates(copy)[0][2] == dt.time(17)


@pytest.mark.parametrize(
    ("mode", "before", "after"),
    [
        (Shift.YEAR_WEEKDAY, dt.date(2030, 3, 12), dt.date(2031, 3, 11)),
        (Shift.YEAR_DATE, dt.date(2030, 3, 12), dt.date(2031, 3, 12)),
        (Shift.YEAR_DATE, dt.date(2028, 2, 29), dt.date(2029, 2, 28)),
    ],
)
def test_date_shifts(mode, before, after):
    assert DateShift.of(mode)(before) == after
    assert before.weekday() == after.weekday() or mode == Shift.YEAR_DATE


def test_years_in_titles_move_on():
    assert bump_years("Woche der Vielfalt 2020", 1, 2020) == "Woche der Vielfalt 2021"
    assert bump_years("Sprachcafé", 1, 2020) == "Sprachcafé"
    assert bump_years("Schuljahr 2029/2030", 1, 2029) == "Schuljahr 2030/2031"
    assert bump_years("Schuljahr 2029/2030", 1, 2030) == "Schuljahr 2030/2031"
    assert bump_years("Raum 12345", 1, 2020) == "Raum 12345"
    # Years away from the event's own one name something else.
    assert bump_years("Agenda 2030 vor Ort", 1, 2026) == "Agenda 2030 vor Ort"
    assert bump_years("Woche der Vielfalt 2026", 0, 2026) == "Woche der Vielfalt 2026"


@pytest.mark.parametrize(
    ("shift", "years"),
    [
        (DateShift.of(Shift.YEAR_WEEKDAY), 1),
        (DateShift.of(Shift.YEAR_DATE), 1),
        (DateShift.of(Shift.WEEKS, weeks=3), 0),
        (DateShift.of(Shift.WEEKS, weeks=40), 0),  # nine months: same year's edition
        (DateShift.of(Shift.WEEKS, weeks=48), 1),
        (DateShift.of(Shift.WEEKS, weeks=104), 2),
    ],
)
def test_only_a_shift_of_about_a_year_or_more_moves_years(shift, years):
    assert years_shifted(shift, START) == years


def test_a_shift_of_weeks_keeps_the_year_in_the_suggested_title(office, event):
    """The title offered for a year's shift follows the editor's choice in the
    preview; a title the editor typed stays as typed."""
    response = office.get(url(event))
    html = response.content.decode()
    assert '<th scope="row">Titel</th><td>Woche der Vielfalt 2030</td>' in html
    assert "Woche der Vielfalt 2031</td>" in html
    assert "„Sommerferien 2031“" in html
    data = form(shift="weeks", weeks="3", preview="1")
    del data["create"]
    response = office.post(url(event), data)
    html = response.content.decode()
    assert 'value="Woche der Vielfalt 2030"' in html
    assert 'value="woche-der-vielfalt-2030-2"' in html
    assert "„Sommerferien 2030“" in html
    assert ">Titel</th>" not in html
    response = office.post(
        url(event),
        form(shift="weeks", weeks="3", title="Mein Titel 2031", preview="1"),
    )
    assert 'value="Mein Titel 2031"' in response.content.decode()


def test_a_slug_taken_meanwhile_is_shown_on_the_field(office, event, monkeypatch):
    from wagtail.models import Page

    original = Page._slug_is_available
    calls = []

    def taken_after_the_check(slug, parent, page=None):
        calls.append(slug)
        return calls.count(slug) == 1 or original(slug, parent, page)

    # The form's check passes; by the time of the copy the slug is taken.
    monkeypatch.setattr(Page, "_slug_is_available", staticmethod(taken_after_the_check))
    response = office.post(url(event), form(slug=event.slug))

    assert response.status_code == 200
    assert "wurde soeben vergeben" in response.content.decode()
    assert EventPage.objects.filter(slug=event.slug).count() == 1
