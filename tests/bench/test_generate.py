"""The benchmark's bulk generator must build a tree Wagtail and every public surface accept."""

from django.db import transaction

from wagtail.models import Page

import pytest

from bench.generate import BenchDataGenerator
from pages.filters import ContentQuery
from pages.models import EventOccurrence, EventPage, PressReleasePage

pytestmark = pytest.mark.django_db


def test_bulk_pages_form_a_valid_published_tree(demo, client):
    before = EventPage.objects.count()
    counts = BenchDataGenerator(40, seed=7).run()

    assert counts["events"] == 40
    assert Page.find_problems() == ([], [], [], [], [])
    events = EventPage.objects.visible()
    assert events.count() == before + 40
    assert PressReleasePage.objects.visible().count() >= 4
    newest = events.order_by("-pk").first()
    assert newest.url_path == f"{demo.events.url_path}{newest.slug}/"
    assert client.get(newest.url).status_code == 200
    occurrences = EventOccurrence.objects.filter(page=newest)
    assert 1 <= occurrences.count() <= 5
    for occurrence in occurrences:
        assert (occurrence.starts_at, occurrence.ends_at) == occurrence.compute_bounds()
    assert newest.target_groups.exists() and newest.topics.exists()


def generated_events(demo) -> list[tuple]:
    return list(
        EventOccurrence.objects.filter(page__path__startswith=demo.events.path)
        .order_by("page__path", "sort_order")
        .values_list("page__title", "page__city__slug", "starts_at", "ends_at")
    )


def test_same_seed_gives_the_same_content(demo):
    with transaction.atomic():
        BenchDataGenerator(15, seed=3).run()
        first = generated_events(demo)
        transaction.set_rollback(True)
    BenchDataGenerator(15, seed=3).run()
    assert generated_events(demo) == first


def test_filters_see_generated_events(demo):
    BenchDataGenerator(60, seed=11).run()
    query = ContentQuery.from_params("events", {"city": "witten", "upcoming": "true"})
    for event in query.page():
        assert event.city.slug == "witten"
