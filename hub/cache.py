"""A Redis cache that fails open: an outage degrades to uncached responses, never a 5xx.

Django's `RedisCache` raises on connection errors, and every public surface (and Wagtail
itself, e.g. for site root paths) reads the cache on each request. This backend turns
each failed operation into a miss and, after a failure, skips Redis for a few seconds
(a per-process circuit breaker) so a dead or black-holed server costs no timeouts per
request. The database stays the source of truth.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 5.0


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        options: dict[str, Any] = dict(self._options)  # type: ignore[has-type]
        self.retry_after = float(
            options.pop("FAIL_OPEN_RETRY_AFTER", DEFAULT_RETRY_AFTER)
        )
        self._options = options
        self._down_until = 0.0

    @property
    def is_down(self) -> bool:
        """True while the breaker is open after a recent failure."""
        return time.monotonic() < self._down_until

    def _call(self, operation: Callable[[], Any], fallback: Any) -> Any:
        if self.is_down:
            return fallback
        try:
            return operation()
        except RedisError as error:
            if not self.is_down:
                logger.warning(
                    "Cache unavailable, serving uncached for %.0f s: %s",
                    self.retry_after,
                    error,
                )
            self._down_until = time.monotonic() + self.retry_after
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version),
            False,
        )

    def get(self, key, default=None, version=None):
        return self._call(
            lambda: super(FailOpenRedisCache, self).get(key, default, version), default
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(
            lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version),
            None,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(FailOpenRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._call(
            lambda: super(FailOpenRedisCache, self).delete(key, version), False
        )

    def get_many(self, keys, version=None):
        return self._call(
            lambda: super(FailOpenRedisCache, self).get_many(keys, version), {}
        )

    def has_key(self, key, version=None):
        return self._call(
            lambda: super(FailOpenRedisCache, self).has_key(key, version), False
        )

    def incr(self, key, delta=1, version=None):
        """Like a missing key while Redis is down: callers already handle `ValueError`."""
        missing = object()
        result = self._call(
            lambda: super(FailOpenRedisCache, self).incr(key, delta, version), missing
        )
        if result is missing:
            raise ValueError(f"Key {key!r} not found (cache unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def delete_many(self, keys, version=None):
        self._call(
            lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None
        )

    def clear(self):
        return self._call(lambda: super(FailOpenRedisCache, self).clear(), False)
