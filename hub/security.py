"""Client identification and rate limiting (password guessing: `hub.throttle`).

Counters live in the cache (shared by all workers with Redis) and fail open: if the cache
is unavailable a request is let through rather than refused.
"""

import functools
import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, walking `X-Forwarded-For` only through trusted proxies.

    Each proxy appends the address it received the request from. Starting at the socket
    address, one entry is taken from the right per configured proxy
    (`HUB_TRUSTED_PROXY_COUNT`), and only while the address at hand is itself a proxy
    (`HUB_TRUSTED_PROXIES`): a request that reaches the app directly, or a client that
    prepends its own entries, cannot choose the address it is counted under. With no
    trusted proxies (the default) the header is ignored entirely.
    """
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.HUB_TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        networks = tuple(settings.HUB_TRUSTED_PROXIES)
        for _ in range(hops):
            if not forwarded or not _is_proxy(address, networks):
                break
            address = forwarded.pop()
    return _normalised(address)


@functools.lru_cache(maxsize=4096)
def _is_proxy(address: str, networks: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(networks))


@functools.lru_cache(maxsize=16)
def _networks(
    networks: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(net, strict=False) for net in networks)
    except ValueError as error:
        raise ImproperlyConfigured(f"HUB_TRUSTED_PROXIES: {error}") from error


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


def hashed(*parts: str) -> str:
    """A fixed-length cache key part: user names and addresses never appear in clear."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def count_hit(bucket: str, window: int) -> tuple[int, int]:
    """Count one hit in the current fixed window: (hits so far, seconds until it ends).

    Returns 0 hits when the cache cannot count (it fails open).
    """
    now = time.time()
    index = int(now // window)
    key = f"hub:ratelimit:{hashed(bucket)}:{index}"
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
