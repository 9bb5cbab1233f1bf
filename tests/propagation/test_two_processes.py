"""A change committed by any process shows in every other process at its next request.

Two app servers on one database (each with its own local-memory cache on SQLite; one
Redis with PostgreSQL), a management command as a third writer, and an editor in the
admin of the first server. A partner reads the second server, which has every surface
cached from before the change: API list and detail, Wagtail's API v2, a feed, an embed,
the public page and the sitemap. Nothing waits: the next request must be right.
"""

import json
import re
from dataclasses import dataclass

import pytest
import requests

from tests.live import LiveDatabase, LiveProcess, LiveProcesses

pytestmark = pytest.mark.live

EDIT_VENUE = """
import json
from pages.snippets import Venue
venue = Venue.objects.get(pk={pk})
venue.street = {street!r}
venue.save()
print(json.dumps({{"street": venue.street}}))
"""

PUBLISH_TITLE = """
import json
from wagtail.models import Page
page = Page.objects.get(pk={pk}).specific
page.title = {title!r}
page.save_revision().publish()
print(json.dumps({{"title": page.title}}))
"""


def shell(live: LiveProcesses, env: dict[str, str], code: str) -> dict:
    output = live.manage(env, "shell", "-c", code).stdout.strip()
    return json.loads(output.splitlines()[-1])


def surfaces(server_url: str, item: dict) -> dict[str, str]:
    """Every public surface that shows `item` (an API list entry), by name → URL."""
    return {
        "api list": f"{server_url}/api/v1/events/?limit=100",
        "api items": f"{server_url}/api/v1/items/?limit=100",
        "api detail": f"{server_url}/api/v1/events/{item['id']}/",
        "api v2": f"{server_url}/api/v2/pages/?type=pages.EventPage&limit=100",
        "feed": f"{server_url}/feeds/events.rss",
        "calendar": f"{server_url}/feeds/events.ics",
        "embed": f"{server_url}/embed/events/?limit=100",
        "page": server_url + re.sub(r"^https?://[^/]+", "", item["url"]),
        "sitemap": f"{server_url}/sitemap.xml",
    }


def read_all(
    session: requests.Session, urls: dict[str, str]
) -> dict[str, requests.Response]:
    return {name: session.get(url, timeout=10) for name, url in urls.items()}


def event_with_venue(server_url: str) -> dict:
    events = requests.get(f"{server_url}/api/v1/events/?limit=100", timeout=10).json()
    return next(
        item
        for item in events["results"]
        if item.get("venue") and item["venue"]["street"]
    )


def admin_session(server_url: str) -> requests.Session:
    session = requests.Session()
    login = session.get(f"{server_url}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    assert token, login.text[:500]
    response = session.post(
        f"{server_url}/admin/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": "redaktion",
            "password": "ki-demo-2026",
            "next": "/admin/",
        },
        headers={"Referer": f"{server_url}/admin/login/"},
        timeout=10,
    )
    assert response.status_code == 200 and "/admin/login/" not in response.url
    return session


def unpublish_in_admin(session: requests.Session, server_url: str, pk: int) -> None:
    url = f"{server_url}/admin/pages/{pk}/unpublish/"
    form = session.get(url, timeout=10)
    assert form.status_code == 200, form.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    response = session.post(
        url,
        data={"csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": url},
        timeout=10,
    )
    assert response.status_code in (200, 302), response.text[:500]


@dataclass
class Hub:
    env: dict[str, str]
    first: LiveProcess
    second: LiveProcess
    item: dict
    """An event with a venue that has a street (its API list entry)."""
    partner: requests.Session
    before: dict[str, requests.Response]
    """What the partner read from the second server before the change (now cached)."""


@pytest.fixture
def hub(live_db: LiveDatabase, live: LiveProcesses) -> Hub:
    """Two servers on one database, every surface of both asked once (now cached)."""
    env = live_db.env()
    first, second = live.start_server(env), live.start_server(env)
    item = event_with_venue(first.url)
    partner = requests.Session()
    for server in (first, second):
        before = read_all(partner, surfaces(server.url, item))
        assert all(r.status_code == 200 for r in before.values()), before
    return Hub(env, first, second, item, partner, before)


def test_an_edit_by_a_third_process_shows_on_every_surface_of_both_servers(
    hub: Hub, live: LiveProcesses
):
    env, first, second, item, partner = (
        hub.env,
        hub.first,
        hub.second,
        hub.item,
        hub.partner,
    )
    venue_id = requests.get(
        f"{first.url}/api/v1/events/{item['id']}/", timeout=10
    ).json()["venue"]
    old_street = venue_id["street"]
    detail_before = partner.get(f"{second.url}/api/v1/events/{item['id']}/", timeout=10)
    pk = shell(
        live,
        env,
        "import json\nfrom pages.models import EventPage\n"
        f"print(json.dumps({{'pk': EventPage.objects.get(pk={item['id']}).venue_id}}))",
    )["pk"]
    shell(live, env, EDIT_VENUE.format(pk=pk, street="Neue Straße 7"))

    for server in (first, second):
        detail = partner.get(
            f"{server.url}/api/v1/events/{item['id']}/",
            headers={"If-None-Match": detail_before.headers["ETag"]},
            timeout=10,
        )
        assert detail.status_code == 200, server.url
        assert detail.json()["venue"]["street"] == "Neue Straße 7"
        assert detail.headers["ETag"] != detail_before.headers["ETag"]
        assert detail.json()["modified_at"] > detail_before.json()["modified_at"]
        answers = read_all(partner, surfaces(server.url, item))
        # Every surface that shows addresses (embeds show the place's name only).
        for name in ("api list", "feed", "calendar", "page"):
            assert "Neue Straße 7" in answers[name].text, (server.url, name)
            assert old_street not in answers[name].text, (server.url, name)


def test_a_title_published_by_a_command_shows_at_once_on_both_servers(
    hub: Hub, live: LiveProcesses
):
    item = hub.item
    shell(live, hub.env, PUBLISH_TITLE.format(pk=item["id"], title="Sprachcafé neu"))

    for server in (hub.first, hub.second):
        answers = read_all(hub.partner, surfaces(server.url, item))
        for name in (
            "api list",
            "api items",
            "api detail",
            "api v2",
            "feed",
            "embed",
            "page",
        ):
            assert "Sprachcafé neu" in answers[name].text, (server.url, name)


def test_unpublished_in_one_servers_admin_is_gone_from_the_other_at_once(hub: Hub):
    first, second, item, partner, before = (
        hub.first,
        hub.second,
        hub.item,
        hub.partner,
        hub.before,
    )
    assert item["title"] in before["feed"].text

    unpublish_in_admin(admin_session(first.url), first.url, item["id"])

    answers = read_all(partner, surfaces(second.url, item))
    assert answers["api detail"].status_code == 404
    assert answers["page"].status_code == 404
    ids = [entry["id"] for entry in answers["api list"].json()["results"]]
    assert item["id"] not in ids
    assert item["id"] not in [p["id"] for p in answers["api v2"].json()["items"]]
    page_path = re.sub(r"^https?://[^/]+", "", item["url"])
    for name in ("feed", "calendar", "embed", "sitemap"):
        assert page_path not in answers[name].text, name
    # A client that revalidates by date learns that the list changed.
    revalidated = partner.get(
        surfaces(second.url, item)["api list"],
        headers={"If-Modified-Since": before["api list"].headers["Last-Modified"]},
        timeout=10,
    )
    assert revalidated.status_code == 200
