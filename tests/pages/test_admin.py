"""Editors create and edit every page type through the Wagtail admin."""

import datetime as dt

from django.urls import reverse

from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

import pytest

from pages.models import EventPage, NewsletterIssuePage, PressReleasePage, ProgrammePage
from pages.snippets import City, ContactPerson, TargetGroup, Topic, Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    from django.core.management import call_command

    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = django_user_model.objects.get(username="redaktion")
    client.force_login(user)
    return client


def add_url(model, parent) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=("pages", model._meta.model_name, parent.pk)
    )


def event_form(**overrides) -> dict:
    data = {
        "title": "Sprachcafé Witten",
        "slug": "sprachcafe-witten",
        "subtitle": "",
        "series": "",
        "teaser": "Zum Kennenlernen.",
        "status": "scheduled",
        "postponed_note": "",
        "city": City.objects.get(slug="witten").pk,
        "venue": Venue.objects.first().pk,
        "body": streamfield([("paragraph", rich_text("<p>Alle sind willkommen.</p>"))]),
        "occurrences": inline_formset(
            [{"start_date": "2030-05-02", "start_time": "15:00", "end_time": "17:00"}]
        ),
        "contacts": inline_formset([{"contact": ContactPerson.objects.first().pk}]),
        "attachments": inline_formset([]),
        "recurrences": inline_formset([]),
        "cancellations": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    form = nested_form_data(data)
    # Multiple-choice values stay lists; nested_form_data would flatten them.
    form["target_groups"] = [TargetGroup.objects.first().pk]
    form["topics"] = [Topic.objects.first().pk]
    return form


def test_the_editor_does_not_save_in_the_background(editor, demo):
    # A background save would leave the open form without the dates a series makes on
    # the server (docs/editing.md, „Saving: no autosave“).
    event = EventPage.objects.live().first()
    for url in (
        add_url(EventPage, demo.events),
        reverse("wagtailadmin_pages:edit", args=(event.pk,)),
    ):
        response = editor.get(url)
        assert response.status_code == 200
        assert response.context["autosave_enabled"] is False
        assert b"w-autosave#save" not in response.content


def test_editor_creates_and_publishes_an_event(editor, demo):
    response = editor.post(add_url(EventPage, demo.events), event_form())
    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="sprachcafe-witten")
    assert event.live
    occ = event.occurrences.get()
    assert (occ.start_date, occ.start_time) == (dt.date(2030, 5, 2), dt.time(15))
    assert occ.starts_at.isoformat() == "2030-05-02T13:00:00+00:00"
    assert event.contacts.count() == 1 and event.target_groups.count() == 1


def test_occurrence_ending_before_it_starts_is_shown_on_the_field(editor, demo):
    form = event_form(
        occurrences=inline_formset(
            [{"start_date": "2030-05-02", "end_date": "2030-05-01"}]
        )
    )
    response = editor.post(add_url(EventPage, demo.events), form)
    assert response.status_code == 200
    assert not EventPage.objects.filter(slug="sprachcafe-witten").exists()
    formset = response.context["form"].formsets["occurrences"]
    assert formset.forms[0].errors["end_date"] == ["Das Enddatum liegt vor dem Beginn."]


def test_postponed_note_without_postponed_status_is_shown_on_the_field(editor, demo):
    response = editor.post(
        add_url(EventPage, demo.events), event_form(postponed_note="auf 2031")
    )
    assert response.status_code == 200
    assert "nur beim Status" in response.context["form"].errors["postponed_note"][0]


def test_bad_registration_email_is_shown_on_the_field(editor, demo):
    response = editor.post(
        add_url(EventPage, demo.events), event_form(registration_email="nicht-gueltig")
    )
    assert response.status_code == 200
    assert "gültige E-Mail" in response.context["form"].errors["registration_email"][0]


def test_editor_edits_a_demo_event_and_publishes_a_new_revision(editor):
    event = EventPage.objects.get(title__contains="Trauma")
    edit = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    response = editor.get(edit)
    assert response.status_code == 200
    form = event_form(
        title=event.title,
        slug=event.slug,
        status="cancelled",
        city=event.city_id,
        occurrences=inline_formset(
            [
                {"id": o.pk, "start_date": o.start_date.isoformat()}
                for o in event.occurrences.all()
            ],
            initial=event.occurrences.count(),
        ),
    )
    response = editor.post(edit, form)
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert event.revisions.count() == 2


def test_editor_creates_a_programme(editor, demo):
    form = nested_form_data(
        {
            "title": "Sprachpaten",
            "slug": "sprachpaten",
            "teaser": "Ehrenamtliche begleiten.",
            "body": streamfield([("heading", {"text": "Bausteine", "level": "h2"})]),
            "period_note": "",
            "contacts": inline_formset([]),
            "attachments": inline_formset(
                [
                    {
                        "role": "information",
                        "title": "Infos",
                        "url": "https://example.org/",
                    }
                ]
            ),
            "action-publish": "publish",
        }
    )
    form["cities"] = [City.objects.get(slug="kreisweit").pk]
    response = editor.post(add_url(ProgrammePage, demo.programmes), form)
    assert response.status_code == 302, response.context["form"].errors
    programme = ProgrammePage.objects.get(slug="sprachpaten")
    assert programme.live
    assert [c.slug for c in programme.cities.all()] == ["kreisweit"]


def test_editor_creates_a_press_release(editor, demo):
    form = nested_form_data(
        {
            "title": "Neue Sprachkurse",
            "slug": "neue-sprachkurse",
            "date": "2030-01-10",
            "source": "Pressestelle des Ennepe-Ruhr-Kreises",
            "teaser": "Kurse starten.",
            "body": streamfield([("paragraph", rich_text("<p>Text</p>"))]),
            "action-publish": "publish",
        }
    )
    response = editor.post(add_url(PressReleasePage, demo.press), form)
    assert response.status_code == 302, response.context["form"].errors
    assert PressReleasePage.objects.get(slug="neue-sprachkurse").date == dt.date(
        2030, 1, 10
    )


def test_editor_creates_a_newsletter_issue(editor, demo):
    form = nested_form_data(
        {
            "title": "Newsletter 1/2030",
            "slug": "newsletter-1-2030",
            "issue": "1/2030",
            "date": "2030-02-01",
            "teaser": "Themen dieser Ausgabe.",
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )
    response = editor.post(add_url(NewsletterIssuePage, demo.newsletters), form)
    assert response.status_code == 302, response.context["form"].errors
    assert NewsletterIssuePage.objects.get(slug="newsletter-1-2030").issue == "1/2030"


def test_event_listing_filters_by_status_and_city(editor):
    url = reverse("events:index")
    response = editor.get(url, {"status": "postponed"})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 4
    assert {p.specific.status for p in response.context["object_list"]} == {"postponed"}
    response = editor.get(url, {"city": City.objects.get(slug="witten").pk})
    assert {p.specific.city.slug for p in response.context["object_list"]} == {"witten"}
    html = response.content.decode()
    assert (
        "24.08.2020" in html and "findet statt" in html
    )  # first date and event status


def test_admin_speaks_german(editor):
    response = editor.get(reverse("wagtailadmin_home"))
    assert 'lang="de"' in response.content.decode()
