import datetime as dt

from django.core.exceptions import ValidationError

import pytest

from pages.models import EventOccurrence, EventPage
from pages.snippets import ContactPerson, Venue, ascii_slug


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def occurrence(**fields) -> EventOccurrence:
    return EventOccurrence(
        page=EventPage(title="x"), start_date=dt.date(2030, 5, 2), **fields
    )


def test_range_ending_before_it_starts_is_refused_on_end_date():
    errors = errors_of(occurrence(end_date=dt.date(2030, 5, 1)))
    assert errors["end_date"] == ["Das Enddatum liegt vor dem Beginn."]


def test_same_day_end_time_before_start_time_is_refused_on_end_time():
    errors = errors_of(occurrence(start_time=dt.time(15), end_time=dt.time(13)))
    assert errors["end_time"] == ["Die Veranstaltung endet, bevor sie beginnt."]


def test_end_time_without_start_time_is_refused():
    errors = errors_of(occurrence(end_time=dt.time(13)))
    assert "start_time" in errors


def test_overnight_range_with_earlier_end_time_is_fine():
    occ = occurrence(
        end_date=dt.date(2030, 5, 3), start_time=dt.time(20), end_time=dt.time(2)
    )
    occ.clean()
    start, end = occ.compute_bounds()
    assert (end - start) == dt.timedelta(hours=6)


def test_all_day_range_ends_exclusively_the_day_after():
    occ = occurrence(end_date=dt.date(2030, 5, 4))
    start, end = occ.compute_bounds()
    assert start.isoformat() == "2030-05-02T00:00:00+02:00"
    assert end.isoformat() == "2030-05-05T00:00:00+02:00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "field", "value"),
    [
        ("scheduled", "postponed_note", "auf 2021"),
        ("confirmed", "postponed_note", "auf 2021"),
        ("postponed", "previous_start_date", dt.date(2020, 4, 22)),
    ],
)
def test_status_details_need_their_status(status, field, value):
    page = EventPage(title="Test", slug="test", status=status, **{field: value})
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert "nur beim Status" in caught.value.message_dict[field][0]


def test_postponed_note_with_postponed_status_is_fine():
    EventPage(title="Test", status="postponed", postponed_note="auf 2021").clean()


@pytest.mark.django_db
def test_bad_email_and_phone_are_refused_in_german():
    errors = errors_of(ContactPerson(name="A", email="keine-adresse", phone="ruf an"))
    assert "gültige E-Mail" in errors["email"][0]
    assert "Telefonnummer" in errors["phone"][0]


@pytest.mark.django_db
def test_bad_registration_url_is_refused_in_german(demo):
    page = EventPage(
        title="T", slug="t", registration_url="javascript:alert(1)", city=None
    )
    with pytest.raises(ValidationError) as caught:
        page.full_clean(exclude=["path", "depth", "city"])
    assert "mit „https://“" in caught.value.message_dict["registration_url"][0]


@pytest.mark.django_db
def test_venue_coordinates_come_in_pairs():
    errors = errors_of(Venue(name="Ort", town="Witten", latitude=51.4))
    assert "longitude" in errors


def test_contact_phone_becomes_international_tel_uri():
    assert ContactPerson(phone="02336 93-2080").phone_uri == "tel:+492336932080"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Sprockhövel", "sprockhoevel"),
        ("Wetter (Ruhr)", "wetter-ruhr"),
        ("Fachkräfte", "fachkraefte"),
    ],
)
def test_slugs_are_lowercase_ascii(name, slug):
    assert ascii_slug(name) == slug
