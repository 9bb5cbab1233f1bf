"""The admin's "Für nächste Ausgabe kopieren": a form, a preview of the dates, a draft."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView

from wagtail.actions.copy_page import CopyPageIntegrityError
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from .admin_dates import GermanDateField, GermanDateInput
from .models import EventPage
from .next_edition import (
    DateShift,
    Shift,
    copy_for_next_edition,
    occurrences_of,
    preview,
    suggested_title,
)
from .slugs import ascii_slug

URL_NAME = "event_next_edition"
LABEL = "Für nächste Ausgabe kopieren"
MAX_WEEKS = 520

SHIFT_HELP = {
    Shift.YEAR_WEEKDAY: "Alle Termine genau 52 Wochen später: am gleichen Wochentag, "
    "dafür ein oder zwei Tage vor dem Datum des Vorjahres (aus Di., 10.03.2026 wird "
    "Di., 09.03.2027). Passend für Veranstaltungen, die an einem Wochentag hängen.",
    Shift.YEAR_DATE: "Jeder Termin am gleichen Datum im nächsten Jahr (aus dem "
    "10.03.2026 wird der 10.03.2027); der Wochentag ändert sich dabei. Ein 29.02. "
    "wird zum 28.02.",
    Shift.WEEKS: "Alle Termine um die unten eingetragene Anzahl Wochen später.",
    Shift.FIRST_DATE: "Sie geben das neue Datum des ersten Termins an; alle anderen "
    "Termine und der Anmeldeschluss rücken um dieselbe Anzahl Tage mit.",
}


class NextEditionMenuItem(PageMenuItem):
    """The entry in an event's "…" menus: listing, explorer and editor header."""

    label = LABEL
    icon_name = "copy"
    url_name = URL_NAME

    def is_shown(self, user: Any) -> bool:
        if self.page.specific_class is not EventPage:
            return False
        return bool(self.page.specific_deferred.permissions_for_user(user).can_copy())


def listing_more_buttons(
    page: Page, user: Any, next_url: str | None = None
) -> list[PageMenuItem]:
    return [NextEditionMenuItem(page=page, priority=21)]


def header_buttons(
    page: Page, user: Any, view_name: str, next_url: str | None = None
) -> list[PageMenuItem]:
    return [NextEditionMenuItem(page=page, priority=31)]


class NextEditionForm(forms.Form):
    title = forms.CharField(
        label="Titel der neuen Ausgabe",
        max_length=255,
        error_messages={"required": "Bitte geben Sie einen Titel an."},
    )
    slug = forms.CharField(
        label="Kurzname (URL)",
        max_length=255,
        required=False,
        help_text="Teil der Internetadresse: Kleinbuchstaben, Ziffern und Bindestriche "
        "(ä → ae, ß → ss). Leer lassen, um ihn aus dem Titel zu bilden.",
    )
    shift = forms.ChoiceField(
        label="Termine verschieben",
        choices=Shift.choices,
        initial=Shift.YEAR_WEEKDAY,
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte wählen Sie, wie die Termine rücken."},
    )
    weeks = forms.IntegerField(
        label="Anzahl Wochen",
        required=False,
        min_value=1,
        max_value=MAX_WEEKS,
        help_text="Nur bei „Um eine Anzahl Wochen“.",
        error_messages={
            "invalid": "Bitte geben Sie eine ganze Zahl ein, z. B. 4.",
            "min_value": "Bitte geben Sie mindestens 1 Woche an.",
            "max_value": f"Bitte geben Sie höchstens {MAX_WEEKS} Wochen an.",
        },
    )
    first_date = GermanDateField(
        label="Neues Datum des ersten Termins",
        required=False,
        widget=GermanDateInput,
        help_text="Nur bei „Neues Datum für den ersten Termin“, als TT.MM.JJJJ.",
    )
    # What the editor saw in the preview; creating needs the preview of these values.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, event: EventPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        occurrences = occurrences_of(event)
        self.old_first = occurrences[0].start_date if occurrences else None

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug", "").strip()
        if slug and ascii_slug(slug) != slug:
            raise forms.ValidationError(
                "Bitte verwenden Sie nur Kleinbuchstaben ohne Umlaute, Ziffern und "
                f"Bindestriche, z. B. „{ascii_slug(slug) or 'sprachcafe-2027'}“."
            )
        return slug

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        mode = data.get("shift")
        if (
            mode == Shift.WEEKS
            and data.get("weeks") is None
            and "weeks" not in self.errors
        ):
            self.add_error(
                "weeks",
                "Bitte geben Sie an, um wie viele Wochen die Termine rücken.",
            )
        if mode == Shift.FIRST_DATE:
            if self.old_first is None:
                self.add_error(
                    "shift", "Die Veranstaltung hat keinen Termin, der rücken könnte."
                )
            elif data.get("first_date") is None and "first_date" not in self.errors:
                self.add_error(
                    "first_date",
                    "Bitte geben Sie das neue Datum des ersten Termins an "
                    "(TT.MM.JJJJ).",
                )
        title = data.get("title")
        if title and "slug" not in self.errors:
            slug = data.get("slug") or ascii_slug(title) or "veranstaltung"
            if not Page._slug_is_available(slug, self.event.get_parent()):
                self.add_error(
                    "slug",
                    f"Der Kurzname „{slug}“ ist bei den Veranstaltungen schon "
                    "vergeben. Bitte wählen Sie einen anderen.",
                )
            data["slug"] = slug
        return data

    def date_shift(self) -> DateShift:
        data = self.cleaned_data
        return DateShift.of(
            Shift(data["shift"]),
            weeks=data.get("weeks"),
            old_first=self.old_first,
            new_first=data.get("first_date"),
        )

    def signature(self) -> str:
        """The choice the preview showed, to tell whether the editor saw these dates."""
        return self.date_shift().signature

    def follow_suggested_title(self) -> None:
        """A title the editor left as suggested for the previewed shift becomes the
        suggestion for the chosen one (a shift of weeks keeps the old year), and a
        slug made from it follows."""
        previous = DateShift.from_signature(self.cleaned_data.get("previewed", ""))
        if previous is None:
            return
        old_title = suggested_title(self.event, previous)
        new_title = suggested_title(self.event, self.date_shift())
        if self.cleaned_data.get("title") != old_title or new_title == old_title:
            return
        data = cast(QueryDict, self.data).copy()
        data["title"] = self.cleaned_data["title"] = new_title
        parent = self.event.get_parent()
        if self.cleaned_data.get("slug") == free_slug(old_title, parent):
            data["slug"] = self.cleaned_data["slug"] = free_slug(new_title, parent)
        self.data = data


def free_slug(title: str, parent: Page) -> str:
    base = ascii_slug(title) or "veranstaltung"
    slug, number = base, 1
    while not Page._slug_is_available(slug, parent):
        number += 1
        slug = f"{base}-{number}"
    return slug


class NextEditionView(WagtailAdminTemplateMixin, FormView):
    """Asks for title, address and offset, shows the moved dates, then copies."""

    form_class = NextEditionForm
    template_name = "pages/admin/next_edition.html"
    page_title = LABEL
    header_icon = "copy"

    @cached_property
    def event(self) -> EventPage:
        return get_object_or_404(EventPage, pk=self.kwargs["pk"])

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        perms = self.event.permissions_for_user(request.user)
        if not perms.can_copy_to(self.event.get_parent()):
            denied: HttpResponseBase = permission_denied(request)
            return denied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.event.get_admin_display_title())

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("events:index"), "label": "Veranstaltungen"},
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.event.pk]),
                "label": self.event.get_admin_display_title(),
            },
            {"url": "", "label": LABEL},
        ]

    def get_initial(self) -> dict[str, Any]:
        title = suggested_title(self.event, DateShift.of(Shift.YEAR_WEEKDAY))
        return {
            "title": title,
            "slug": free_slug(title, self.event.get_parent()),
            "shift": Shift.YEAR_WEEKDAY,
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()
        kwargs["event"] = self.event
        return kwargs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        shift = DateShift.of(Shift.YEAR_WEEKDAY)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                moved=preview(self.event, shift, form.initial["title"]),
                previewed=shift.signature,
            )
        )

    def form_valid(self, form: NextEditionForm) -> HttpResponse:
        shift = form.date_shift()
        signature = form.signature()
        if "create" not in self.request.POST or (
            form.cleaned_data.get("previewed") != signature
        ):
            if "create" in self.request.POST:
                messages.warning(
                    self.request,
                    "Die Termine haben sich geändert. Bitte prüfen Sie die neuen "
                    "Termine und bestätigen Sie dann.",
                )
            form.follow_suggested_title()
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    moved=preview(self.event, shift, form.cleaned_data["title"]),
                    previewed=signature,
                )
            )
        try:
            with transaction.atomic():
                copy = copy_for_next_edition(
                    self.event,
                    title=form.cleaned_data["title"],
                    slug=form.cleaned_data["slug"],
                    shift=shift,
                    user=self.request.user,
                )
        except (CopyPageIntegrityError, IntegrityError, ValidationError):
            # Someone took the slug between the form's check and the copy.
            form.add_error(
                "slug",
                f"Der Kurzname „{form.cleaned_data['slug']}“ wurde soeben vergeben. "
                "Bitte wählen Sie einen anderen.",
            )
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    moved=preview(self.event, shift, form.cleaned_data["title"]),
                    previewed=signature,
                )
            )
        messages.success(
            self.request,
            f"„{copy.title}“ ist als Entwurf angelegt. Prüfen Sie Termine und Texte, "
            "bevor Sie die Veranstaltung veröffentlichen oder zur Freigabe einreichen.",
        )
        return redirect("wagtailadmin_pages:edit", copy.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["event"] = self.event
        context["shift_help"] = [(choice.label, SHIFT_HELP[choice]) for choice in Shift]
        context["media"] = context["form"].media
        return context
