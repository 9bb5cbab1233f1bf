"""HTTP caching of the public surfaces (API, feeds, embeds, sitemap) in one place.

The flow of a GET/HEAD:

1. Early answer (`middleware.CachedResponseMiddleware`, only under
   `HUB_CACHED_RESPONSE_PATHS`): the request's key in the store is its path, canonical
   query string (one spelling per meaning) and the current content version
   (`store.request_key`). A recorded entry answers at once, 304 or 200, with no
   session, URL resolving, view or query.
2. The view checks its parameters and the content's visibility, then calls
   `serve_cached()` (`serve`). An entry in the store answers here too.
3. Fingerprint: on a miss, `fingerprint()` gives the data's state cheaply (newest change,
   count); with the content version, path and query it makes the ETag, and the newest
   change is Last-Modified (`conditional`).
4. Conditional response: Django's `get_conditional_response` decides whether the
   client's copy is current (If-None-Match, weak, wins over If-Modified-Since). A 304
   carries ETag, Last-Modified, Cache-Control and the caller's headers, and nothing is
   rendered; the validators are stored, so the next revalidation needs no data at all.
5. Render: otherwise `render()` builds the body, sent with the same headers (HEAD: the
   length only).
6. Store: the entry lives at most `max_age` and never past the next scheduled go-live or
   expiry (`version`). Under the middleware it is stored on the way out with every
   header the stack added, so the early answer carries exactly the view's headers;
   never when the response sets a cookie or varies on a request header.

Invalidation: every change the public could see replaces the content version
(`receivers`, connected in `PagesConfig.ready()`; Wagtail's bulk actions included),
so every stored answer becomes unreachable at once. A cache outage is a miss
(`hub.cache.FailOpenRedisCache`). Bounds: equivalent query strings share an entry,
large bodies are not stored, the cache's own limits are checked (`checks`).
"""

from .conditional import Fingerprint, not_modified
from .middleware import CachedResponseMiddleware
from .serve import DEFAULT_MAX_AGE, serve_cached
from .store import shared_query_string
from .version import bump_content_version, cache_key, content_version

__all__ = [
    "DEFAULT_MAX_AGE",
    "CachedResponseMiddleware",
    "Fingerprint",
    "bump_content_version",
    "cache_key",
    "content_version",
    "not_modified",
    "serve_cached",
    "shared_query_string",
]
