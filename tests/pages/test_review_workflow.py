"""City editors' changes go through the German four-eyes review, and reviewers are mailed."""

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from wagtail.models import Workflow

import pytest

from pages.models import EventPage
from tests.smtp import SMTPSink

from .test_admin import event_form

pytestmark = pytest.mark.django_db

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def witten(client, django_user_model):
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(django_user_model.objects.get(username="witten"))
    return client


def test_the_review_workflow_has_german_names_and_a_reviewers_group():
    workflow = Workflow.objects.get(name="Freigabe durch die Redaktion")
    task = workflow.tasks.get().specific
    assert task.name == "Prüfung durch die Redaktion"
    assert [group.name for group in task.groups.all()] == ["Redaktion (Freigabe)"]
    assert not Workflow.objects.filter(name__icontains="approval").exists()


def test_witten_editor_submits_for_review_and_the_reviewer_gets_a_mail(witten):
    event = EventPage.objects.filter(city__slug="witten").order_by("pk").first()
    form = event_form(title="Sprachcafé Witten (neu)", slug=event.slug)
    form.pop("action-publish")
    form["action-submit"] = "1"
    with (
        SMTPSink() as smtp,
        override_settings(
            EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=smtp.port
        ),
    ):
        response = witten.post(
            reverse("wagtailadmin_pages:edit", args=(event.pk,)), form
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.workflow_in_progress
    assert event.current_workflow_task.name == "Prüfung durch die Redaktion"
    assert event.live and event.title != "Sprachcafé Witten (neu)"

    mails = [m for m in smtp.received if "freigabe@example.org" in m[1]]
    assert len(mails) == 1, smtp.received
    message = mails[0][2]
    assert "Sprachcafé Witten (neu)" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "zur Freigabe" in message["Subject"]
    assert "„Prüfung durch die Redaktion“ eingereicht" in body
    assert f"/admin/pages/{event.pk}/edit/" in body
    assert "witten@example.org" not in mails[0][1]


def test_city_editors_see_a_german_submit_action_and_no_publish(witten):
    event = EventPage.objects.filter(city__slug="witten").order_by("pk").first()
    html = witten.get(reverse("wagtailadmin_pages:edit", args=(event.pk,))).content
    assert b"Zur Freigabe durch die Redaktion einreichen" in html
    assert b'name="action-publish"' not in html
