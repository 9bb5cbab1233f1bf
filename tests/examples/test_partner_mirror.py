"""The partner mirror (examples/partner_mirror) against a real server, while other
processes publish, edit, unpublish, delete, restrict, schedule and expire content.

After every step one sync must make the copy equal to what the API lists — the same
ids, each item exactly as its section's list shows it — with requests in proportion to
the changes, never to the number of items.
"""

import base64
import datetime as dt
import json
import math
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from standardwebhooks import Webhook

from examples.partner_mirror.hub import Hub
from examples.partner_mirror.mirror import Mirror, SyncResult
from examples.partner_mirror.store import Store
from examples.partner_mirror.webhooks import SyncWorker, WebhookServer
from tests.live import ROOT, LiveDatabase, LiveProcess, LiveProcesses

pytestmark = pytest.mark.live

SECTIONS = {
    "event": "events",
    "press": "press",
    "programme": "programmes",
    "newsletter": "newsletters",
}
PAGE_SIZE = 5
"""The mirror's page size here: small, so a full walk takes many requests."""
SECRET = "whsec_" + base64.b64encode(b"partner-mirror-live-test-secret!").decode()

PUBLISH_EVENT = """
from pages.models import EventPage
source = (
    EventPage.objects.live()
    .filter(venue__isnull=False, locale__language_code="de")
    .order_by("pk")
    .first()
)
copy = source.copy(
    update_attrs={"title": "Sprachcafé im Spiegel", "slug": "sprachcafe-im-spiegel"},
    keep_live=False,
    user=None,
)
copy.save_revision().publish()
result = {"id": copy.pk, "venue": copy.venue_id}
"""

RETITLE = """
from wagtail.models import Page
page = Page.objects.get(pk=pk).specific
page.title = title
page.save_revision().publish()
"""

VENUE_STREET = """
from pages.snippets import Venue
venue = Venue.objects.get(pk=pk)
venue.street = street
venue.save()
"""

UNPUBLISH = """
from wagtail.models import Page
Page.objects.get(pk=pk).specific.unpublish()
"""

REPUBLISH = """
from wagtail.models import Page
Page.objects.get(pk=pk).specific.save_revision().publish()
"""

DELETE_PRESS = """
from pages.models import PressReleasePage
page = (
    PressReleasePage.objects.live()
    .filter(locale__language_code="de")
    .order_by("-pk")
    .first()
)
result = {"id": page.pk}
page.delete()
"""

RESTRICT_PARENT = """
from wagtail.models import Page, PageViewRestriction
parent = Page.objects.get(pk=pk).get_parent()
restriction = PageViewRestriction.objects.create(
    page=parent, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
)
result = {"id": restriction.pk}
"""

LIFT_RESTRICTION = """
from wagtail.models import PageViewRestriction
PageViewRestriction.objects.get(pk=pk).delete()
"""

SCHEDULE_PRESS = """
from datetime import timedelta
from django.utils import timezone
from pages.models import PressReleasePage
source = (
    PressReleasePage.objects.live()
    .filter(locale__language_code="de")
    .order_by("pk")
    .first()
)
copy = source.copy(
    update_attrs={"title": "Geplant im Spiegel", "slug": "geplant-im-spiegel"},
    keep_live=False,
    user=None,
)
copy.go_live_at = timezone.now() + timedelta(seconds=2)
copy.save_revision().publish()
result = {"id": copy.pk}
"""

EXPIRE_PRESS = """
from datetime import timedelta
from django.utils import timezone
from pages.models import PressReleasePage
page = (
    PressReleasePage.objects.live()
    .filter(locale__language_code="de")
    .order_by("pk")
    .first()
)
page.expire_at = timezone.now() + timedelta(seconds=8)
page.save_revision().publish()
result = {"id": page.pk}
"""

AGE_AND_PRUNE = """
from datetime import timedelta
from django.utils import timezone
from pages import sync
from pages.models import ChangeLogEntry
ChangeLogEntry.objects.update(at=timezone.now() - timedelta(days=365))
result = {"pruned": sync.prune()}
"""


WRITER = """
import json, sys, traceback
for line in sys.stdin:
    step = json.loads(line)
    scope = dict(step["values"])
    try:
        exec(step["code"], scope)
        answer = {"result": scope.get("result")}
    except Exception:
        answer = {"error": traceback.format_exc()}
    print("STEP " + json.dumps(answer), flush=True)
"""


class Writer:
    """`manage.py shell` in a process of its own, running one step after another: an
    editor's writes from outside the server, without a process start per step."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log.open("a")
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "manage.py", "shell", "-c", WRITER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def run(self, code: str, **values: object) -> dict:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"code": code, "values": values}) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            self.log.write(line)
            if line.startswith("STEP "):
                answer = json.loads(line.removeprefix("STEP "))
                assert "error" not in answer, answer["error"]
                return answer["result"] or {}
        pytest.fail(f"the writer process ended ({self.process.wait()})")

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def writer(live_db: LiveDatabase, live: LiveProcesses) -> Iterator[Writer]:
    live.log_dir.mkdir(parents=True, exist_ok=True)
    process = Writer(live_db.env(), live.log_dir / "writer.log")
    yield process
    process.close()


def listed(server: LiveProcess, query: str = "") -> dict[int, dict]:
    """Every item the API lists (with `query`'s filters), as its section's list shows
    it (paged by 100)."""
    found: dict[int, dict] = {}
    for path in SECTIONS.values():
        offset, count = 0, 1
        while offset < count:
            response = requests.get(
                f"{server.url}/api/v1/{path}/?limit=100&offset={offset}{query}",
                timeout=10,
            )
            assert response.status_code == 200, response.text[:300]
            body = response.json()
            found.update((item["id"], item) for item in body["results"])
            offset, count = offset + 100, body["count"]
    everything = requests.get(
        f"{server.url}/api/v1/items/?limit=100{query}", timeout=10
    )
    assert everything.json()["count"] == len(found)
    return found


def assert_exact(mirror: Mirror, server: LiveProcess) -> dict[int, dict]:
    expected = listed(server, "".join(f"&{k}={v}" for k, v in mirror.filters.items()))
    copy = mirror.store.items()
    assert sorted(copy) == sorted(expected)
    assert {pk: item["modified_at"] for pk, item in copy.items()} == {
        pk: item["modified_at"] for pk, item in expected.items()
    }
    assert copy == expected
    return copy


def wait_until(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:g} s")
        time.sleep(0.2)


def detail_status(server: LiveProcess, item_type: str, pk: int) -> int:
    url = f"{server.url}/api/v1/{SECTIONS[item_type]}/{pk}/"
    return requests.get(url, timeout=10).status_code


def cli_sync(server: LiveProcess, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module
        [
            sys.executable,
            "-m",
            "examples.partner_mirror",
            "sync",
            "--hub",
            server.url,
            "--db",
            str(db),
            "--page-size",
            str(PAGE_SIZE),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def requests_for(changes: int) -> int:
    """The most requests a sync of `changes` log entries may take."""
    return math.ceil(changes / PAGE_SIZE) + 1


@pytest.fixture
def mirror(live_db: LiveDatabase, live: LiveProcesses, tmp_path: Path) -> Mirror:
    """A server and a worker whose scheduler runs every second; a copy made by the
    command line (a full walk, page by page), and the mirror on it."""
    env = live_db.env()
    server = live.start_server(env)
    live.start_worker(env, "--schedule-interval", "1")
    db = tmp_path / "mirror.sqlite3"
    output = cli_sync(server, db)
    assert "New copy" in output.stderr, output.stderr
    return Mirror(Hub(server.url), Store(db), page_size=PAGE_SIZE)


def test_the_mirror_stays_exact_through_every_kind_of_change(
    mirror: Mirror, writer: Writer, live: LiveProcesses
):
    server, worker = live.processes[0], live.processes[1]
    total = len(assert_exact(mirror, server))
    # A full walk takes many requests; none of the syncs below takes more than two
    # per page of changes.
    assert total > 4 * PAGE_SIZE

    def sync_and_compare(most: int = 2) -> SyncResult:
        result = mirror.sync()
        assert not result.full
        assert result.requests <= most, result
        assert_exact(mirror, server)
        return result

    # Nothing changed: one request (a 304 from the second time on).
    assert sync_and_compare(most=1).upserted == 0
    assert sync_and_compare(most=1).requests == 1

    # A new event; a signed webhook makes the receiver sync it.
    event = writer.run(PUBLISH_EVENT)
    deliver_webhook(mirror, event["id"])
    assert_exact(mirror, server)
    assert event["id"] in mirror.store.items()

    writer.run(RETITLE, pk=event["id"], title="Sprachcafé im Spiegel (neuer Raum)")
    assert sync_and_compare().upserted == 1
    assert mirror.store.items()[event["id"]]["title"].endswith("(neuer Raum)")

    # Its venue's street: every event at that venue changes, and only those.
    writer.run(VENUE_STREET, pk=event["venue"], street="Spiegelstraße 9")
    at_venue = [
        pk
        for pk, item in listed(server).items()
        if item["type"] == "event"
        and (item.get("venue") or {}).get("street") == "Spiegelstraße 9"
    ]
    result = sync_and_compare(most=requests_for(len(at_venue)))
    assert result.upserted == len(at_venue) >= 2
    detail = requests.get(f"{server.url}/api/v1/events/{event['id']}/", timeout=10)
    copy = mirror.store.items()[event["id"]]
    assert copy["venue"]["street"] == detail.json()["venue"]["street"]
    assert copy["modified_at"] == detail.json()["modified_at"]

    writer.run(UNPUBLISH, pk=event["id"])
    assert sync_and_compare().deleted == 1
    assert event["id"] not in mirror.store.items()

    writer.run(REPUBLISH, pk=event["id"])
    assert sync_and_compare().upserted == 1

    deleted = writer.run(DELETE_PRESS)
    assert sync_and_compare().deleted == 1
    assert deleted["id"] not in mirror.store.items()

    # A view restriction on the events' parent page: every event leaves, then returns.
    events = [
        pk for pk, item in mirror.store.items().items() if item["type"] == "event"
    ]
    restriction = writer.run(RESTRICT_PARENT, pk=event["id"])
    assert sync_and_compare(most=requests_for(len(events))).deleted == len(events)
    assert not [i for i in mirror.store.items().values() if i["type"] == "event"]
    writer.run(LIFT_RESTRICTION, pk=restriction["id"])
    assert sync_and_compare(most=requests_for(len(events))).upserted == len(events)

    # A scheduled go-live: nothing before it; the item once the worker's pass (which
    # logs the change) published it.
    scheduled = writer.run(SCHEDULE_PRESS)
    assert sync_and_compare().upserted == 0
    assert scheduled["id"] not in mirror.store.items()
    wait_until(lambda: "1 revision(s) went live" in worker.log_text())
    assert sync_and_compare().upserted == 1
    assert scheduled["id"] in mirror.store.items()

    # An expiry date: published with it (an update), gone once it passed.
    expiring = writer.run(EXPIRE_PRESS)
    assert sync_and_compare().upserted == 1
    wait_until(lambda: "1 expired page(s) were unpublished" in worker.log_text())
    assert sync_and_compare().deleted == 1
    assert expiring["id"] not in mirror.store.items()


def deliver_webhook(mirror: Mirror, pk: int) -> None:
    """POST a signed `item.published` for event `pk` (as the hub's webhooks do) to a
    receiver on the mirror's database, and wait for the sync it triggers."""
    worker = SyncWorker(
        lambda: Mirror(
            Hub(mirror.hub.base_url), Store(mirror.store.path), page_size=PAGE_SIZE
        ),
        interval=None,
    )
    server = WebhookServer(
        ("127.0.0.1", 0), SECRET, Store(mirror.store.path), lambda _: worker.request()
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    worker.start()
    try:
        with worker.idle:  # the receiver's catch-up sync when it starts
            assert worker.idle.wait_for(lambda: worker.syncs == 1, timeout=20)
        at = dt.datetime.now(dt.UTC)
        body = json.dumps(
            {
                "type": "item.published",
                "timestamp": at.isoformat(),
                "data": {
                    "type": "event",
                    "id": pk,
                    "modified_at": at.isoformat(),
                    "api_url": f"{mirror.hub.base_url}/api/v1/events/{pk}/",
                    "language": "de",
                },
            }
        )
        response = requests.post(
            f"http://127.0.0.1:{server.server_address[1]}/",
            data=body.encode(),
            headers={
                "webhook-id": "msg_live_1",
                "webhook-timestamp": str(int(at.timestamp())),
                "webhook-signature": Webhook(SECRET).sign("msg_live_1", at, body),
                "Content-Type": "application/json",
            },
            timeout=10,
        )
        assert response.status_code == 204
        with worker.idle:
            assert worker.idle.wait_for(lambda: worker.syncs == 2, timeout=20)
    finally:
        worker.stop()
        server.shutdown()
        server.server_close()


def test_a_cursor_older_than_the_log_makes_the_mirror_start_again(
    live_db: LiveDatabase, live: LiveProcesses, writer: Writer, tmp_path: Path
):
    server = live.start_server(live_db.env())
    mirror = Mirror(Hub(server.url), Store(tmp_path / "m.sqlite3"), page_size=100)
    assert mirror.sync().full
    witten = Mirror(Hub(server.url), Store(tmp_path / "w.sqlite3"), {"city": "witten"})
    assert witten.sync().full
    assert 0 < len(assert_exact(witten, server)) < len(assert_exact(mirror, server))
    event = writer.run(PUBLISH_EVENT)
    deleted = writer.run(DELETE_PRESS)
    assert writer.run(AGE_AND_PRUNE)["pruned"] >= 2

    result = mirror.sync()
    assert result.full
    copy = assert_exact(mirror, server)
    assert event["id"] in copy
    assert deleted["id"] not in copy
    # From the new cursor on, changes come one by one again.
    writer.run(UNPUBLISH, pk=event["id"])
    result = mirror.sync()
    assert (result.full, result.deleted, result.requests) == (False, 1, 1)
    assert_exact(mirror, server)
    # A mirror of one city's content: rebuilt as well, exact for its filter.
    assert witten.sync().full
    assert_exact(witten, server)
