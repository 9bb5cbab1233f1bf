"""Password guessing: every route that checks a password or other secret, counted.

Each route allows `LIMIT` failed attempts from a client; the next one is refused with
429, `Retry-After` and (outside the API) a German page, even with the right secret,
while another client is unaffected. The list of routes is checked against the real
URLconf, and this module mounts two more ways in (a Django login view and HTTP Basic on
an API view) as a later change might, to show they are covered without being named.
"""

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from wagtail.admin.views.account import AccountView
from wagtail.models import PageViewRestriction

import pytest
from rest_framework.authentication import BasicAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from hub.throttle import DEVICE_COOKIE
from hub.urls import urlpatterns as hub_urlpatterns
from tests.factories import PressReleasePageFactory, PrivateCollectionFactory

pytestmark = pytest.mark.django_db

LIMIT = 3
LOCKOUT = 600
PASSWORD = "richtiges-Passwort-2026"
WRONG = "falsches-Passwort"
ATTACKER = "192.0.2.66"
OTHER = "192.0.2.77"
GERMAN = "Zu viele fehlgeschlagene Anmeldeversuche"


class BasicAuthProbe(APIView):
    """An API view with HTTP Basic, as a later change might add one."""

    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.get_username()})


# Ways in that a later change might mount; nothing in `hub` names them.
urlpatterns = [
    path("api/probe/", BasicAuthProbe.as_view()),
    path(
        "konto/anmelden/",
        auth_views.LoginView.as_view(template_name="wagtailcore/login.html"),
    ),
    *hub_urlpatterns,
]


@pytest.fixture
def limits(settings):
    settings.HUB_LOGIN_MAX_FAILURES = LIMIT
    settings.HUB_LOGIN_LOCKOUT_SECONDS = LOCKOUT
    settings.HUB_LOGIN_CLIENT_MAX_FAILURES = 10
    settings.HUB_LOGIN_USERNAME_MAX_FAILURES = 10
    settings.HUB_LOGIN_USERNAME_DELAY = 60
    return settings


def make_editor(username="redaktion"):
    return get_user_model().objects.create_superuser(
        username, f"{username}@example.org", PASSWORD, first_name="Rita", last_name="R"
    )


@pytest.fixture
def editor():
    return make_editor()


def sign_in(client, username, password, ip, url="/admin/login/", **extra):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def assert_refused(response, within=LOCKOUT):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= within
    assert response["Cache-Control"] == "no-store"
    if response["Content-Type"] == "application/problem+json":
        assert response.json()["status"] == 429
    else:
        assert GERMAN in response.content.decode()


# --- every route, counted --------------------------------------------------------------


@dataclass
class Route:
    """`attempt(client, secret, ip)` tries a secret on one route."""

    attempt: Callable
    right: str
    failed: int  # status of a failed attempt
    succeeded: int  # status of a successful one


def login_route(url: str) -> Callable:
    def build(editor, demo):
        return Route(
            lambda client, secret, ip: sign_in(client, "redaktion", secret, ip, url),
            PASSWORD,
            failed=200,
            succeeded=302,
        )

    return build


def page_password_route(editor, demo):
    page = PressReleasePageFactory(
        parent=demo.press, private=True, private__password="seitenpasswort"
    )
    restriction = PageViewRestriction.objects.get(page=page)
    url = reverse(
        "wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]
    )
    return Route(
        lambda client, secret, ip: client.post(
            url, {"password": secret, "return_url": "/presse/"}, REMOTE_ADDR=ip
        ),
        "seitenpasswort",
        failed=200,
        succeeded=302,
    )


def document_password_route(editor, demo):
    collection = PrivateCollectionFactory(
        restriction="password", restriction__password="ordnerpasswort"
    )
    url = reverse(
        "wagtaildocs_authenticate_with_password",
        args=[collection.view_restrictions.get().pk],
    )
    return Route(
        lambda client, secret, ip: client.post(
            url, {"password": secret, "return_url": "/"}, REMOTE_ADDR=ip
        ),
        "ordnerpasswort",
        failed=200,
        succeeded=302,
    )


def account_form(client) -> dict:
    """Every panel of the account page as shown, so only the password decides."""
    data: dict = {}
    response = client.get(reverse("wagtailadmin_account"))
    for panels in response.context["panels_by_tab"].values():
        for panel in panels:
            form = panel.get_form()
            for name in form.fields:
                value = form[name].value()
                if value in (None, False, "") or hasattr(value, "read"):
                    continue
                data[form.add_prefix(name)] = "on" if value is True else value
    return data


def password_change_route(editor, demo):
    def attempt(client, secret, ip):
        client.force_login(editor)
        data = account_form(client) | {
            "password-old_password": secret,
            "password-new_password1": "Neues-Passwort-2026!",
            "password-new_password2": "Neues-Passwort-2026!",
        }
        return client.post(reverse("wagtailadmin_account"), data, REMOTE_ADDR=ip)

    return Route(attempt, PASSWORD, failed=200, succeeded=302)


def password_reset_confirm_route(editor, demo):
    uid = urlsafe_base64_encode(force_bytes(editor.pk))

    def attempt(client, token, ip):
        url = reverse("wagtailadmin_password_reset_confirm", args=[uid, token])
        return client.get(url, REMOTE_ADDR=ip)

    return Route(
        attempt, default_token_generator.make_token(editor), failed=200, succeeded=302
    )


def basic_auth_route(editor, demo):
    def attempt(client, secret, ip):
        credentials = base64.b64encode(f"redaktion:{secret}".encode()).decode()
        return client.get(
            "/api/probe/",
            REMOTE_ADDR=ip,
            headers={"Authorization": f"Basic {credentials}"},
        )

    return Route(attempt, PASSWORD, failed=401, succeeded=200)


ROUTES = {
    "wagtailadmin_login": login_route("/admin/login/"),
    "wagtailcore_login": login_route("/_util/login/"),
    "wagtailcore_authenticate_with_password": page_password_route,
    "wagtaildocs_authenticate_with_password": document_password_route,
    "wagtailadmin_account": password_change_route,
    "wagtailadmin_password_reset_confirm": password_reset_confirm_route,
    # Mounted by this module only: covered without being named in `hub`.
    "later: Django LoginView": login_route("/konto/anmelden/"),
    "later: HTTP Basic on an API view": basic_auth_route,
}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("name", ROUTES)
def test_each_way_in_allows_n_failures_then_refuses(limits, editor, demo, name):
    route = ROUTES[name](editor, demo)
    attacker = Client()
    for _ in range(LIMIT):
        assert route.attempt(attacker, WRONG, ATTACKER).status_code == route.failed
    assert_refused(route.attempt(attacker, route.right, ATTACKER))
    assert route.attempt(Client(), route.right, OTHER).status_code == route.succeeded


def _named_routes(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_routes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, pattern.callback


SECRET_VIEWS = (
    auth_views.LoginView,
    auth_views.PasswordChangeView,
    auth_views.PasswordResetConfirmView,
    AccountView,  # changing one's password asks for the old one
)


def test_every_route_that_takes_a_secret_is_counted_above():
    """Found in the real URLconf: a login view Wagtail or we add later fails here."""
    found = set()
    for name, callback in _named_routes(get_resolver("hub.urls").url_patterns):
        view_class = getattr(callback, "view_class", None)
        if (view_class and issubclass(view_class, SECRET_VIEWS)) or (
            getattr(callback, "__name__", "") == "authenticate_with_password"
        ):
            found.add(name)
    assert found == {name for name in ROUTES if not name.startswith("later: ")}


# --- one lockout for every route ---------------------------------------------------------


@pytest.mark.parametrize(
    "failing", ["wagtailcore_login", "wagtailadmin_account", "later: Django LoginView"]
)
@pytest.mark.urls(__name__)
def test_failures_on_any_route_lock_the_admin_login(limits, editor, demo, failing):
    route = ROUTES[failing](editor, demo)
    attacker = Client()
    for _ in range(LIMIT):
        route.attempt(attacker, WRONG, ATTACKER)
    attacker.logout()
    assert_refused(sign_in(attacker, "redaktion", PASSWORD, ATTACKER))


def test_a_locked_client_is_refused_before_any_password_is_checked(limits, editor):
    """The backend refuses every `authenticate()` call, whatever view makes it."""
    for _ in range(LIMIT):
        sign_in(Client(), "redaktion", WRONG, ATTACKER)
    request = RequestFactory().post("/", REMOTE_ADDR=ATTACKER)
    assert authenticate(request, username="redaktion", password=PASSWORD) is None
    elsewhere = RequestFactory().post("/", REMOTE_ADDR=OTHER)
    assert authenticate(elsewhere, username="redaktion", password=PASSWORD) == editor


# --- spraying, distributed guessing, successful sign-ins ---------------------------------


def test_one_password_across_many_user_names_locks_the_client(limits, editor):
    limits.HUB_LOGIN_CLIENT_MAX_FAILURES = 4
    for n in range(4):
        response = sign_in(Client(), f"kollegin{n}", "Sommer2026!", ATTACKER)
        assert response.status_code == 200
    assert_refused(sign_in(Client(), "redaktion", PASSWORD, ATTACKER))
    assert sign_in(Client(), "redaktion", PASSWORD, OTHER).status_code == 302


def test_signing_in_with_ones_own_account_keeps_a_victims_counter(limits, editor):
    make_editor("angreifer")
    attacker = Client()
    for _ in range(LIMIT - 1):
        sign_in(attacker, "redaktion", WRONG, ATTACKER)
    assert sign_in(attacker, "angreifer", PASSWORD, ATTACKER).status_code == 302
    attacker.logout()
    sign_in(attacker, "redaktion", WRONG, ATTACKER)
    assert_refused(sign_in(attacker, "redaktion", PASSWORD, ATTACKER))


def test_signing_in_with_ones_own_account_keeps_the_clients_counter(limits, editor):
    limits.HUB_LOGIN_CLIENT_MAX_FAILURES = 3
    make_editor("angreifer")
    attacker = Client()
    sign_in(attacker, "kollegin1", WRONG, ATTACKER)
    sign_in(attacker, "kollegin2", WRONG, ATTACKER)
    assert sign_in(attacker, "angreifer", PASSWORD, ATTACKER).status_code == 302
    attacker.logout()
    sign_in(attacker, "kollegin3", WRONG, ATTACKER)
    assert_refused(sign_in(attacker, "redaktion", PASSWORD, ATTACKER))


def test_guessing_one_user_name_from_many_clients_slows_it_but_locks_no_one_out(
    limits, editor
):
    limits.HUB_LOGIN_USERNAME_MAX_FAILURES = 4
    limits.HUB_LOGIN_USERNAME_DELAY = 30
    browser = Client()
    assert sign_in(browser, "redaktion", PASSWORD, OTHER).status_code == 302
    device = browser.cookies[DEVICE_COOKIE]
    for n in range(4):
        assert (
            sign_in(Client(), "redaktion", WRONG, f"198.51.100.{n}").status_code == 200
        )
    # A fifth client must wait a little (not the lockout): a slowdown per user name.
    assert_refused(sign_in(Client(), "redaktion", PASSWORD, "198.51.100.99"), within=30)
    # The editor's own browser, even from an attacker's address, is not slowed down.
    own = Client()
    own.cookies[DEVICE_COOKIE] = device.value
    assert sign_in(own, "redaktion", PASSWORD, "198.51.100.0").status_code == 302


def test_the_user_name_slowdown_passes(limits, editor):
    limits.HUB_LOGIN_USERNAME_MAX_FAILURES = 2
    limits.HUB_LOGIN_USERNAME_DELAY = 1
    for n in range(2):
        sign_in(Client(), "redaktion", WRONG, f"198.51.100.{n}")
    assert_refused(sign_in(Client(), "redaktion", PASSWORD, "198.51.100.50"), within=1)
    time.sleep(1.1)
    assert sign_in(Client(), "redaktion", PASSWORD, "198.51.100.51").status_code == 302


def test_an_attacker_at_the_editors_address_cannot_lock_the_editors_browser(
    limits, editor
):
    """Same office, same proxy: the address is locked, the known browser is not."""
    browser = Client()
    assert sign_in(browser, "redaktion", PASSWORD, OTHER).status_code == 302
    device = browser.cookies[DEVICE_COOKIE]
    for _ in range(LIMIT):
        sign_in(Client(), "redaktion", WRONG, OTHER)
    assert_refused(sign_in(Client(), "redaktion", PASSWORD, OTHER))
    own = Client()
    own.cookies[DEVICE_COOKIE] = device.value
    assert sign_in(own, "redaktion", PASSWORD, OTHER).status_code == 302


def test_a_device_cookie_for_another_user_or_forged_counts_for_nothing(limits, editor):
    make_editor("kollegin")
    browser = Client()
    sign_in(browser, "kollegin", PASSWORD, OTHER)
    for _ in range(LIMIT):
        sign_in(Client(), "redaktion", WRONG, OTHER)
    for value in (browser.cookies[DEVICE_COOKIE].value, "forged:device"):
        stranger = Client()
        stranger.cookies[DEVICE_COOKIE] = value
        assert_refused(sign_in(stranger, "redaktion", PASSWORD, OTHER))


# --- behind proxies ----------------------------------------------------------------------


def via_proxy(client_address, spoofed=""):
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}


def test_behind_the_proxy_the_lockout_follows_the_real_client(limits, editor):
    limits.HUB_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for n in range(LIMIT):
        attacker.post(
            "/admin/login/",
            {"username": "redaktion", "password": WRONG},
            **via_proxy("203.0.113.66", spoofed=f"198.51.100.{n}"),
        )
    refused = attacker.post(
        "/admin/login/",
        {"username": "redaktion", "password": PASSWORD},
        **via_proxy("203.0.113.66", spoofed="1.1.1.1"),
    )
    assert_refused(refused)
    editor_browser = Client().post(
        "/admin/login/",
        {"username": "redaktion", "password": PASSWORD},
        **via_proxy("203.0.113.7"),
    )
    assert editor_browser.status_code == 302


def test_a_client_bypassing_the_proxy_cannot_pose_as_an_editors_address(limits, editor):
    """Forwarded-For is read only from a configured proxy, never from anyone else."""
    limits.HUB_TRUSTED_PROXY_COUNT = 1
    for _ in range(LIMIT + 2):
        Client().post(
            "/admin/login/",
            {"username": "redaktion", "password": WRONG},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    editor_browser = Client().post(
        "/admin/login/",
        {"username": "redaktion", "password": PASSWORD},
        **via_proxy("203.0.113.7"),
    )
    assert editor_browser.status_code == 302


# --- not attempts ------------------------------------------------------------------------


def test_the_right_page_password_is_never_counted(limits, editor, demo):
    limits.HUB_LOGIN_CLIENT_MAX_FAILURES = LIMIT
    route = page_password_route(editor, demo)
    visitor = Client()
    for _ in range(LIMIT + 1):
        assert route.attempt(visitor, route.right, OTHER).status_code == 302


def test_setting_a_page_password_in_the_admin_is_not_an_attempt(limits, editor, demo):
    limits.HUB_LOGIN_CLIENT_MAX_FAILURES = LIMIT
    admin = Client()
    admin.force_login(editor)
    page = PressReleasePageFactory(parent=demo.press)
    url = reverse("wagtailadmin_pages:set_privacy", args=[page.pk])
    for _ in range(LIMIT + 1):
        response = admin.post(
            url,
            {"restriction_type": "groups", "password": "seitenpasswort"},
            REMOTE_ADDR=OTHER,
        )
        assert response.status_code == 200  # the form again: no group chosen
    assert sign_in(Client(), "redaktion", PASSWORD, OTHER).status_code == 302
