"""HTTP caching of the public surfaces (API, feeds, embeds, sitemap) in one place.

The flow of a GET/HEAD:

1. Early answer (`middleware.CachedResponseMiddleware`, only under
   `HUB_CACHED_RESPONSE_PATHS`): the request's key in the store is its path, canonical
   query string (one spelling per meaning) and the current content version
   (`store.request_key`). A recorded entry answers at once, 304 or 200, with no
   session, URL resolving, view or query.
2. The view checks its parameters and the content's visibility, then calls
   `serve_cached()` (`serve`). An entry in the store answers here too.
3. Render: on a miss, `render()` builds the body; its hash is the ETag, so equal
   bodies have equal tags and a changed body never gets an old one (`conditional`).
   Last-Modified is when anything in the answer last changed: the content state's
   last change or a moment the clock passed that changes lists (`version`), or an
   item's `modified_at` for a detail.
4. Conditional response: Django's `get_conditional_response` decides whether the
   client's copy is current (If-None-Match, weak, wins over If-Modified-Since). A 304
   carries ETag, Last-Modified, Cache-Control and the caller's headers (HEAD: the
   length only).
5. Store: the entry lives at most `max_age` and never past the next scheduled go-live or
   expiry (`version`). Under the middleware it is stored on the way out with every
   header the stack added, so the early answer carries exactly the view's headers;
   never when the response sets a cookie or varies on a request header.

Invalidation: every change the public could see moves the content state in the
database once the writer's transaction commits (`receivers` → `pages.changes.record`; Wagtail's
bulk actions included). Every process reads the state at each request
(`ContentStateMiddleware`), so every stored answer of every process becomes
unreachable at once, whichever cache it is in. A cache outage is a miss
(`hub.cache.FailOpenRedisCache`). Bounds: equivalent query strings share an entry,
large bodies are not stored, the cache's own limits are checked (`checks`).
"""

from .conditional import body_etag, not_modified
from .middleware import CachedResponseMiddleware, ContentStateMiddleware
from .serve import DEFAULT_MAX_AGE, serve_cached
from .store import request_state, shared_query_string
from .version import cache_key, content_state, content_version, last_modified

__all__ = [
    "DEFAULT_MAX_AGE",
    "CachedResponseMiddleware",
    "ContentStateMiddleware",
    "body_etag",
    "cache_key",
    "content_state",
    "content_version",
    "last_modified",
    "not_modified",
    "request_state",
    "serve_cached",
    "shared_query_string",
]
