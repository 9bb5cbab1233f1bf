"""RFC 7807 problem responses: every error of the API, whatever raised it.

Views of /api/v1/ and /api/v2/ answer through `exception_handler`; what Django answers
before or instead of a view (a disallowed Host, too many fields, a CSRF failure, an
unknown path, a crash) comes here through `hub.errors` for every path under /api/.
"""

import logging
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.http import Http404, HttpRequest, HttpResponse

from wagtail.api.v2.utils import BadRequestError

import msgspec
from rest_framework import exceptions

from pages.api.schemas import InvalidParam, Problem
from pages.filters import InvalidParameters

PROBLEM_CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger(__name__)


ENCODER = msgspec.json.Encoder()


def problem(
    status: int, detail: str, *, invalid_params: dict[str, str] | None = None
) -> HttpResponse:
    body = Problem(
        type="about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        invalid_params=[
            InvalidParam(name=name, reason=reason)
            for name, reason in (invalid_params or {}).items()
        ],
    )
    response = HttpResponse(
        ENCODER.encode(body), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    # Errors depend on content that may change any moment (e.g. a 404 before publishing).
    response["Cache-Control"] = "no-store"
    return response


def invalid_parameters(errors: dict[str, str]) -> HttpResponse:
    names = ", ".join(errors)
    return problem(400, f"Invalid query parameters: {names}.", invalid_params=errors)


def not_found(detail: str = "No such resource.") -> HttpResponse:
    return problem(404, detail)


def bad_request(exc: Exception) -> HttpResponse:
    """A request Django refuses before reading it (`SuspiciousOperation`)."""
    logging.getLogger(f"django.security.{type(exc).__name__}").warning("%s", exc)
    if isinstance(exc, TooManyFieldsSent):
        return problem(
            400,
            f"More than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} parameters or fields.",
        )
    return problem(400, "The request cannot be served (e.g. an unknown Host).")


def method_not_allowed() -> HttpResponse:
    response = problem(405, "This API is read-only: use GET, HEAD or OPTIONS.")
    response["Allow"] = "GET, HEAD, OPTIONS"
    return response


def server_error() -> HttpResponse:
    return problem(500, "Internal error; it has been logged.")


def exception_handler(exc: Exception, context: dict) -> HttpResponse:
    """DRF exception handler: everything becomes problem+json, nothing becomes HTML."""
    if isinstance(exc, InvalidParameters):
        return invalid_parameters(exc.errors)
    if isinstance(exc, BadRequestError):
        return problem(400, str(exc))
    if isinstance(exc, SuspiciousOperation):
        return bad_request(exc)
    if isinstance(exc, Http404):
        return not_found()
    if isinstance(exc, exceptions.MethodNotAllowed):
        return method_not_allowed()
    if isinstance(exc, PermissionDenied):
        return problem(403, "Not allowed.")
    if isinstance(exc, exceptions.APIException):
        response = problem(exc.status_code, str(exc.detail))
        if wait := getattr(exc, "wait", None):
            response["Retry-After"] = str(int(wait))
        return response
    logger.exception("Unexpected error in the API", exc_info=exc)
    return server_error()


def not_found_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Unknown paths under /api/ answer in problem+json, not with the site's HTML 404."""
    return not_found()
