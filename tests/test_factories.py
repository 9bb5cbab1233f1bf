"""What the factories make is what the public surfaces show, or hide."""

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

import pytest

from pages import snippets
from tests.factories import (
    FULL_BODY_BLOCKS,
    ChildOfPrivateCollectionFactory,
    DocumentFactory,
    EventPageFactory,
    ImageFactory,
    NewsletterIssuePageFactory,
    PressReleasePageFactory,
    PrivateCollectionFactory,
    ProgrammePageFactory,
)

pytestmark = pytest.mark.django_db


def listed(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return {item["id"] for item in response.json()["results"]}


def in_feed(client, event) -> bool:
    response = client.get("/feeds/events.rss")
    assert response.status_code == 200
    return event.title in response.content.decode()


def test_published_event_shows_everything_it_was_made_with(client):
    event = EventPageFactory(
        title="Fabrikfest",
        full_body=True,
        with_image=True,
        occurrences=["with_times", "multi_day", "labelled"],
        contacts=2,
        attachments=[{"title": "Programmheft"}, "link"],
        topics=1,
    )

    assert event.live and event.live_revision_id
    assert event.pk in listed(client, f"/api/v1/events/?city={event.city.slug}")
    assert in_feed(client, event)
    detail = client.get(f"/api/v1/events/{event.pk}/").json()
    assert [block["type"] for block in detail["blocks"]] == list(FULL_BODY_BLOCKS)
    paragraph = detail["blocks"][1]["value"]
    assert 'href="https://www.en-kreis.de/"' in paragraph
    assert "/documents/" in paragraph
    assert detail["blocks"][2]["value"]["image"]["url"].endswith(".png")
    assert [
        (o["all_day"], o["start_date"], o["end_date"], o["label"])
        for o in detail["occurrences"]
    ] == [
        (False, "2030-05-01", "2030-05-01", ""),
        (True, "2030-05-02", "2030-05-04", ""),
        (True, "2030-05-03", "2030-05-03", "Sommerferien 2030"),
    ]
    assert len(detail["contacts"]) == 2
    assert [d["title"] for d in detail["documents"]] == [
        "Programmheft",
        "Online-Anmeldung",
    ]
    assert detail["documents"][0]["mime_type"] == "application/pdf"
    assert detail["image"] is not None
    assert len(detail["topics"]) == 1


@pytest.mark.parametrize(
    "variant",
    [
        {"draft": True},
        {"private": True},
        {"private": "login"},
        {"scheduled": True},
        {"expired": True},
    ],
    ids=["draft", "private", "login", "scheduled", "expired"],
)
def test_hidden_variants_are_hidden_from_the_list_and_the_feed(client, variant):
    event = EventPageFactory(occurrences=1, **variant)

    assert event.pk not in listed(client, f"/api/v1/events/?city={event.city.slug}")
    assert client.get(f"/api/v1/events/{event.pk}/").status_code == 404
    assert not in_feed(client, event)


def test_scheduled_event_waits_for_its_revision(client):
    event = EventPageFactory(scheduled=True)

    assert not event.live
    assert event.latest_revision.approved_go_live_at == event.go_live_at


def test_private_attachment_and_body_media_are_left_out(client):
    event = EventPageFactory(
        attachments=[{"title": "Öffentlich"}, {"title": "Intern", "private": True}],
        full_body=True,
        body__private=True,
    )

    detail = client.get(f"/api/v1/events/{event.pk}/").json()
    assert [d["title"] for d in detail["documents"]] == ["Öffentlich"]
    # A block showing private media is left out whole: no caption or alt text either.
    assert [block["type"] for block in detail["blocks"]] == [
        "heading",
        "paragraph",
        "quote",
    ]


@pytest.mark.parametrize("restriction", ["login", "password", "groups"])
def test_private_media_sit_below_a_restricted_collection(client, restriction):
    collection = PrivateCollectionFactory(restriction=restriction)
    child = ChildOfPrivateCollectionFactory(parent=collection)
    document = DocumentFactory(collection=child)

    assert collection.get_view_restrictions().get().restriction_type == restriction
    assert child.get_view_restrictions().get().collection == collection
    assert b"%PDF" not in client.get(document.url).content
    assert ImageFactory(private=True).collection.get_view_restrictions().exists()
    assert DocumentFactory().file.read().startswith(b"%PDF-")


@pytest.fixture
def empty_db():
    """No seed content: no pages below the root, no site, no snippets, no media."""
    Page.objects.filter(depth__gt=1).delete()
    Site.objects.all().delete()
    snippets.Venue.objects.all().delete()
    for model in (snippets.City, snippets.TargetGroup, snippets.Topic):
        model.objects.all().delete()
    snippets.ContactPerson.objects.all().delete()
    get_document_model().objects.all().delete()
    get_image_model().objects.all().delete()
    Collection.objects.filter(depth__gt=1).delete()


def test_factories_build_their_own_tree_on_an_empty_database(client, empty_db):
    event = EventPageFactory(occurrences=1, full_body=True)
    programme = ProgrammePageFactory(cities=1, contacts=1, attachments=1)
    press = PressReleasePageFactory(topics=2)
    newsletter = NewsletterIssuePageFactory(with_pdf=True)

    assert listed(client, "/api/v1/events/") == {event.pk}
    assert listed(client, "/api/v1/programmes/") == {programme.pk}
    assert listed(client, "/api/v1/press/") == {press.pk}
    assert listed(client, "/api/v1/newsletters/") == {newsletter.pk}
    assert in_feed(client, event)
    assert Site.objects.get(is_default_site=True).root_page.specific_class.__name__ == (
        "HomePage"
    )


def test_paragraph_does_not_link_a_private_document(client):
    event = EventPageFactory(full_body=True, body__private=True)

    detail = client.get(f"/api/v1/events/{event.pk}/").json()
    paragraph = next(b for b in detail["blocks"] if b["type"] == "paragraph")
    assert "/documents/" not in paragraph["value"]
