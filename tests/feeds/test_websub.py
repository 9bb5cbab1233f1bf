"""WebSub: the feeds name the configured hub (and only then), and a publish pings the hub
for the feeds it changed, from the background queue, once per feed and burst."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from django.conf import settings
from django.dispatch import Signal

import feedparser
import jsonschema
import pytest
from django_tasks import TaskResultStatus, task_backends
from django_tasks.signals import task_finished
from lxml import etree

from feeds import websub
from pages.changes import Change
from tests.factories import PressReleasePageFactory
from tests.receiving import QuietHandler, serving

from .conftest import SECTIONS, jing_errors

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HUB = "https://hub.example.org/websub"
SCHEMA = json.loads(
    (Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
PRESS_AND_ALL = sorted(
    f"{settings.SITE_BASE_URL}/feeds/{name}.{format}"
    for name in ("press", "all")
    for format in ("rss", "atom", "json")
)


@dataclass
class FakeHub:
    """A WebSub hub on a local port: records each publish ping (form fields)."""

    url: str = ""
    failures_first: int = 0
    pings: list[dict[str, list[str]]] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)

    @property
    def pinged_urls(self) -> list[str]:
        return sorted(url for ping in self.pings for url in ping["hub.url"])


@pytest.fixture
def fake_hub(settings):
    hub = FakeHub()

    class Handler(QuietHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            hub.content_types.append(self.headers.get("Content-Type", ""))
            hub.pings.append(parse_qs(self.rfile.read(length).decode()))
            failing = len(hub.pings) <= hub.failures_first
            self.send_response(503 if failing else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with serving(Handler) as base:
        hub.url = f"{base}/hub"
        settings.HUB_WEBSUB_HUB = hub.url
        yield hub


# --- advertising -----------------------------------------------------------------------


@pytest.mark.parametrize("section", SECTIONS)
def test_feeds_name_the_hub_and_themselves(client, settings, section):
    settings.HUB_WEBSUB_HUB = HUB
    base = f"{settings.SITE_BASE_URL}/feeds/{section}"

    rss = client.get(f"/feeds/{section}.rss")
    channel = etree.fromstring(rss.content).find("channel")
    links = {link.get("rel"): link.get("href") for link in channel.iter(f"{ATOM}link")}
    assert links == {"self": f"{base}.rss", "hub": HUB}
    assert feedparser.parse(rss.content).bozo == 0
    assert rss["Link"] == f'<{HUB}>; rel="hub", <{base}.rss>; rel="self"'

    atom = client.get(f"/feeds/{section}.atom")
    root = etree.fromstring(atom.content)
    assert root.find(f"{ATOM}link[@rel='hub']").get("href") == HUB
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{base}.atom"
    assert atom["Link"] == f'<{HUB}>; rel="hub", <{base}.atom>; rel="self"'

    feed = client.get(f"/feeds/{section}.json")
    assert feed.json()["hubs"] == [{"type": "WebSub", "url": HUB}]
    assert feed.json()["feed_url"] == f"{base}.json"
    assert feed["Link"] == f'<{HUB}>; rel="hub", <{base}.json>; rel="self"'


def test_the_link_header_survives_the_cache_and_304(client, settings):
    settings.HUB_WEBSUB_HUB = HUB
    first = client.get("/feeds/events.atom")
    again = client.get("/feeds/events.atom", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["Link"] == first["Link"]
    assert client.get("/feeds/events.atom")["Link"] == first["Link"]


def test_no_hub_when_none_is_configured(client, settings):
    settings.HUB_WEBSUB_HUB = ""
    for format in ("rss", "atom", "json"):
        response = client.get(f"/feeds/events.{format}")
        assert not response.has_header("Link")
        assert b'rel="hub"' not in response.content
        assert b"hubs" not in response.content


def test_filtered_feeds_and_calendars_name_no_hub(client, settings):
    """The hub hears about canonical feeds only; iCalendar has no WebSub."""
    settings.HUB_WEBSUB_HUB = HUB
    for url in ("/feeds/events.atom?city=witten", "/feeds/events.ics"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.has_header("Link")
        assert HUB.encode() not in response.content


def test_json_feed_with_hubs_validates(client, settings):
    settings.HUB_WEBSUB_HUB = HUB
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=checker)
    validator.validate(client.get("/feeds/all.json").json())


def test_atom_with_hub_validates_against_rfc_4287(client, settings, tmp_path):
    settings.HUB_WEBSUB_HUB = HUB
    assert jing_errors(client.get("/feeds/press.atom").content, tmp_path) == ""


# --- pinging ---------------------------------------------------------------------------


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a change as `pages.changes` does once its transaction committed."""
    signal = Signal()
    websub.connect(signal)

    def send(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            signal.send(sender=None, change=Change(**fields))

    return send


def test_a_publish_pings_the_hub_for_its_feeds(
    fake_hub, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = PressReleasePageFactory.build(title="Neue Pressemitteilung")
        demo.press.add_child(instance=page)
        page.save_revision().publish()
    assert fake_hub.pinged_urls == PRESS_AND_ALL
    assert all(ping["hub.mode"] == ["publish"] for ping in fake_hub.pings)
    assert all(len(ping["hub.url"]) == 1 for ping in fake_hub.pings)
    assert set(fake_hub.content_types) == {"application/x-www-form-urlencoded"}


def test_a_site_wide_change_pings_every_feed_but_calendars(fake_hub, send):
    send(everything=True)
    expected = {
        f"{settings.SITE_BASE_URL}/feeds/{name}.{format}"
        for name in SECTIONS
        for format in ("rss", "atom", "json")
    }
    assert set(fake_hub.pinged_urls) == expected
    assert len(fake_hub.pinged_urls) == len(expected)


def test_no_ping_without_a_hub_or_a_section(fake_hub, settings, send):
    send(taxonomies=True)
    settings.HUB_WEBSUB_HUB = ""
    send(sections=frozenset({"press"}))
    assert fake_hub.pings == []


def test_one_ping_per_feed_and_burst(fake_hub, settings, send):
    """While a ping waits in the queue, further changes of its feeds add none."""
    settings.TASKS = {
        alias: {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
        for alias in ("default", "queue")
    }
    queue = task_backends["queue"]
    for _ in range(3):
        send(sections=frozenset({"press"}))
    send(sections=frozenset({"events"}))
    events = sorted(
        f"{settings.SITE_BASE_URL}/feeds/events.{format}"
        for format in ("rss", "atom", "json")
    )
    assert [sorted(result.args[0]) for result in queue.results] == [
        PRESS_AND_ALL,
        events,
    ]
    # The worker runs the first task: a change from now on needs a ping of its own.
    websub.ping.call(*queue.results[0].args)
    assert fake_hub.pinged_urls == PRESS_AND_ALL
    send(sections=frozenset({"press"}))
    assert len(queue.results) == 3
    assert sorted(queue.results[2].args[0]) == PRESS_AND_ALL


def test_a_failed_ping_is_tried_again(fake_hub, caplog):
    fake_hub.failures_first = 1
    first, second = PRESS_AND_ALL[:2]
    assert websub.ping.call([first, second]) == 1
    assert fake_hub.pinged_urls == sorted([first, first, second])
    assert "failed (attempt 1 of 3): 503" in caplog.text


def test_a_ping_refused_three_times_fails_its_task(fake_hub):
    fake_hub.failures_first = 100
    finished = []
    task_finished.connect(
        lambda sender, task_result, **kwargs: finished.append(task_result.status),
        weak=False,
        dispatch_uid="test-websub-finished",
    )
    try:
        websub.ping.enqueue([PRESS_AND_ALL[0]])
    finally:
        task_finished.disconnect(dispatch_uid="test-websub-finished")
    assert len(fake_hub.pings) == 3
    # The last attempt fails (innermost, so first to finish); the earlier ones handed on.
    assert finished[0] == TaskResultStatus.FAILED
    with pytest.raises(websub.PingFailed):
        websub.ping.call([PRESS_AND_ALL[0]], attempt=3)


def test_a_hub_that_is_down_never_breaks_the_save(
    settings, demo, client, django_capture_on_commit_callbacks
):
    settings.HUB_WEBSUB_HUB = "http://127.0.0.1:9/hub"  # discard port: refused
    settings.HUB_WEBSUB_TIMEOUT = 1
    with django_capture_on_commit_callbacks(execute=True):
        page = PressReleasePageFactory.build(title="Trotz Ausfall veröffentlicht")
        demo.press.add_child(instance=page)
        page.save_revision().publish()
    assert "Trotz Ausfall" in client.get("/feeds/press.rss").content.decode()
