"""Early answers from the response store, before the rest of the stack."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .store import answer_from_cache, request_state, store_pending
from .version import for_request


class ContentStateMiddleware:
    """Reads the content state once at the start of every request (one indexed row).

    What this request answers from a cache is keyed by it, and this process forgets its
    local memories of derived data when the state moved (`version.sync_process`): a
    change committed by any process shows in this one at its next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(settings.HUB_STATELESS_PATHS):
            return self.get_response(request)
        with for_request(request_state(request)):
            return self.get_response(request)


class CachedResponseMiddleware:
    """Answers repeated GET/HEAD requests for cached public responses straight from the
    cache: no session, auth, URL resolving, DRF or query parsing.

    Sits below the middlewares whose headers depend on the request (security, CORS) and
    below rate limiting. What the stack below adds is recorded with the entry on a miss
    and replayed on a hit (`store_pending`), so both answers carry the same headers. For
    an anonymous GET the skipped middlewares do nothing else but CommonMiddleware's host
    check, which runs here too. Only for paths whose answer depends on nothing but path
    and query string (`HUB_CACHED_RESPONSE_PATHS`; not the embeds, whose headers follow
    the request's Origin and the editors' list).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in ("GET", "HEAD")
            or not settings.HUB_RESPONSE_CACHE
            or not request.path_info.startswith(settings.HUB_CACHED_RESPONSE_PATHS)
            or request.path_info.startswith(settings.HUB_STATELESS_PATHS)
        ):
            return self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS: DisallowedHost becomes a 400, as below
        response = answer_from_cache(request)
        if response is None:
            response = self.get_response(request)
            store_pending(response)
        return response
