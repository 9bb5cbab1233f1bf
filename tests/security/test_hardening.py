"""Security headers, CORS, rate limiting and admin login throttling."""

import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory, override_settings

import pytest

from hub.security import client_ip

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/veranstaltungen/", "/presse/", "/programme/", "/newsletter/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_carry_a_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/veranstaltungen/", "/presse/", "/sitemap.xml"])
def test_anonymous_responses_set_no_cookie(client, path):
    assert not client.get(path).cookies


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap.xml",
        "/api/v1/events/",
        "/api/v1/events/?limit=abc",
        "/api/v1/nothing-here/",
        "/api/v2/pages/",
        "/feeds/all.rss",
        "/feeds/events.ics?status=nope",
    ],
)
def test_data_responses_do_not_vary_on_cookie(client, path):
    """Shared caches may store them for everyone (pages vary: editors see the userbar)."""
    response = client.get(path)
    assert response.status_code < 500
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/events/", 200),
        ("/api/v1/events/?limit=abc", 400),
        ("/api/v1/events/999999/", 404),
        ("/feeds/all.rss", 200),
        ("/feeds/all.rss?city=NOT_A_SLUG", 400),
        ("/static/css/hub.css", 200),
    ],
)
def test_cors_headers_on_every_answer_including_errors(client, path, status):
    response = client.get(path, headers={"Origin": "https://partner.example"})
    assert response.status_code == status
    assert response["Access-Control-Allow-Origin"] == "*"
    if status == 200 and "ETag" in response:
        cached = client.get(
            path,
            headers={
                "Origin": "https://partner.example",
                "If-None-Match": response["ETag"],
            },
        )
        assert cached.status_code == 304
        assert cached["Access-Control-Allow-Origin"] == "*"


def test_data_responses_may_not_run_or_be_framed(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["X-Frame-Options"] == "DENY"


def test_embed_routes_may_be_framed_and_keep_their_own_policy(rf):
    from django.http import HttpResponse

    from hub.middleware import SecurityHeadersMiddleware

    own = "frame-ancestors https://www.witten.de"

    def embed_view(request):
        response = HttpResponse("<p>embed</p>", content_type="text/html")
        if request.GET.get("own"):
            response["Content-Security-Policy"] = own
        return response

    middleware = SecurityHeadersMiddleware(embed_view)
    with_own = middleware(rf.get("/embed/events/", {"own": "1"}))
    assert with_own["Content-Security-Policy"] == own
    assert with_own.xframe_options_exempt is True
    without = middleware(rf.get("/embed/events/"))
    assert "frame-ancestors" not in without["Content-Security-Policy"]
    assert "script-src 'self'" in without["Content-Security-Policy"]
    page = middleware(rf.get("/presse/"))
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert not getattr(page, "xframe_options_exempt", False)


@pytest.mark.parametrize("path", ["/embed/events/", "/embed/press/", "/embed/nope/"])
def test_embed_responses_get_no_x_frame_options_through_the_stack(client, path):
    """The whole middleware stack: nothing adds X-Frame-Options on /embed/, and the
    embed view's own frame-ancestors (editor-configured origins) is what framing obeys."""
    response = client.get(path)
    assert "X-Frame-Options" not in response
    if response.status_code == 200:
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert client.get("/presse/")["X-Frame-Options"] == "DENY"


def test_hsts_only_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    assert "Strict-Transport-Security" not in client.get("/presse/")
    secure = client.get("/presse/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_cors_never_allows_credentials(client, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    for path in ["/presse/", "/sitemap.xml", "/api/v1/events/", "/feeds/all.rss"]:
        response = client.get(path, headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Credentials" not in response
        assert response.get("Access-Control-Allow-Origin") in (None, "*")
        preflight = client.options(
            path,
            headers={
                "Origin": "https://evil.example",
                "Access-Control-Request-Method": "GET",
            },
        )
        assert "Access-Control-Allow-Credentials" not in preflight


def test_production_never_enables_credentialed_cors():
    from hub.settings import base

    assert base.CORS_ALLOW_CREDENTIALS is False


def test_admin_is_left_to_wagtail(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


# --- client address ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),
        (1, "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (2, "10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        # One hop through the inner proxy only: its peer is the client, not the proxy
        # (every client counted as the proxy could lock each other out).
        (2, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # The inner proxy's peer is no proxy of ours: it is the client.
        (2, "10.0.0.2", "1.2.3.4, 198.51.100.7, 203.0.113.9", "203.0.113.9"),
        # Straight from the internet, bypassing the proxy: the header is the client's.
        (1, "198.51.100.9", "203.0.113.9", "198.51.100.9"),
        (1, "10.0.0.1", "not-an-ip", "unknown"),
        (0, "2001:db8:1:2:3:4:5:6", "", "2001:db8:1:2::/64"),
        (0, "::ffff:192.0.2.7", "", "192.0.2.7"),
    ],
)
def test_client_ip_trusts_exactly_the_configured_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.HUB_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected


# --- rate limiting -------------------------------------------------------------------


@pytest.fixture
def low_limit(settings):
    """Three requests a minute; the test starts early in a window, so its requests
    cannot straddle two fixed windows (which would count them apart)."""
    settings.HUB_RATE_LIMIT_REQUESTS = 3
    settings.HUB_RATE_LIMIT_WINDOW = 60
    left_in_window = 60 - time.time() % 60
    if left_in_window < 20:
        time.sleep(left_in_window)
    return settings


@pytest.mark.parametrize(
    "path", ["/api/v1/events/", "/feeds/all.rss", "/embed/events/"]
)
def test_rate_limit_answers_429_with_retry_after(client, low_limit, path):
    statuses = [client.get(path).status_code for _ in range(3)]
    assert 429 not in statuses
    response = client.get(path)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Cache-Control"] == "no-store"
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 429
    else:
        assert response["Content-Type"].startswith("text/plain")


def test_spoofed_forwarded_for_does_not_evade_the_limit(client, low_limit):
    for n in range(3):
        client.get("/api/v1/events/", headers={"X-Forwarded-For": f"198.51.100.{n}"})
    response = client.get(
        "/api/v1/events/", headers={"X-Forwarded-For": "198.51.100.99"}
    )
    assert response.status_code == 429


def test_behind_a_proxy_the_limit_follows_the_real_client(client, low_limit):
    low_limit.HUB_TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        client.get(
            "/feeds/all.rss",
            headers={"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.5"},
        )
    blocked = client.get(
        "/feeds/all.rss", headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.5"}
    )
    assert blocked.status_code == 429
    other_client = client.get(
        "/feeds/all.rss", headers={"X-Forwarded-For": "203.0.113.6"}
    )
    assert other_client.status_code != 429


def test_public_pages_and_admin_are_not_rate_limited(client, low_limit):
    statuses = {client.get("/presse/").status_code for _ in range(6)}
    assert statuses == {200}


def test_rate_limit_fails_open_without_a_cache(client, low_limit):
    low_limit.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    statuses = {client.get("/api/v1/events/").status_code for _ in range(6)}
    assert 429 not in statuses


def test_rate_limit_can_be_switched_off(client, settings):
    settings.HUB_RATE_LIMIT_REQUESTS = 0
    statuses = {client.get("/feeds/all.rss").status_code for _ in range(5)}
    assert 429 not in statuses


# --- admin login throttling (every other way in: test_login_throttle.py) ---------------


@pytest.fixture
def editor():
    user = get_user_model().objects.create_superuser(
        "throttle-test", "t@example.org", "richtiges-passwort-123"
    )
    yield user
    user.delete()


def login(client, username, password, ip="192.0.2.10"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


@override_settings(HUB_LOGIN_MAX_FAILURES=3, HUB_LOGIN_LOCKOUT_SECONDS=600)
def test_admin_login_is_throttled_after_repeated_failures(client, editor):
    for _ in range(3):
        response = login(client, "throttle-test", "falsch")
        assert response.status_code == 200  # the form again, with its error
    blocked = login(client, "throttle-test", "richtiges-passwort-123")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "600"
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another client address, or another username, is not affected.
    assert login(client, "throttle-test", "richtiges-passwort-123", "192.0.2.11")[
        "Location"
    ].startswith("/admin/")


@override_settings(HUB_LOGIN_MAX_FAILURES=3)
def test_a_successful_login_clears_the_failures(client, editor):
    login(client, "Throttle-Test", "falsch")
    login(client, "throttle-test", "falsch")
    assert login(client, "throttle-test", "richtiges-passwort-123").status_code == 302
    client.logout()
    for _ in range(2):
        login(client, "throttle-test", "falsch")
    assert login(client, "throttle-test", "richtiges-passwort-123").status_code == 302


@override_settings(HUB_LOGIN_MAX_FAILURES=2)
def test_login_throttle_counts_in_the_shared_cache(client, editor):
    login(client, "throttle-test", "falsch")
    cache.clear()  # e.g. a restarted cache: counting starts again, nobody is locked out
    login(client, "throttle-test", "falsch")
    assert login(client, "throttle-test", "richtiges-passwort-123").status_code == 302
