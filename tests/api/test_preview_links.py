"""Partner preview links: a signed, short-lived URL returning a draft's API detail."""

import datetime as dt

from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

import pytest
import time_machine

from pages import preview
from pages.models import (
    EventPage,
    NewsletterIndexPage,
    NewsletterIssuePage,
    PressReleasePage,
    ProgrammePage,
)
from tests.factories import NewsletterIssuePageFactory

pytestmark = pytest.mark.django_db

SECTIONS = {
    EventPage: "events",
    PressReleasePage: "press",
    ProgrammePage: "programmes",
    NewsletterIssuePage: "newsletters",
}


def item_page(model):
    page = model.objects.live().first()
    if page is None:
        page = NewsletterIssuePageFactory(
            parent=NewsletterIndexPage.objects.get(locale__language_code="de")
        )
    return page


def link(page) -> str:
    return reverse("api-v1:preview", args=[preview.make_token(page)])


def save_draft(page, title: str) -> None:
    draft = page.get_latest_revision_as_object()
    draft.title = title
    draft.save_revision()


def assert_private(response) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives and "public" not in directives
    assert response["X-Robots-Tag"] == "noindex"
    assert "Surrogate-Key" not in response and "Cache-Tag" not in response


@pytest.mark.parametrize("model", list(SECTIONS), ids=lambda m: m.__name__)
def test_an_unchanged_page_previews_exactly_as_its_public_detail(client, model):
    page = item_page(model)
    public = client.get(f"/api/v1/{SECTIONS[model]}/{page.pk}/").json()
    previewed = client.get(link(page))
    assert previewed.status_code == 200
    assert previewed["Content-Type"] == "application/json"
    assert_private(previewed)
    assert previewed.json() == public


@pytest.mark.parametrize("model", list(SECTIONS), ids=lambda m: m.__name__)
def test_the_link_shows_the_latest_draft_never_a_stored_copy(client, model):
    page = item_page(model)
    published_title = page.title
    url = link(page)
    save_draft(page, "Erster Entwurf")
    assert client.get(url).json()["title"] == "Erster Entwurf"
    save_draft(page, "Zweiter Entwurf")
    second = client.get(url)
    assert second.json()["title"] == "Zweiter Entwurf"
    assert_private(second)
    # The public detail still shows the published page.
    public = client.get(f"/api/v1/{SECTIONS[model]}/{page.pk}/").json()
    assert public["title"] == published_title
    # Nothing about the preview is in the response store.
    keys = getattr(cache, "_cache", {})
    assert not any("preview" in str(key) for key in keys)


def test_a_never_published_event_is_previewed_but_not_public(client, demo):
    from tests.factories import EventPageFactory

    event = EventPageFactory(parent=demo.events, title="Neu im Entwurf", live=False)
    previewed = client.get(link(event))
    assert previewed.status_code == 200
    assert previewed.json()["title"] == "Neu im Entwurf"
    assert client.get(f"/api/v1/events/{event.pk}/").status_code == 404


def test_an_expired_link_is_gone(client, settings):
    page = item_page(EventPage)
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now, tick=False):
        url = link(page)
    with time_machine.travel(now + dt.timedelta(minutes=59), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(now + dt.timedelta(minutes=61), tick=False):
        response = client.get(url)
    assert response.status_code == 410
    assert response["Content-Type"] == "application/problem+json"
    assert "expired" in response.json()["detail"]
    assert_private(response)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(":", ".", 1),
        lambda token: "x" + token,
        lambda token: "nonsense",
    ],
    ids=["signature", "separator", "payload", "made-up"],
)
def test_a_tampered_or_made_up_link_is_not_found(client, mangle):
    token = preview.make_token(item_page(EventPage))
    response = client.get(f"/api/v1/preview/{mangle(token)}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert_private(response)


def test_a_token_signed_for_something_else_is_refused(client):
    from django.core import signing

    page = item_page(EventPage)
    other = signing.dumps({"page": page.pk}, compress=True)  # default salt
    assert client.get(f"/api/v1/preview/{other}/").status_code == 404


def test_pages_that_are_not_items_have_no_preview_link(client, demo):
    assert client.get(link(demo.events)).status_code == 404
    assert client.get(link(demo.home)).status_code == 404


def test_a_deleted_page_has_no_preview(client, demo):
    from tests.factories import EventPageFactory

    event = EventPageFactory(parent=demo.events)
    url = link(event)
    event.delete()
    assert client.get(url).status_code == 404


def test_preview_links_are_listed_nowhere(client):
    index = client.get("/api/v1/").content.decode()
    schema = client.get("/api/v1/schema/").content.decode()
    assert "preview" not in index
    assert "/preview/" not in schema


def test_an_editor_gets_a_working_link_from_the_page_editor(client):
    user = User.objects.create_superuser("partnerlink", "p@example.org", "pw")
    client.force_login(user)
    event = item_page(EventPage)
    edit = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "Vorschau-Link für Partner" in edit
    url = reverse("hub_partner_preview_link", args=[event.pk])
    assert url in edit
    page = client.get(url)
    html = page.content.decode()
    assert "Vorschau-Link für Partner" in html and "gültig bis" in html
    start = html.index("/api/v1/preview/")
    partner_url = html[start : html.index('"', start)]
    client.logout()
    assert client.get(partner_url).json()["id"] == event.pk


def test_only_editors_of_the_page_get_a_link(client, demo):
    user = User.objects.create_user("leser", "l@example.org", "pw")
    client.force_login(user)
    event = item_page(EventPage)
    response = client.get(reverse("hub_partner_preview_link", args=[event.pk]))
    assert response.status_code in (302, 403)
    admin = User.objects.create_superuser("chef", "c@example.org", "pw")
    client.force_login(admin)
    index = reverse("hub_partner_preview_link", args=[demo.events.pk])
    assert client.get(index).status_code == 404
