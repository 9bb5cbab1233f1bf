"""The endpoint form: events and sections as checkboxes, German messages."""

from django import forms

from wagtail.admin.forms import WagtailAdminModelForm

from .models import EventKind, section_choices


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
    sections = forms.MultipleChoiceField(
        label="Bereiche",
        required=False,
        choices=section_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "„%(value)s“ ist kein bekannter Bereich."},
        help_text="Nichts angekreuzt: alle Bereiche.",
    )
