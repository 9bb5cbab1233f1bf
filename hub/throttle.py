"""Password guessing: one lockout for every way a password or other secret is tried.

Where attempts are seen, by what they do rather than by path, so routes added later are
covered too:
- every credential check goes through `authenticate()`: `ThrottledModelBackend` (the
  only authentication backend) refuses it while locked, and the `user_login_failed`
  signal counts each failure — the admin login, Wagtail's login for login-restricted
  pages, any Django auth view or API authentication mounted anywhere;
- secrets checked without `authenticate()` are recognised in `attempted_username`: a
  POST presenting a `password` field (any form prefix) from an anonymous client or
  outside the admin (page and collection password forms, login forms), an
  `old_password` field (changing one's password), and any view derived from Django's
  `PasswordResetConfirmView` given a reset token. Such an attempt not answered with a
  redirect has failed.

What is locked, with counters in the shared cache that start at the first failure and
last `HUB_LOGIN_LOCKOUT_SECONDS`:
- a client and a user name together, after `HUB_LOGIN_MAX_FAILURES`;
- a client whatever user names it tries (password spraying), after
  `HUB_LOGIN_CLIENT_MAX_FAILURES`;
- a user name tried from many clients (distributed guessing) is never locked outright,
  which would let anyone lock every editor out: after `HUB_LOGIN_USERNAME_MAX_FAILURES`
  each further failure makes the next attempt for it wait `HUB_LOGIN_USERNAME_DELAY`
  seconds (a slowdown, as django-axes and OWASP recommend over a user name lockout).
A browser that has signed in as a user keeps a signed device cookie (OWASP "device
cookies"): its attempts for that user are counted under the device instead of its
address and are exempt from the client and user name limits, so no attacker — behind
the same proxy or office address included — can lock an editor out of their browser.

A successful sign-in clears only its own client-and-user-name counter, never the
client's (spraying with one's own account in between) nor the user name's. Like the
rate limit this fails open: without a cache nothing is counted.
"""

import math
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.utils.crypto import constant_time_compare

from .security import client_ip, hashed

# Field names (after any form prefix such as Wagtail's `password-old_password`) whose
# value is a secret being checked; new passwords (`new_password1`, `password1`) are not.
SECRET_FIELDS = frozenset({"password", "old_password"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
DEVICE_COOKIE = "hub_device"
DEVICE_SALT = "hub.throttle.device"
_STATE = "_hub_throttle"
Tier = tuple[str, tuple[str, ...], int, int]


@dataclass
class _Attempt:
    """What one request tried and what became of it."""

    username: str | None = None  # set when the request presents a secret
    refused: int | None = None  # seconds to wait, when refused
    failed: bool = False
    signed_in: str | None = None  # normalised user name of a successful sign-in


@dataclass(frozen=True)
class _Who:
    client: str  # "ip:…" or, for a browser known to the user, "device:…"
    user: str  # normalised user name, "" for secrets without one
    trusted: bool

    def tiers(self) -> list[Tier]:
        """(tier, key parts, failures before it applies, seconds it applies for)."""
        lockout = settings.HUB_LOGIN_LOCKOUT_SECONDS
        tiers: list[Tier] = [
            ("pair", (self.client, self.user), settings.HUB_LOGIN_MAX_FAILURES, lockout)
        ]
        if not self.trusted:
            tiers.append(
                (
                    "client",
                    (self.client,),
                    settings.HUB_LOGIN_CLIENT_MAX_FAILURES,
                    lockout,
                )
            )
            if self.user:
                tiers.append(
                    (
                        "user",
                        (self.user,),
                        settings.HUB_LOGIN_USERNAME_MAX_FAILURES,
                        settings.HUB_LOGIN_USERNAME_DELAY,
                    )
                )
        return tiers


def _state(request: Any) -> _Attempt:
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    state = getattr(request, _STATE, None)
    if state is None:
        state = _Attempt()
        setattr(request, _STATE, state)
    return state


def _normalised(username: str) -> str:
    return username.strip().casefold()


def _key(kind: str, tier: str, *parts: str) -> str:
    return f"hub:throttle:{kind}:{tier}:{hashed(*parts)}"


def _who(request: HttpRequest, username: str) -> _Who:
    user = _normalised(username)
    if user:
        cookie = request.get_signed_cookie(
            DEVICE_COOKIE,
            default=None,
            salt=DEVICE_SALT,
            max_age=settings.HUB_LOGIN_DEVICE_COOKIE_AGE,
        )
        user_key, _, device = (cookie or "").partition(":")
        if device and constant_time_compare(user_key, hashed(user)):
            return _Who(f"device:{device}", user, trusted=True)
    return _Who(f"ip:{client_ip(request)}", user, trusted=False)


def retry_after(request: HttpRequest, username: str) -> int | None:
    """Seconds this client must wait before trying a secret for `username`, or None."""
    who = _who(request, username)
    found = cache.get_many(
        [_key("lock", tier, *parts) for tier, parts, *_ in who.tiers()]
    )
    now = time.time()
    wait = max((math.ceil(until - now) for until in found.values()), default=0)
    return wait if wait > 0 else None


def record_failure(request: HttpRequest, username: str) -> None:
    """Count a failed attempt in every tier; lock each tier that reaches its limit."""
    lockout = settings.HUB_LOGIN_LOCKOUT_SECONDS
    for tier, parts, limit, duration in _who(request, username).tiers():
        if limit > 0 and _count(_key("failures", tier, *parts), lockout) >= limit:
            cache.set(
                _key("lock", tier, *parts), time.time() + duration, timeout=duration
            )


def _count(key: str, period: int) -> int:
    try:
        if cache.add(key, 1, timeout=period):
            return 1
        return int(cache.incr(key))
    except ValueError:  # expired meanwhile, or the cache is unavailable: fail open
        return 0


def attempted_username(
    request: HttpRequest,
    view_func: Any,
    view_kwargs: dict[str, Any],
    admin_prefix: str,
) -> str | None:
    """The user name a request tries a secret for ("" if none), None if it tries none."""
    view_class = getattr(view_func, "view_class", None)
    if isinstance(view_class, type) and issubclass(
        view_class, PasswordResetConfirmView
    ):
        token = view_kwargs.get("token")
        return "" if token and token != view_class.reset_url_token else None
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None
    try:
        form = request.POST
    except (SuspiciousOperation, MultiPartParserError):
        return None  # the view cannot read a password from it either
    presented = {name.rpartition("-")[2] for name, value in form.items() if value}
    if not presented & SECRET_FIELDS:
        return None
    user = request.user
    if "old_password" in presented and user.is_authenticated:
        return user.get_username()
    # Signed-in editors set page and collection passwords in the admin: not attempts.
    if "password" in presented and not (
        user.is_authenticated and request.path_info.startswith(admin_prefix)
    ):
        field = get_user_model().USERNAME_FIELD
        return form.get(field) or form.get("username") or ""
    return None


def begin_attempt(request: HttpRequest, username: str) -> int | None:
    """Note the attempt; the seconds to refuse it with while locked, else None."""
    state = _state(request)
    state.username = username
    state.refused = retry_after(request, username)
    return state.refused


def settle(request: HttpRequest, response: HttpResponseBase) -> int | None:
    """After the view: count a failed attempt; seconds to refuse with if the
    authentication backend refused one the middleware did not see coming."""
    state: _Attempt | None = getattr(request, _STATE, None)
    if state is None:
        return None
    if state.refused is not None:
        return None if response.status_code == 429 else state.refused
    if (
        state.username is not None
        and not state.failed
        and state.signed_in is None
        and not 300 <= response.status_code < 400
    ):
        state.failed = True
        record_failure(request, state.username)
    return None


def remember_device(request: HttpRequest, response: HttpResponseBase) -> None:
    """After a sign-in, mark the browser as a known device of that user."""
    state: _Attempt | None = getattr(request, _STATE, None)
    if state is None or state.signed_in is None:
        return
    response.set_signed_cookie(
        DEVICE_COOKIE,
        f"{hashed(state.signed_in)}:{secrets.token_urlsafe(16)}",
        salt=DEVICE_SALT,
        max_age=settings.HUB_LOGIN_DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, refusing every credential check while locked.

    Raising `PermissionDenied` stops `authenticate()` before any password is hashed, so a
    locked client learns nothing, not even from timing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is not None:
            name = username or kwargs.get(get_user_model().USERNAME_FIELD) or ""
            wait = retry_after(request, str(name))
            if wait is not None:
                _state(request).refused = wait
                raise PermissionDenied
        return super().authenticate(request, username, password, **kwargs)


@receiver(user_login_failed)
def _count_failed_sign_in(
    sender: object,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    if request is None:
        return
    state = _state(request)
    if state.refused is not None or state.failed:
        return
    state.failed = True
    field = get_user_model().USERNAME_FIELD
    record_failure(request, str(credentials.get(field) or ""))


@receiver(user_logged_in)
def _forget_own_failures(
    sender: object, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """Clear this client's counter for this user only (see the module docstring)."""
    if request is None:
        return
    who = _who(request, user.get_username())
    cache.delete(_key("failures", "pair", who.client, who.user))
    _state(request).signed_in = who.user
