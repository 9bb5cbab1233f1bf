"""Client identification, rate limiting and admin login throttling.

Counters live in the cache (shared by all workers with Redis) and fail open: if the cache
is unavailable a request is let through rather than refused.
"""

import functools
import hashlib
import ipaddress
import math
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting exactly `HUB_TRUSTED_PROXY_COUNT` proxies.

    Each trusted proxy appends the address it received the request from to
    `X-Forwarded-For`, so with N proxies the client is the N-th entry from the right;
    anything further left is whatever the client chose to send and is ignored. With no
    trusted proxies (the default) the header is ignored entirely.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.HUB_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    return _normalised(remote)


@functools.lru_cache(maxsize=4096)
def _normalised(address: str) -> str:
    """One bucket per IPv4 address and per IPv6 /64 (what one subscriber usually gets)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def count_hit(bucket: str, window: int) -> tuple[int, int]:
    """Count one hit in the current fixed window: (hits so far, seconds until it ends).

    Returns 0 hits when the cache cannot count (it fails open).
    """
    now = time.time()
    index = int(now // window)
    key = f"hub:ratelimit:{_key(bucket)}:{index}"
    remaining = max(1, math.ceil((index + 1) * window - now))
    try:
        return int(
            cache.incr(key)
        ), remaining  # one operation for all but the first hit
    except ValueError:  # the window's first hit, or the cache is unavailable
        pass
    try:
        if cache.add(key, 1, timeout=window + 1):
            return 1, remaining
        return int(cache.incr(key)), remaining
    except ValueError:  # expired between add and incr, or the cache is unavailable
        return 0, remaining


def rate_limit_retry_after(request: HttpRequest) -> int | None:
    """Seconds the client must wait, or None if this request is within its limit."""
    limit = settings.HUB_RATE_LIMIT_REQUESTS
    if limit <= 0:
        return None
    window = settings.HUB_RATE_LIMIT_WINDOW
    hits, remaining = count_hit(f"public|{client_ip(request)}", window)
    return remaining if hits > limit else None


# --- admin login throttling ----------------------------------------------------------


def _login_key(username: str, ip: str) -> str:
    return f"hub:login-failures:{_key(username.strip().casefold(), ip)}"


def login_blocked(request: HttpRequest, username: str) -> bool:
    """True after too many failed logins for this username from this client."""
    failures: int = cache.get(_login_key(username, client_ip(request)), 0)
    return failures >= settings.HUB_LOGIN_MAX_FAILURES


@receiver(user_login_failed)
def _record_login_failure(
    sender: object,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    if request is None:
        return
    key = _login_key(str(credentials.get("username", "")), client_ip(request))
    lockout = settings.HUB_LOGIN_LOCKOUT_SECONDS
    try:
        if not cache.add(key, 1, timeout=lockout):
            cache.incr(key)
    except ValueError:  # expired meanwhile or cache unavailable: fail open
        return


@receiver(user_logged_in)
def _forget_login_failures(
    sender: object, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    if request is not None:
        cache.delete(_login_key(user.get_username(), client_ip(request)))
