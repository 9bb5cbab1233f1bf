"""Absolute URLs built from `SITE_BASE_URL`, never from the request's Host header, and
the one rule for URLs the hub hands to the public (`safe_url`, `validate_public_url`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from wagtail.models import Page

PUBLIC_URL_SCHEMES = frozenset({"http", "https", "mailto"})
INVALID_PUBLIC_URL = (
    "Bitte geben Sie eine vollständige Adresse an, die mit „https://“, „http://“ "
    "oder „mailto:“ beginnt."
)
# Not Django's code "invalid": a model form would swap in the form field's own message.
_web_url = URLValidator(
    schemes=["http", "https"], message=INVALID_PUBLIC_URL, code="public_url"
)


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_BASE_URL + path


def api_url_in(api_url: str, tag: str) -> str:
    """An item's API address in the language `tag`: German is the bare address, every
    other language adds `?lang=` (as the API's `translations` write it)."""
    base = api_url.partition("?")[0]
    return base if tag == settings.LANGUAGE_CODE else f"{base}?lang={tag}"


def public_url(page: Page) -> str:
    """Canonical public page of an item (what feed entries and API results link to)."""
    parts = page.get_url_parts()
    return absolute(parts[2] if parts else page.url_path)


def _scheme(url: str) -> str | None:
    """The scheme of an absolute http(s) or mailto URL without control characters or
    surrounding space (browsers drop those, so `java\\tscript:` is `javascript:`)."""
    if url != url.strip() or any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in PUBLIC_URL_SCHEMES:
        return None
    if not (parts.path if scheme == "mailto" else parts.netloc):
        return None
    return scheme


def safe_url(url: str) -> str:
    """`url` if the public may be given it (http, https, mailto), else "".

    Stored URLs pass through this on every read (`pages.models.fields.PublicURLField`),
    so a `javascript:` or `data:` URL written past validation (raw SQL, `update()`)
    never reaches a page, the API, a feed or an embed.
    """
    return url if url and _scheme(url) else ""


def validate_public_url(value: str) -> None:
    """Accept only complete http(s) and mailto URLs (German message for editors)."""
    scheme = _scheme(value)
    if scheme is None:
        raise ValidationError(INVALID_PUBLIC_URL, code="public_url")
    if scheme == "mailto":
        address = value.split(":", 1)[1].split("?", 1)[0]
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                "Bitte geben Sie nach „mailto:“ eine gültige E-Mail-Adresse an.",
                code="public_url",
            ) from None
    else:
        _web_url(value)
