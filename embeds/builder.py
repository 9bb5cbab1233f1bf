"""The editors' embed code builder: pick a list and its look, preview it, copy the code."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub import languages
from pages import locales, sections
from pages.enums import EventStatus
from pages.snippets import City, TargetGroup, Topic

from .style import COLOUR_RE, HEADINGS, index_path_in

FONT_LABELS = {
    "": "Wie die Partnerseite (Skript) bzw. Systemschrift (iframe)",
    "system": "Systemschrift",
    "sans-serif": "Serifenlos (Arial)",
    "serif": "Mit Serifen (Georgia)",
    "inherit": "Wie die Partnerseite",
}


def _terms(model) -> list[tuple[str, str]]:
    return [("", "Alle"), *model.objects.german().values_list("slug", "name")]


def _languages() -> list[tuple[str, str]]:
    """The offered languages by their own name, with the German one where it differs."""
    return [
        (
            language.tag,
            language.native_name
            if language.native_name == language.german_name
            else f"{language.native_name} ({language.german_name})",
        )
        for language in locales.available()
    ]


def _colour(value: str) -> str:
    value = value.strip()
    if value and not COLOUR_RE.match(value):
        raise forms.ValidationError("Bitte eine Farbe wie #00567a angeben.")
    return value.lstrip("#").lower()


class EmbedBuilderForm(forms.Form):
    variant = forms.ChoiceField(
        label="Art der Einbindung",
        choices=[
            ("iframe", "iframe (empfohlen, funktioniert überall)"),
            ("script", "Skript und <div> (übernimmt die Schrift der Partnerseite)"),
        ],
        initial="iframe",
        widget=forms.RadioSelect,
    )
    section = forms.ChoiceField(
        label="Inhalt",
        choices=[(section.name, section.short_title) for section in sections.SECTIONS],
        initial=sections.EVENTS.name,
    )
    lang = forms.ChoiceField(
        label="Sprache",
        required=False,
        help_text="Überschrift, Datumsangaben und die Einträge in dieser Sprache. "
        "Einträge ohne Übersetzung erscheinen auf Deutsch.",
    )
    city = forms.ChoiceField(label="Stadt", required=False)
    target_group = forms.ChoiceField(label="Zielgruppe", required=False)
    topic = forms.ChoiceField(label="Thema", required=False)
    upcoming = forms.ChoiceField(
        label="Zeitraum (nur Veranstaltungen)",
        required=False,
        choices=[
            ("", "Alle Termine"),
            ("true", "Nur kommende Termine"),
            ("false", "Nur vergangene Termine"),
        ],
    )
    status = forms.MultipleChoiceField(
        label="Status (nur Veranstaltungen)",
        required=False,
        choices=EventStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Nichts angekreuzt: alle.",
    )
    limit = forms.IntegerField(
        label="Anzahl Einträge", min_value=1, max_value=100, initial=5
    )
    title = forms.CharField(
        label="Überschrift",
        required=False,
        max_length=80,
        help_text="Leer: „Veranstaltungen“ usw.",
    )
    heading = forms.ChoiceField(
        label="Überschriftenebene (nur Skript)",
        required=False,
        choices=[(str(level), f"h{level}") for level in range(2, 7)],
        initial="2",
        help_text="Passend zur Gliederung der Partnerseite, z. B. h3 unter einer h2.",
    )
    accent = forms.CharField(
        label="Linkfarbe",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "#00567a"}),
    )
    text = forms.CharField(
        label="Textfarbe",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "#1a1a1a"}),
    )
    background = forms.CharField(
        label="Hintergrundfarbe",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "#ffffff"}),
    )
    font = forms.ChoiceField(
        label="Schrift", required=False, choices=list(FONT_LABELS.items())
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in (
            ("city", City),
            ("target_group", TargetGroup),
            ("topic", Topic),
        ):
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                field.choices = _terms(model)
        language_field = self.fields["lang"]
        if isinstance(language_field, forms.ChoiceField):
            language_field.choices = _languages()
            language_field.initial = languages.source().tag

    def language(self) -> languages.Language:
        """The chosen language; German when none is chosen."""
        tag = self.cleaned_data.get("lang")
        return languages.by_tag(tag) if tag else languages.source()

    def clean_accent(self) -> str:
        return _colour(self.cleaned_data["accent"])

    def clean_text(self) -> str:
        return _colour(self.cleaned_data["text"])

    def clean_background(self) -> str:
        return _colour(self.cleaned_data["background"])

    def embed_params(self) -> list[tuple[str, str]]:
        """The chosen filters and style as the embed's query parameters, in a stable order."""
        data = self.cleaned_data
        events = sections.get(data["section"]).event_filters
        params: list[tuple[str, str]] = []
        language = self.language()
        if not language.is_source:
            params.append(("lang", language.tag))
        for name in ("city", "target_group", "topic"):
            if data[name]:
                params.append((name, data[name]))
        if events and data["upcoming"]:
            params.append(("upcoming", data["upcoming"]))
        if events and data["status"]:
            params.append(("status", ",".join(data["status"])))
        params.append(("limit", str(data["limit"])))
        if data["variant"] == "script" and data["heading"] not in ("", "2"):
            params.append(("heading", data["heading"]))
        for name in ("title", "accent", "text", "background", "font"):
            if data[name]:
                params.append((name, data[name]))
        return params


def iframe_snippet(
    base: str, section: str, params: list[tuple[str, str]], title: str
) -> str:
    src = f"{base}/embed/{section}/?{urlencode(params)}"
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)} – Kommunales '
        'Integrationszentrum Ennepe-Ruhr-Kreis" loading="lazy" '
        'style="width:100%;height:400px;border:0"></iframe>\n'
        '<script>addEventListener("message",function(e){if(e.origin!=="'
        f'{base}"||!e.data||e.data.type!=="hub-embed:height")return;'
        'document.querySelectorAll("iframe").forEach(function(f){if(f.contentWindow'
        '===e.source)f.style.height=e.data.height+"px"})});</script>'
    )


def script_snippet(
    base: str, section: str, params: list[tuple[str, str]], title: str, index_path: str
) -> str:
    attributes = [f'data-hub-section="{section}"'] + [
        f'data-hub-{name.replace("_", "-")}="{escape(value)}"' for name, value in params
    ]
    tag = dict(params).get("lang")
    link_text: str
    if tag:
        # Without JavaScript the link is all there is: in the embed's language.
        language = languages.by_tag(tag)
        attributes += [f'lang="{language.tag}"', f'dir="{language.direction}"']
        with translation.override(language.tag):
            link_text = escape(str(HEADINGS[section][1]))
    else:
        link_text = f"{escape(title)} beim Kommunalen Integrationszentrum"
    return (
        f"<div {' '.join(attributes)}>\n"
        f'  <a href="{base}{index_path}">{link_text}</a>\n</div>\n'
        f'<script src="{base}/embed/hub-embed.js" async></script>'
    )


class EmbedBuilderView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Einbettung für Partnerseiten"
    header_icon = "code"
    template_name = "embeds/admin/builder.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = EmbedBuilderForm(self.request.GET or None)
        context["form"] = form
        # Only editors who may change the partner websites are sent to that setting.
        context["can_edit_origins"] = self.request.user.has_perm(
            "embeds.change_embedsettings"
        )
        if not self.request.GET:
            form = EmbedBuilderForm(
                {"variant": "iframe", "section": sections.EVENTS.name, "limit": 5}
            )
        if form.is_valid():
            section = form.cleaned_data["section"]
            params = form.embed_params()
            language = form.language()
            index_path = index_path_in(sections.get(section), language)
            with translation.override(language.tag):
                title = form.cleaned_data["title"] or str(HEADINGS[section][0])
            base = settings.SITE_BASE_URL
            context.update(
                preview_url=f"/embed/{section}/?{urlencode(params)}",
                variant=form.cleaned_data["variant"],
                iframe_code=iframe_snippet(base, section, params, title),
                script_code=script_snippet(base, section, params, title, index_path),
            )
        return context
