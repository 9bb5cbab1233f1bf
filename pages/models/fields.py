"""Model fields with the hub's rules for stored values."""

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from pages.links import INVALID_PUBLIC_URL, safe_url, validate_public_url


class PublicURLFormField(forms.URLField):
    """Adds the scheme to an address typed without one (`www.example.org`), and leaves
    every other value as typed: the model field's validator decides, with its German
    message (Django's URL field would make `mailto:` a host name)."""

    default_validators: list[Any] = []

    def to_python(self, value: Any) -> str:
        text = forms.CharField.to_python(self, value) or ""
        try:
            if not text or urlsplit(text).scheme:
                return text
            return str(super().to_python(text))
        except (ValueError, ValidationError):
            raise ValidationError(INVALID_PUBLIC_URL, code="public_url") from None


class PublicURLField(models.URLField):
    """A URL shown to the public: http(s) or mailto only, whatever writes it.

    `full_clean()` (the admin, imports, the shell) rejects any other scheme; a value
    that got past it (raw SQL, `QuerySet.update()`) reads as "" (`pages.links.safe_url`).
    """

    default_validators = [validate_public_url]

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return safe_url(value) if value else value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": PublicURLFormField, **kwargs})
