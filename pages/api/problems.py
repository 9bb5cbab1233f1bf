"""RFC 7807 problem responses: every error of the API, whatever raised it."""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

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


def exception_handler(exc: Exception, context: dict) -> HttpResponse:
    """DRF exception handler: everything becomes problem+json, nothing becomes HTML."""
    if isinstance(exc, InvalidParameters):
        return invalid_parameters(exc.errors)
    if isinstance(exc, Http404):
        return not_found()
    if isinstance(exc, exceptions.MethodNotAllowed):
        response = problem(405, "This API is read-only: use GET, HEAD or OPTIONS.")
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response
    if isinstance(exc, PermissionDenied):
        return problem(403, "Not allowed.")
    if isinstance(exc, exceptions.APIException):
        response = problem(exc.status_code, str(exc.detail))
        if wait := getattr(exc, "wait", None):
            response["Retry-After"] = str(int(wait))
        return response
    logger.exception("Unexpected error in the API", exc_info=exc)
    return problem(500, "Internal error; it has been logged.")


def not_found_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Unknown paths under /api/ answer in problem+json, not with the site's HTML 404."""
    return not_found()
