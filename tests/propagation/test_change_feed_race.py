"""A partner polling the change feed while two other processes publish, edit and
unpublish keeps an exact copy: no change committed concurrently is ever skipped, and
its cursor outlives a restart of the hub."""

import threading
import time

import pytest
import requests

from tests.live import LiveDatabase, LiveProcesses, free_port

pytestmark = pytest.mark.live

WRITER = """
import random, time
from wagtail.models import Page
from pages.models import PressIndexPage
from tests.factories import PressReleasePageFactory

index = PressIndexPage.objects.get(locale__language_code="de")
rng = random.Random({seed})
mine = []
for number in range({steps}):
    roll = rng.random()
    if len(mine) < 3 or roll < 0.4:
        page = PressReleasePageFactory(
            parent=index, title="Schreiber {seed}: Mitteilung " + str(number)
        )
        mine.append(page.pk)
    else:
        page = Page.objects.get(pk=rng.choice(mine)).specific
        if roll < 0.7 or not page.live:
            page.title = page.title + " (geändert)"
            page.save_revision().publish()
        else:
            page.unpublish()
    time.sleep(rng.random() * 0.05)
print("done")
"""


def visible(server: str) -> dict[int, str]:
    """Every visible item's `modified_at`, by id, from the list API."""
    found: dict[int, str] = {}
    url: str | None = f"{server}/api/v1/items/?limit=100"
    while url:
        body = requests.get(url, timeout=10).json()
        found |= {item["id"]: item["modified_at"] for item in body["results"]}
        url = body["next"]
    return found


class Mirror:
    def __init__(self, server: str) -> None:
        self.server = server
        self.items: dict[int, str] = {}
        self.cursor: str | None = None
        self.session = requests.Session()

    def sync(self) -> None:
        params = {"limit": "7"} | ({"cursor": self.cursor} if self.cursor else {})
        url: str | None = f"{self.server}/api/v1/changes/"
        while url:
            response = self.session.get(url, params=params, timeout=10)
            assert response.status_code == 200, response.text[:300]
            body = response.json()
            for item in body["items"]:
                self.items[item["id"]] = item["modified_at"]
            for gone in body["deleted"]:
                self.items.pop(gone["id"], None)
            self.cursor = body["cursor"]
            url, params = body["next"], {}


def test_a_reader_racing_two_writers_misses_nothing(
    live_db: LiveDatabase, live: LiveProcesses
):
    port = free_port()
    env = live_db.env(SITE_BASE_URL=f"http://127.0.0.1:{port}")
    server = live.start_server(env, port)
    mirror = Mirror(server.url)
    mirror.sync()
    assert mirror.items == visible(server.url)

    writers = [
        threading.Thread(
            target=live.manage,
            args=(env, "shell", "-c", WRITER.format(seed=seed, steps=25)),
        )
        for seed in (1, 2)
    ]
    for writer in writers:
        writer.start()
    polls = 0
    while any(writer.is_alive() for writer in writers):
        mirror.sync()
        polls += 1
        time.sleep(0.02)
    for writer in writers:
        writer.join()
    # Cursors live in the partner's hands and the database: a restarted hub takes them.
    server.stop()
    live.manage(env, "shell", "-c", WRITER.format(seed=3, steps=4))
    server = live.start_server(env, port)
    mirror.sync()

    assert polls > 3, "the reader must have read while the writers wrote"
    assert mirror.items == visible(server.url)
