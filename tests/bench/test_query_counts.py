"""Query counts of exactly what `make bench` loads, with the response cache off (its cold runs).

The API and feed suites pin their own lists; these pin the benchmark's URLs and show that
`HUB_RESPONSE_CACHE=false` makes every request do the full work, so the cold figures are
real, and that the syndication reference is not a strawman (no query per item).
"""

import pytest

from bench.generate import BenchDataGenerator
from tests.api.test_query_counts import BUDGET, queries_for

pytestmark = pytest.mark.django_db
API = "/api/v1/events/"


@pytest.fixture
def cold(settings, demo):
    """Benchmark-like data (every relation in use) and the response cache switched off."""
    BenchDataGenerator(120, seed=5).run()
    settings.HUB_RESPONSE_CACHE = False


def steady_queries(client, url: str) -> int:
    """Second request's count: the first one caches the site's root paths."""
    queries_for(client, url)
    return queries_for(client, url)


def test_cold_event_list_costs_the_same_for_1_20_100(client, cold):
    costs = {n: steady_queries(client, f"{API}?limit={n}") for n in (1, 20, 100)}
    # Fingerprint, rows, taxonomies (one UNION), occurrences, contacts, attachments.
    assert len(set(costs.values())) == 1 and costs[100] <= BUDGET, costs


def test_cold_filtered_listing_queries(client, cold):
    filtered = f"{API}?city=witten&upcoming=true"
    costs = {n: steady_queries(client, f"{filtered}&limit={n}") for n in (1, 100)}
    assert costs[1] == costs[100] <= BUDGET, costs


@pytest.mark.parametrize("url", ["/feeds/events.rss", "/feeds/events.atom"])
def test_cold_feeds_do_the_full_work_every_time(client, cold, url):
    """With the response cache off, every request queries again (the figures are cold)."""
    steady = steady_queries(client, url)
    assert 0 < steady <= BUDGET
    assert queries_for(client, url) == steady


@pytest.mark.urls("bench.urls")
@pytest.mark.parametrize(
    "url", ["/bench/syndication/events.rss", "/bench/syndication/events.atom"]
)
def test_syndication_reference_prefetches_like_our_feed(client, cold, url):
    assert 0 < steady_queries(client, url) <= BUDGET
