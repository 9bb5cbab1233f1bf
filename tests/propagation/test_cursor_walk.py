"""A partner walks a list by cursor on a real server while another process publishes and
unpublishes: every item that stays visible for the whole walk comes exactly once."""

import json
import threading
from urllib.parse import urlsplit

import pytest
import requests

from tests.live import LiveDatabase, LiveProcesses

pytestmark = pytest.mark.live

PUBLISH_AND_UNPUBLISH = """
import datetime as dt, json
from pages.models import PressIndexPage, PressReleasePage
index = PressIndexPage.objects.get(locale__language_code="de")
new = PressReleasePage(title="Neu {n}", slug="neu-{n}", date=dt.date(2099, 1, {day}))
index.add_child(instance=new)
new.save_revision().publish()
gone = []
for pk in {unpublish}:
    PressReleasePage.objects.get(pk=pk).unpublish()
    gone.append(pk)
print(json.dumps({{"published": new.pk, "unpublished": gone}}))
"""


def test_a_cursor_walk_sees_every_item_that_stays_exactly_once(
    live_db: LiveDatabase, live: LiveProcesses
):
    env = live_db.env()
    server = live.start_server(env)
    partner = requests.Session()

    def page(url: str) -> dict:
        response = partner.get(url, timeout=10)
        assert response.status_code == 200, response.text[:500]
        return response.json()

    before = [
        item["id"] for item in page(f"{server.url}/api/v1/press/?limit=100")["results"]
    ]
    assert len(before) >= 6
    unpublished: list[int] = []
    published: list[int] = []
    seen: list[int] = []
    go, moved, done = threading.Event(), threading.Event(), threading.Event()

    def writer() -> None:
        """Between two page fetches: one new release on top, one walked past and one
        not yet reached taken down."""
        for n in range(1, 29):
            go.wait()
            go.clear()
            if done.is_set():
                return
            walked = [pk for pk in seen if pk not in unpublished][:1]
            ahead = [pk for pk in before[::-1] if pk not in seen + unpublished][:1]
            code = PUBLISH_AND_UNPUBLISH.format(n=n, day=n, unpublish=walked + ahead)
            output = live.manage(env, "shell", "-c", code).stdout
            result = json.loads(output.strip().splitlines()[-1])
            published.append(result["published"])
            unpublished.extend(result["unpublished"])
            moved.set()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    url = f"{server.url}/api/v1/press/?limit=2&cursor=first"
    try:
        for _ in range(50):
            data = page(url)
            seen += [item["id"] for item in data["results"]]
            if not data["next"]:
                break
            moved.clear()
            go.set()  # the writer's move, between two pages
            assert moved.wait(150), "the writer did not move"
            url = server.url + _path(data["next"])
    finally:
        done.set()
        go.set()
        thread.join(timeout=150)

    assert published and unpublished, "the writer changed nothing"
    stayed = [pk for pk in before if pk not in unpublished]
    assert len(seen) == len(set(seen)), f"came twice: {seen}"
    assert set(stayed) <= set(seen), f"skipped: {set(stayed) - set(seen)}"
    assert set(seen) <= set(before) | set(published)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"
