from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from embeds.models import EmbedSettings
from tests.factories import EventOccurrenceFactory, EventPageFactory
from tests.queries import STATE_READ

pytestmark = pytest.mark.django_db

WITTEN = "/embed/events/?city=witten"
PARTNER = "https://www.witten.de"
WITTEN_EVENTS = (
    "Laien-Sprachmittlerpool – Grundlagenschulung in Witten",
    "Workshop für Akteure in der Integrationsarbeit",
)


@pytest.fixture
def allowed():
    settings_row = EmbedSettings.load()
    settings_row.allowed_origins = f"{PARTNER}\nhttp://localhost:8080"
    settings_row.save()
    return settings_row


def test_embed_lists_the_citys_events_linking_to_public_pages(client):
    response = client.get(WITTEN)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert html.startswith("<!DOCTYPE html>")
    for title in WITTEN_EVENTS:
        assert title in html
    assert "Woche der Vielfalt" not in html
    assert (
        'href="http://127.0.0.1:8000/veranstaltungen/'
        'laien-sprachmittlerpool-grundlagenschulung-witten-2020/" '
        'target="_blank" rel="noopener"'
    ) in html
    assert "Montag, 24. August 2020, 15:00–19:00 Uhr" in html
    assert 'href="http://127.0.0.1:8000/veranstaltungen/?city=witten"' in html
    assert '<script src="/embed/resize.js" defer></script>' in html  # reports height
    resize = client.get("/embed/resize.js")
    assert b"hub-embed:height" in resize.content
    assert resize["Cache-Control"] == "public, max-age=86400"


def test_fragment_is_a_themed_snippet_without_document(client):
    response = client.get(WITTEN + "&format=fragment&accent=7A1F00&font=serif")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div class="hub-embed hub-embed--events" lang="de"')
    assert "--hub-accent:#7a1f00" in html
    assert "--hub-font:Georgia" in html
    assert "<html" not in html and "<script" not in html
    assert 'target="_blank"' not in html
    assert '<h2 class="hub-embed__title">' in html
    deeper = client.get(WITTEN + "&format=fragment&heading=3").content.decode()
    assert '<h3 class="hub-embed__title">Veranstaltungen</h3>' in deeper


def test_press_embed_shows_dates(client):
    html = client.get("/embed/press/?limit=2").content.decode()
    assert html.count('class="hub-embed__item"') == 2
    assert "Alle Pressemitteilungen" in html


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("accent=red", "accent"),
        ("accent=%23ff00001", "accent"),
        ("background=url(x)", "background"),
        ("text=%3C/style%3E", "text"),
        ("font=Comic%20Sans", "font"),
        ("format=json", "format"),
        ("city=Witten!", "Stadt"),
        ("limit=101", "Anzahl"),
        ("limit=abc", "Anzahl"),
        ("status=nope", "Status"),
        ("colour=red", "colour"),
        ("city=%00", "Stadt"),
        ("title=" + "x" * 81, "title"),
        ("heading=1", "heading"),
        ("heading=h3", "heading"),
    ],
)
def test_bad_parameters_get_a_plain_german_400(client, query, named):
    response = client.get(f"/embed/events/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("Diese Einbettung enthält ungültige Angaben:")
    assert f"„{named}“" in body
    assert "frame-ancestors" in response["Content-Security-Policy"]


def test_unknown_section_is_404_and_post_is_405(client):
    assert client.get("/embed/secrets/").status_code == 404
    assert client.post(WITTEN).status_code == 405


def test_frame_ancestors_follow_the_editors_setting(client, allowed):
    response = client.get(WITTEN)
    policy = response["Content-Security-Policy"]
    assert policy.endswith(f"; frame-ancestors 'self' {PARTNER} http://localhost:8080")
    assert "script-src 'self';" in policy
    assert "X-Frame-Options" not in response
    # Every other page stays unframeable.
    assert client.get("/veranstaltungen/")["X-Frame-Options"] == "DENY"


def test_without_origins_only_the_hub_itself_may_frame(client):
    response = client.get(WITTEN)
    assert response["Content-Security-Policy"].endswith("; frame-ancestors 'self'")


def test_cors_echoes_only_allowed_origins_even_from_the_cache(client, allowed):
    first = client.get(WITTEN + "&format=fragment", headers={"Origin": PARTNER})
    assert first["Access-Control-Allow-Origin"] == PARTNER
    assert "Origin" in first["Vary"]
    assert "Access-Control-Allow-Credentials" not in first
    stranger = client.get(
        WITTEN + "&format=fragment", headers={"Origin": "https://evil.example"}
    )
    assert stranger.status_code == 200
    assert "Access-Control-Allow-Origin" not in stranger
    assert "Origin" in stranger["Vary"]
    again = client.get(WITTEN + "&format=fragment", headers={"Origin": PARTNER})
    assert again["Access-Control-Allow-Origin"] == PARTNER
    revalidated = client.get(
        WITTEN + "&format=fragment",
        headers={"Origin": PARTNER, "If-None-Match": first["ETag"]},
    )
    assert revalidated.status_code == 304
    assert revalidated["Access-Control-Allow-Origin"] == PARTNER
    refused = client.get("/embed/events/?accent=nope", headers={"Origin": PARTNER})
    assert refused.status_code == 400
    assert refused["Access-Control-Allow-Origin"] == PARTNER


def test_saving_the_setting_takes_effect_at_once(client, allowed):
    assert PARTNER in client.get(WITTEN)["Content-Security-Policy"]
    allowed.allowed_origins = "https://www.hattingen.de"
    allowed.save()
    policy = client.get(WITTEN)["Content-Security-Policy"]
    assert PARTNER not in policy
    assert "https://www.hattingen.de" in policy


# An embed's first answer stays within this many queries, whatever the list's length.
EMBED_QUERY_BUDGET = 6


def embed_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_embed_queries_are_budgeted_and_cached(client, django_assert_num_queries):
    client.get("/embed/events/?limit=1")  # warm site root paths and the origins cache
    assert embed_queries(client, WITTEN) <= EMBED_QUERY_BUDGET
    with django_assert_num_queries(STATE_READ):
        assert client.get(WITTEN).status_code == 200


def test_query_count_does_not_grow_with_the_list(client):
    client.get("/embed/events/?limit=2")
    one = embed_queries(client, "/embed/events/?limit=1")
    hundred = embed_queries(client, "/embed/events/?limit=100")
    assert one == hundred <= EMBED_QUERY_BUDGET, (one, hundred)
    html = client.get("/embed/events/?limit=100").content.decode()
    assert html.count('class="hub-embed__item"') == 14


def test_hidden_events_never_reach_an_embed(client, demo):
    draft = EventPageFactory(parent=demo.events, title="Entwurf im Embed", live=False)
    EventOccurrenceFactory(page=draft)
    html = client.get("/embed/events/?limit=100").content.decode()
    assert "Entwurf im Embed" not in html


def test_hub_embed_script_is_small_and_long_cached(client):
    response = client.get("/embed/hub-embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert len(response.content) < 4096
    assert b"data-hub-section" in response.content
    assert (
        client.get(
            "/embed/hub-embed.js", headers={"If-None-Match": response["ETag"]}
        ).status_code
        == 304
    )
    assert client.head("/embed/hub-embed.js").content == b""


def test_readme_states_the_scripts_real_size():
    import gzip
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (root / "embeds" / "assets" / "hub-embed.js").read_bytes()
    zipped = len(gzip.compress(script, compresslevel=9, mtime=0))
    readme = (root / "README.md").read_text()
    assert f"**{len(script):,} bytes raw, {zipped:,} bytes gzipped**" in readme
