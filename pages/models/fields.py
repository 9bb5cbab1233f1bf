"""Model fields with the hub's rules for stored values."""

from typing import Any

from django import forms
from django.db import models

from pages.links import safe_url, validate_public_url


class PublicURLFormField(forms.URLField):
    """Leaves `mailto:` as typed (Django's URL field would turn it into a host name);
    the model field's validator decides, with its German message."""

    default_validators: list[Any] = []

    def to_python(self, value: Any) -> str:
        text = forms.CharField.to_python(self, value)
        if text.lower().startswith("mailto:"):
            return text
        return str(super().to_python(value))


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
