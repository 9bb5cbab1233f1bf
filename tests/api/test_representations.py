"""What a partner gets for each type: complete, absolute, with offsets and German labels."""

import datetime as dt

from django.test import override_settings

from wagtail.rich_text import RichText

import pytest
import wagtail_factories

from pages.enums import DocumentRole
from pages.models import EventAttachment, PressReleasePage
from tests.factories import (
    EventPageFactory,
    NewsletterIssuePageFactory,
    PressReleasePageFactory,
)

pytestmark = pytest.mark.django_db
BASE = "http://127.0.0.1:8000"


def test_event_detail_has_every_occurrence_with_offsets(get_json, witten):
    event = get_json(f"/api/v1/events/{witten.pk}/")
    assert event["type"] == "event"
    assert event["title"] == "Laien-Sprachmittlerpool – Grundlagenschulung in Witten"
    assert [(o["start"], o["end"]) for o in event["occurrences"]] == [
        ("2020-08-24T15:00:00+02:00", "2020-08-24T19:00:00+02:00"),
        ("2020-08-26T15:00:00+02:00", "2020-08-26T19:00:00+02:00"),
        ("2020-08-31T15:00:00+02:00", "2020-08-31T19:00:00+02:00"),
    ]
    assert not any(o["all_day"] for o in event["occurrences"])
    assert event["status"] == {
        "value": "confirmed",
        "label": "findet statt",
        "schema_org": "https://schema.org/EventScheduled",
    }
    assert event["city"] == {"slug": "witten", "name": "Witten"}
    assert event["cities"] == [{"slug": "witten", "name": "Witten"}]
    assert event["registration"]["required"] is True
    assert event["url"] == f"{BASE}/veranstaltungen/{witten.slug}/"
    assert event["api_url"] == f"{BASE}/api/v1/events/{witten.pk}/"
    assert event["venue"]["town"]
    assert {t["slug"] for t in event["topics"]} == {"sprache", "ehrenamt"}
    assert event["contacts"][0]["phone_uri"].startswith("tel:+49")
    assert dt.datetime.fromisoformat(event["last_published_at"]).utcoffset() is not None


def test_postponed_event_carries_note_label_and_schema_org(get_json, trauma):
    event = get_json(f"/api/v1/events/{trauma.pk}/")
    assert event["status"]["value"] == "postponed"
    assert event["status"]["label"] == "wird verschoben"
    assert event["status"]["schema_org"] == "https://schema.org/EventPostponed"
    assert event["postponed_note"] == "auf 2021"
    # All day: dates given, end datetime is the exclusive midnight after the day.
    [occurrence] = event["occurrences"]
    assert occurrence["all_day"] is True
    assert occurrence["start_date"] == occurrence["end_date"] == "2020-09-11"
    assert occurrence["start"] == "2020-09-11T00:00:00+02:00"
    assert occurrence["end"] == "2020-09-12T00:00:00+02:00"


def test_range_event_gives_inclusive_last_day(get_json):
    [event] = get_json("/api/v1/events/?q=Vielfalt&from=2020-10-01&to=2020-10-01")[
        "results"
    ]
    [occurrence] = event["occurrences"]
    assert (occurrence["start_date"], occurrence["end_date"]) == (
        "2020-09-26",
        "2020-10-04",
    )
    assert event["cities"] == [{"slug": "kreisweit", "name": "Kreisweit"}]


def test_documents_are_absolute_with_role_label_size_and_type(get_json, witten):
    [document] = get_json(f"/api/v1/events/{witten.pk}/")["documents"]
    assert document["role"] == "registration"
    assert document["role_label"] == "Anmeldung"
    assert document["url"].startswith(f"{BASE}/documents/")
    assert document["mime_type"] == "application/pdf"
    assert document["size"] > 100


def test_external_link_attachment_has_no_size(get_json, witten):
    EventAttachment.objects.create(
        page=witten, url="https://example.org/flyer", title="Flyer", role="information"
    )
    documents = get_json(f"/api/v1/events/{witten.pk}/")["documents"]
    assert documents[-1] == {
        "title": "Flyer",
        "url": "https://example.org/flyer",
        "role": "information",
        "role_label": DocumentRole.INFORMATION.label,
        "size": None,
        "mime_type": None,
    }


def test_press_release_has_date_source_and_sanitized_absolute_body(get_json, demo):
    release = PressReleasePageFactory(
        parent=demo.press,
        title="Mit Körper",
        original_url="https://www.en-kreis.de/x",
        body=[
            ("heading", {"text": "Zwischentitel", "level": "h2"}),
            (
                "paragraph",
                RichText(
                    '<p>Siehe <a href="/presse/">Presse</a> '
                    '<a href="javascript:alert(1)">klick</a></p>'
                ),
            ),
        ],
    )
    release.save_revision().publish()
    data = get_json(f"/api/v1/press/{release.pk}/")
    assert data["date"] == "2030-01-15"
    assert data["source"] == "Pressestelle des Ennepe-Ruhr-Kreises"
    assert data["original_url"] == "https://www.en-kreis.de/x"
    assert f'href="{BASE}/presse/"' in data["body"]
    assert "javascript" not in data["body"]
    assert [block["type"] for block in data["blocks"]] == ["heading", "paragraph"]
    assert data["blocks"][0]["value"] == {"text": "Zwischentitel", "level": "h2"}
    assert f'href="{BASE}/presse/"' in data["blocks"][1]["value"]
    assert "javascript" not in data["blocks"][1]["value"]


def test_list_results_omit_body_but_detail_has_it(get_json):
    first = get_json("/api/v1/press/?limit=1")["results"][0]
    assert "body" not in first
    detail = get_json(first["api_url"].removeprefix(BASE))
    assert "body" in detail and "blocks" in detail
    assert {k: v for k, v in detail.items() if k not in ("body", "blocks")} == first


def test_newsletter_has_issue_date_and_pdf(get_json, demo):
    pdf = wagtail_factories.DocumentFactory(
        title="Newsletter 1/2030", file__filename="nl.pdf", file__data=b"%PDF-1.4 x"
    )
    issue = NewsletterIssuePageFactory(
        parent=demo.newsletters, issue="1/2030", teaser="Zusammenfassung", pdf=pdf
    )
    issue.save_revision().publish()
    [data] = get_json("/api/v1/newsletters/")["results"]
    assert (data["issue"], data["date"], data["summary"]) == (
        "1/2030",
        "2030-02-01",
        "Zusammenfassung",
    )
    assert data["pdf"]["url"].startswith(f"{BASE}/documents/{pdf.pk}/")
    assert data["pdf"]["size"] == 10
    assert data["pdf"]["mime_type"] == "application/pdf"


def test_programme_has_period(get_json):
    programmes = get_json("/api/v1/programmes/")["results"]
    assert all(set(p["period"]) == {"starts_on", "ends_on", "note"} for p in programmes)
    assert {p["type"] for p in programmes} == {"programme"}


def test_image_with_renditions(get_json, demo):
    image = wagtail_factories.ImageFactory(title="Foto", description="Ein Foto")
    release = PressReleasePage.objects.visible().first()
    release.image = image
    release.save_revision().publish()
    data = get_json(f"/api/v1/press/{release.pk}/")["image"]
    assert data["alt"] == "Ein Foto"
    assert set(data["renditions"]) == {"thumbnail", "medium", "large"}
    assert data["renditions"]["thumbnail"]["url"].startswith(f"{BASE}/media/")
    assert data["url"].startswith(f"{BASE}/media/")


def test_items_mix_types_newest_first(get_json):
    data = get_json("/api/v1/items/?limit=100")
    assert data["count"] == 14 + 3 + 12
    types = {item["type"] for item in data["results"]}
    assert types == {"event", "programme", "press"}
    published = [item["first_published_at"] for item in data["results"]]
    assert published == sorted(published, reverse=True)


@override_settings(SITE_BASE_URL="https://hub.example")
def test_absolute_urls_come_from_site_base_url_not_host(client, witten):
    response = client.get(f"/api/v1/events/{witten.pk}/", HTTP_HOST="localhost")
    data = response.json()
    assert data["api_url"].startswith("https://hub.example/api/v1/")
    assert data["documents"][0]["url"].startswith("https://hub.example/documents/")


def test_taxonomies(get_json):
    cities = get_json("/api/v1/cities/")
    assert cities["count"] == 10
    assert {"slug": "wetter-ruhr", "name": "Wetter (Ruhr)"} in cities["results"]
    assert get_json("/api/v1/target-groups/")["count"] > 0
    assert get_json("/api/v1/topics/")["results"][0].keys() == {"slug", "name"}


def test_detail_with_body_images_renders_again_without_cache(client, settings):
    """Renditions made by the first answer are found, not made twice, by the next."""
    settings.HUB_RESPONSE_CACHE = False
    event = EventPageFactory(occurrences=1, full_body=True, with_image=True)
    bodies = []
    for _ in range(2):
        response = client.get(f"/api/v1/events/{event.pk}/")
        assert response.status_code == 200
        bodies.append(response.json())
    assert bodies[0] == bodies[1]
    assert [block["type"] for block in bodies[0]["blocks"]] == [
        "heading",
        "paragraph",
        "image",
        "document",
        "quote",
    ]
