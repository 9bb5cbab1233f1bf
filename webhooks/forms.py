"""The endpoint form: events, languages and sections as checkboxes, German messages."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail.admin.forms import WagtailAdminModelForm

from hub.languages import Language
from pages import locales

from .models import EventKind, section_choices, source_language_only


def language_choice(language: Language) -> str | SafeString:
    """„العربية (Arabisch)“: the native name, marked with its language and direction
    for screen readers, then the German name editors know it by."""
    if language.native_name == language.german_name:
        return language.german_name
    return format_html(
        '<span lang="{}" dir="{}">{}</span> ({})',
        language.tag,
        language.direction,
        language.native_name,
        language.german_name,
    )


def language_choices() -> list[tuple[str, str | SafeString]]:
    return [
        (language.tag, language_choice(language)) for language in locales.available()
    ]


class EndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label="Ereignisse",
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Bitte wählen Sie mindestens ein Ereignis.",
            "invalid_choice": "„%(value)s“ ist kein bekanntes Ereignis.",
        },
        help_text="Bei welchen Änderungen eine Nachricht gesendet wird. "
        "„Zurückgezogen …“ umfasst auch Inhalte, die nicht mehr öffentlich sind, "
        "weil sie gelöscht, verschoben oder mit einer Zugriffsbeschränkung versehen "
        "wurden.",
    )
    languages = forms.MultipleChoiceField(
        label="Sprachen",
        choices=language_choices,
        initial=source_language_only,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Bitte wählen Sie mindestens eine Sprache.",
            "invalid_choice": "„%(value)s“ ist keine Sprache des Hubs.",
        },
        help_text="Je Änderung erhält die Partnerseite eine Nachricht pro angekreuzter "
        "Sprache, mit der API-Adresse in dieser Sprache. Jede Änderung betrifft alle "
        "Sprachen: Fehlt eine Übersetzung, zeigt die Sprache den deutschen Text.",
    )
    sections = forms.MultipleChoiceField(
        label="Bereiche",
        required=False,
        choices=section_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "„%(value)s“ ist kein bekannter Bereich."},
        help_text="Nichts angekreuzt: alle Bereiche.",
    )
