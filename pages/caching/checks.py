"""System checks: the response store is bounded whatever clients ask for.

Run by `manage.py check` and `migrate` (so by every deployment), under any settings.
Equivalent query strings share an entry and large bodies are not stored (`store`); the
number of entries is the cache's own bound. Local memory always has one (`MAX_ENTRIES`,
least recently used out first). A Redis server needs a `maxmemory` and a policy that
evicts by frequency: then a flood of distinct URLs, each asked once, neither fills the
server nor pushes out the entries partners ask for all the time.
"""

from typing import Any, cast

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from redis.exceptions import RedisError

LFU_POLICIES = frozenset({"allkeys-lfu", "volatile-lfu"})
HINT = (
    "Give Redis a memory limit and an LFU policy, e.g. `maxmemory 256mb` and "
    "`maxmemory-policy allkeys-lfu` in redis.conf (README: Response cache)."
)


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@checks.register(checks.Tags.caches)
def response_cache_is_bounded(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    backend = caches["default"]
    if not settings.HUB_RESPONSE_CACHE or not isinstance(backend, RedisCache):
        return []
    try:
        client = backend._cache.get_client(write=False)
        config = {
            _text(name): _text(value)
            for name, value in cast(dict, client.config_get("maxmemory*")).items()
        }
    except RedisError as error:
        return [
            checks.Info(
                f"Could not read the Redis memory settings ({error}).",
                hint=HINT,
                id="caching.I001",
            )
        ]
    messages: list[checks.CheckMessage] = []
    if config.get("maxmemory", "0") in ("", "0"):
        messages.append(
            checks.Warning(
                "Redis has no maxmemory: a flood of distinct URLs can fill the "
                "server's memory with cached responses.",
                hint=HINT,
                id="caching.W001",
            )
        )
    policy = config.get("maxmemory-policy", "")
    if policy not in LFU_POLICIES:
        messages.append(
            checks.Warning(
                f"Redis evicts by {policy!r}: "
                + (
                    "at the memory limit every write fails, so nothing is cached."
                    if policy == "noeviction"
                    else "a flood of URLs asked once can push out the hot entries."
                ),
                hint=HINT,
                id="caching.W002",
            )
        )
    return messages
