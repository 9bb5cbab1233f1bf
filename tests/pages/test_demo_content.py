import datetime as dt

from django.core.management import call_command

from wagtail.models import Page, Revision

import pytest

from pages.demo.loader import DemoContentLoader
from pages.models import EventPage, NewsletterIssuePage, PressReleasePage, ProgrammePage
from pages.snippets import City, ContactPerson, TargetGroup, Topic, Venue

pytestmark = pytest.mark.django_db


def test_every_item_of_the_seed_is_published():
    assert ProgrammePage.objects.live().count() == 3
    assert EventPage.objects.live().count() == 14
    assert PressReleasePage.objects.live().count() == 12
    assert (
        NewsletterIssuePage.objects.count() == 0
    )  # the seed names six issues but lists none
    assert City.objects.count() == 10
    assert ContactPerson.objects.count() == 9
    assert Venue.objects.count() == 4
    assert TargetGroup.objects.exists() and Topic.objects.exists()


def test_pages_are_published_through_real_revisions():
    for page in EventPage.objects.all():
        assert page.live_revision_id is not None
        assert page.live_revision.content["title"] == page.title


def test_city_slugs_match_the_contract():
    assert list(City.objects.values_list("slug", flat=True)) == [
        "breckerfeld",
        "ennepetal",
        "gevelsberg",
        "hattingen",
        "herdecke",
        "schwelm",
        "sprockhoevel",
        "wetter-ruhr",
        "witten",
        "kreisweit",
    ]


def test_loading_twice_changes_nothing(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content")  # adds the translations the tests leave out
    capsys.readouterr()
    pages, revisions = Page.objects.count(), Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content")
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)
    assert "nichts geändert" in capsys.readouterr().out


def test_witten_language_mediator_training_has_three_separate_dates():
    event = EventPage.objects.get(title__contains="Grundlagenschulung in Witten")
    dates = [(o.start_date, o.start_time, o.end_time) for o in event.occurrences.all()]
    assert dates == [
        (dt.date(2020, 8, d), dt.time(15), dt.time(19)) for d in (24, 26, 31)
    ]
    assert event.status == "confirmed"
    assert event.city.slug == "witten"
    assert event.venue.room == "Belehrungsraum"
    assert [c.contact.name for c in event.contacts.all()] == ["Irina Schumach"]


def test_trauma_training_is_postponed_to_2021_keeping_its_planned_date():
    event = EventPage.objects.get(title__contains="Trauma")
    assert (event.status, event.postponed_note) == ("postponed", "auf 2021")
    assert event.status_label == "wird verschoben auf 2021"
    assert [o.start_date for o in event.occurrences.all()] == [dt.date(2020, 9, 11)]


def test_week_of_diversity_2020_is_one_district_wide_range():
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    (occ,) = event.occurrences.all()
    assert (occ.start_date, occ.end_date, occ.all_day) == (
        dt.date(2020, 9, 26),
        dt.date(2020, 10, 4),
        True,
    )
    assert event.city.slug == "kreisweit"
    roles = {a.role for a in event.attachments.all()}
    assert "programme" in roles


def test_press_releases_keep_their_dates_as_first_publication():
    release = PressReleasePage.objects.get(date=dt.date(2020, 11, 2))
    assert release.title.startswith("Woche der Vielfalt – Rund 30 Akteure")
    assert release.first_published_at.date() == dt.date(2020, 11, 2)


def test_attached_documents_are_real_pdfs():
    event = EventPage.objects.get(slug="woche-der-vielfalt-2020")
    document = event.attachments.first().document
    with document.open_file() as handle:
        assert handle.read(5) == b"%PDF-"
    assert document.get_file_size() > 300


def test_loader_recreates_what_is_missing_and_reports_it():
    EventPage.objects.get(slug="woche-der-vielfalt-2019").delete()
    lines = []
    created = DemoContentLoader(log=lines.append, translations=False).run()
    assert lines == ["  + Veranstaltung: Woche der Vielfalt 2019"]
    assert created["Veranstaltungen"] == 1
    assert EventPage.objects.filter(slug="woche-der-vielfalt-2019").exists()
