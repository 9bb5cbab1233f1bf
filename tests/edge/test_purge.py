"""A change purges exactly the keys of what it may have altered, in one request per
edge (Varnish) or API call (Fastly, Cloudflare), shaped as each service documents."""

import json
from dataclasses import dataclass, field
from io import StringIO

from django.core.management import CommandError, call_command
from django.dispatch import Signal

import pytest

from pages.caching import edge
from tests.factories import EventPageFactory
from tests.receiving import QuietHandler, serving

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Change:
    """The shape of `pages.changes.content_changed`'s `change`."""

    pages: frozenset[int] = frozenset()
    sections: frozenset[str] = frozenset()
    taxonomies: bool = False
    everything: bool = False


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeEdge:
    """A local HTTP server standing in for Varnish or a CDN's API."""

    status: int = 200
    failures_first: int = 0
    requests: list[Received] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def fake_edge():
    state = FakeEdge()

    class Handler(QuietHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            state.requests.append(
                Received(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            failing = len(state.requests) <= state.failures_first
            self.send_response(503 if failing else state.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        do_PURGE = do_POST = _answer

    with serving(Handler) as base:
        state.url = base
        yield state


@pytest.fixture
def no_waiting(monkeypatch):
    monkeypatch.setattr(edge.time, "sleep", lambda seconds: None)


def test_an_item_change_purges_the_item_and_its_lists():
    # Ids of no home or index page (the demo's language trees hold low ids).
    change = Change(pages=frozenset({900041, 900042}), sections=frozenset({"events"}))
    assert edge.purge_tags(change) == {
        "item-900041",
        "item-900042",
        "list-events",
        "list-all",
    }


def test_a_taxonomy_change_purges_every_list_and_the_taxonomies():
    tags = edge.purge_tags(Change(taxonomies=True))
    assert tags == {
        "taxonomies",
        "list-all",
        "list-events",
        "list-press",
        "list-programmes",
        "list-newsletters",
    }


def test_a_site_wide_change_purges_everything():
    change = Change(
        pages=frozenset({1}), sections=frozenset({"press"}), everything=True
    )
    assert edge.purge_tags(change) == {"hub"}


def test_an_index_page_change_purges_every_page_menu_and_what_lists_every_page(demo):
    tags = edge.purge_tags(Change(pages=frozenset({demo.events.pk})))
    assert tags == {f"item-{demo.events.pk}", "pages", "list-all"}


def test_varnish_gets_one_purge_per_instance(settings, fake_edge):
    settings.HUB_EDGE_BACKEND = "varnish"
    settings.HUB_EDGE_PURGE_URLS = [f"{fake_edge.url}/", f"{fake_edge.url}/second"]
    edge.purge.enqueue(["item-7", "list-events"])
    assert [(r.method, r.path) for r in fake_edge.requests] == [
        ("PURGE", "/"),
        ("PURGE", "/second"),
    ]
    assert {r.headers["xkey-purge"] for r in fake_edge.requests} == {
        "item-7 list-events"
    }


def test_fastly_purges_by_surrogate_key(settings, fake_edge):
    settings.HUB_EDGE_BACKEND = "fastly"
    settings.HUB_EDGE_API_URL = fake_edge.url
    settings.HUB_EDGE_SERVICE = "SU1Z0isxPaozGVKXdv0eY"
    settings.HUB_EDGE_TOKEN = "fastly-token"
    edge.purge.enqueue(["item-7", "list-events"])
    [request] = fake_edge.requests
    assert request.method == "POST"
    assert request.path == "/service/SU1Z0isxPaozGVKXdv0eY/purge"
    assert request.headers["fastly-key"] == "fastly-token"
    assert request.headers["surrogate-key"] == "item-7 list-events"


def test_cloudflare_purges_by_cache_tag_in_batches(settings, fake_edge):
    settings.HUB_EDGE_BACKEND = "cloudflare"
    settings.HUB_EDGE_API_URL = fake_edge.url
    settings.HUB_EDGE_SERVICE = "023e105f4ecef8ad9ca31a8372d0c353"
    settings.HUB_EDGE_TOKEN = "cf-token"
    tags = [f"item-{n}" for n in range(45)]
    edge.purge.enqueue(tags)
    assert len(fake_edge.requests) == 2
    for request in fake_edge.requests:
        assert request.method == "POST"
        assert request.path == "/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache"
        assert request.headers["authorization"] == "Bearer cf-token"
        assert request.headers["content-type"] == "application/json"
    sent = [json.loads(r.body)["tags"] for r in fake_edge.requests]
    assert [len(batch) for batch in sent] == [30, 15]
    assert sum(sent, []) == tags


def test_a_failing_edge_is_tried_again(settings, fake_edge, no_waiting, caplog):
    settings.HUB_EDGE_BACKEND = "varnish"
    settings.HUB_EDGE_PURGE_URLS = [f"{fake_edge.url}/"]
    fake_edge.failures_first = 2
    edge.purge.enqueue(["list-press"])
    assert len(fake_edge.requests) == 3
    assert "attempt 2 of 3" in caplog.text


def test_an_edge_that_keeps_failing_fails_the_task(settings, fake_edge, no_waiting):
    settings.HUB_EDGE_BACKEND = "varnish"
    settings.HUB_EDGE_PURGE_URLS = [f"{fake_edge.url}/"]
    fake_edge.status = 503
    result = edge.purge.enqueue(["list-press"])
    assert result.status.name == "FAILED"
    assert len(fake_edge.requests) == edge.ATTEMPTS


def test_one_purge_per_change_after_the_commit(
    settings, fake_edge, demo, django_capture_on_commit_callbacks
):
    settings.HUB_EDGE_BACKEND = "varnish"
    settings.HUB_EDGE_PURGE_URLS = [f"{fake_edge.url}/"]
    content_changed = Signal()
    edge.connect(content_changed)
    event = EventPageFactory(parent=demo.events)
    with django_capture_on_commit_callbacks(execute=True):
        content_changed.send(
            sender=None,
            change=Change(pages=frozenset({event.pk}), sections=frozenset({"events"})),
        )
        assert fake_edge.requests == []  # not before the commit
    [request] = fake_edge.requests
    assert request.headers["xkey-purge"] == f"item-{event.pk} list-all list-events"


def test_nothing_is_sent_without_an_edge(settings, fake_edge):
    settings.HUB_EDGE_BACKEND = "none"
    content_changed = Signal()
    edge.connect(content_changed)
    content_changed.send(sender=None, change=Change(everything=True))
    assert fake_edge.requests == []


def test_purge_edge_command_purges_everything_by_default(settings, fake_edge):
    settings.HUB_EDGE_BACKEND = "varnish"
    settings.HUB_EDGE_PURGE_URLS = [f"{fake_edge.url}/"]
    out = StringIO()
    call_command("purge_edge", stdout=out)
    [request] = fake_edge.requests
    assert request.headers["xkey-purge"] == "hub"
    assert out.getvalue().strip() == "Purged hub at varnish (1 request(s))."


def test_purge_edge_command_without_an_edge_says_so(settings):
    settings.HUB_EDGE_BACKEND = "none"
    with pytest.raises(CommandError, match="No edge configured"):
        call_command("purge_edge")
