"""Scheduled go-live and expiry happen by themselves, with a real `run_worker` process.

An editor schedules a press release (in a process of its own, like the admin on another
app server); the worker's scheduler publishes it, and every surface a partner reads
shows it within seconds, as after a manual publish.
"""

import json
import time
from collections.abc import Callable

import pytest
import requests

from tests.live import LiveDatabase, LiveProcess, LiveProcesses

pytestmark = pytest.mark.live

# The scheduler's pass interval in these tests, and how long a change may take to show.
INTERVAL = "1"
WITHIN = 20.0
# How far ahead a change is scheduled: time to check the state before it, even on a
# busy machine where the scheduling process itself takes seconds to finish.
AHEAD = 8

SCHEDULE = """
from datetime import timedelta
from django.utils import timezone
from pages.models import PressReleasePage

source = PressReleasePage.objects.live().order_by("pk").first()
copy = source.copy(
    update_attrs={{"title": {title!r}, "slug": {slug!r}}}, keep_live=False, user=None
)
copy.go_live_at = timezone.now() + timedelta(seconds={seconds})
copy.save_revision().publish()
copy.refresh_from_db()
print(json.dumps({{
    "id": copy.pk, "live": copy.live, "go_live_at": copy.go_live_at.timestamp()
}}))
"""

EXPIRE = """
from datetime import timedelta
from django.utils import timezone
from pages.models import PressReleasePage

page = PressReleasePage.objects.live().order_by("pk").first()
page.expire_at = timezone.now() + timedelta(seconds={seconds})
page.save_revision().publish()
print(json.dumps({{"id": page.pk, "title": page.title}}))
"""

STATE = """
from wagtail.models import Page

page = Page.objects.get(pk={pk})
print(json.dumps({{
    "live": page.live,
    "expired": page.expired,
    "last_published_at": page.last_published_at and page.last_published_at.isoformat(),
}}))
"""


def run_python(live: LiveProcesses, env: dict[str, str], code: str) -> dict:
    """Run `code` in `manage.py shell` (a process of its own); its JSON output."""
    result = live.manage(env, "shell", "-c", "import json\n" + code)
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    """Return once `condition()` holds; fail after `timeout` seconds."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            pytest.fail(f"not within {timeout:g} s")
        time.sleep(0.25)


def press_titles(server: LiveProcess) -> list[str]:
    response = requests.get(f"{server.url}/api/v1/press/?limit=100", timeout=10)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


def detail_status(server: LiveProcess, pk: int) -> int:
    return requests.get(f"{server.url}/api/v1/press/{pk}/", timeout=10).status_code


def in_feed(server: LiveProcess, title: str) -> bool:
    response = requests.get(f"{server.url}/feeds/press.rss", timeout=10)
    assert response.status_code == 200
    return f"<title>{title}</title>" in response.text


@pytest.fixture
def hub(live_db: LiveDatabase, live: LiveProcesses):
    """A server and a worker whose scheduler runs every second."""
    env = live_db.env()
    server = live.start_server(env)
    worker = live.start_worker(env, "--schedule-interval", INTERVAL)
    return env, server, worker


def test_scheduled_press_release_goes_live_on_every_surface(
    live_db: LiveDatabase, live: LiveProcesses
):
    env = live_db.env()
    server = live.start_server(env)
    title = "Geplante Pressemitteilung zur Einbürgerungsfeier"
    page = run_python(
        live,
        env,
        SCHEDULE.format(title=title, slug="geplante-einbuergerungsfeier", seconds=1),
    )
    assert page["live"] is False
    # The go-live time passes while no worker runs (all restarting, or between two
    # passes) and partners keep reading: not published yet, so nowhere to be seen.
    time.sleep(max(0.0, page["go_live_at"] - time.time()) + 0.5)
    assert title not in press_titles(server)
    assert detail_status(server, page["id"]) == 404
    assert not in_feed(server, title)

    live.start_worker(env, "--schedule-interval", INTERVAL)
    wait_until(
        lambda: (
            title in press_titles(server)
            and detail_status(server, page["id"]) == 200
            and in_feed(server, title)
        ),
        timeout=WITHIN,
    )
    detail = requests.get(f"{server.url}/api/v1/press/{page['id']}/", timeout=10)
    assert detail.json()["title"] == title
    # Published as by an editor's click: live, with a publication time.
    state = run_python(live, env, STATE.format(pk=page["id"]))
    assert state["live"] is True
    assert state["last_published_at"] is not None


def test_expiring_press_release_disappears_and_is_unpublished(hub, live):
    env, server, worker = hub
    page = run_python(live, env, EXPIRE.format(seconds=AHEAD))
    assert page["title"] in press_titles(server)
    assert detail_status(server, page["id"]) == 200
    assert in_feed(server, page["title"])

    wait_until(
        lambda: (
            page["title"] not in press_titles(server)
            and detail_status(server, page["id"]) == 404
            and not in_feed(server, page["title"])
        ),
        timeout=AHEAD + WITHIN,
    )
    # The scheduler unpublished it, as Wagtail's admin shows ("abgelaufen").
    wait_until(lambda: "1 expired page(s)" in worker.log_text(), timeout=WITHIN)
    state = run_python(live, env, STATE.format(pk=page["id"]))
    assert state["expired"] is True
    assert state["live"] is False


PUBLICATIONS = """
from wagtail.models import PageLogEntry

print(json.dumps(PageLogEntry.objects.filter(
    page_id={pk}, action="wagtail.publish.scheduled"
).count()))
"""


def test_two_workers_publish_once_and_hand_over_on_shutdown(
    live_db: LiveDatabase, live: LiveProcesses
):
    env = live_db.env()
    server = live.start_server(env)
    workers = [
        live.start_worker(env, "--schedule-interval", INTERVAL, name=name)
        for name in ("worker-a", "worker-b")
    ]
    title = "Geplante Mitteilung bei zwei Workern"
    page = run_python(
        live, env, SCHEDULE.format(title=title, slug="zwei-worker", seconds=2)
    )
    wait_until(lambda: detail_status(server, page["id"]) == 200, timeout=WITHIN)
    # Exactly one worker ran the pass: one scheduled publication, logged by one worker.
    assert run_python(live, env, PUBLICATIONS.format(pk=page["id"])) == 1
    holders = [w for w in workers if "now runs scheduled publishing" in w.log_text()]
    assert len(holders) == 1
    # The line follows the commit the API already shows: give the log a moment.
    wait_until(lambda: "Scheduled publishing:" in holders[0].log_text(), timeout=10)
    (holder,) = holders
    (other,) = [w for w in workers if w is not holder]

    # SIGTERM: the holder stops cleanly and hands the schedule to the other worker.
    assert holder.stop() == 0
    assert "stopped" in holder.log_text()
    title = "Geplante Mitteilung nach dem Wechsel"
    page = run_python(
        live, env, SCHEDULE.format(title=title, slug="wechsel", seconds=2)
    )
    wait_until(lambda: detail_status(server, page["id"]) == 200, timeout=WITHIN)
    assert "now runs scheduled publishing" in other.log_text()
    wait_until(lambda: "Scheduled publishing:" in other.log_text(), timeout=10)
