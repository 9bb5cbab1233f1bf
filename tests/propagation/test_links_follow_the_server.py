"""Absolute links follow the address the hub is served on: a server on a port of its own
(as `make run PORT=…` or `make serve` starts it) links to that port, not to 8000."""

import os
import socket
import subprocess
from pathlib import Path

import pytest
import requests
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.live
def test_api_and_feed_links_point_to_the_servers_port(live_db, live):
    env = live_db.env()
    assert "SITE_BASE_URL" not in env  # nothing inherited: the server decides
    server = live.start_server(env)
    assert not server.url.endswith(":8000")

    events = requests.get(f"{server.url}/api/v1/events/?limit=1", timeout=10).json()
    assert events["next"].startswith(f"{server.url}/api/v1/events/?")
    assert events["results"][0]["api_url"].startswith(f"{server.url}/api/v1/events/")
    assert requests.get(events["next"], timeout=10).status_code == 200
    assert requests.get(events["results"][0]["api_url"], timeout=10).status_code == 200

    index = requests.get(f"{server.url}/api/v1/", timeout=10).json()
    assert index["docs"] == f"{server.url}/api/v1/docs/"

    rss = requests.get(f"{server.url}/feeds/events.rss", timeout=10)
    channel = etree.fromstring(rss.content).find("channel")
    self_link = channel.find("{http://www.w3.org/2005/Atom}link[@rel='self']")
    assert self_link.get("href") == f"{server.url}/feeds/events.rss"
    assert channel.findtext("link").startswith(server.url)
    stylesheet = rss.content.split(b"?>", 2)[1]
    assert f'href="{server.url}/static/'.encode() in stylesheet


def make_dry_run(*args: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "SITE_BASE_URL"}
    result = subprocess.run(  # noqa: S603
        ["make", "-n", *args],  # noqa: S607
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_make_run_and_serve_link_to_their_address():
    assert "links to http://127.0.0.1:8123/" in make_dry_run("run", "PORT=8123")
    assert "links to http://localhost:9000/" in make_dry_run(
        "serve", "HOST=localhost", "PORT=9000"
    )
    everywhere = make_dry_run("run", "HOST=0.0.0.0", "PORT=8080")
    assert f"links to http://{socket.gethostname()}:8080/" in everywhere


def test_an_ipv6_address_is_bracketed_in_links_and_the_bind_address():
    loopback = make_dry_run("run", "HOST=::1", "PORT=8124")
    assert "links to http://[::1]:8124/" in loopback
    assert "runserver --nostatic [::1]:8124" in loopback
    everywhere = make_dry_run("serve", "HOST=::", "PORT=8125")
    assert "--bind [::]:8125" in everywhere


def test_make_run_keeps_a_base_url_set_by_the_user():
    output = make_dry_run(
        "run", "HOST=0.0.0.0", SITE_BASE_URL="https://hub.example.org"
    )
    assert "links to https://hub.example.org/" in output
