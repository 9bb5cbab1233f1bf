"""Admin views around a subscription: fetch now, its run history, and its conflicts."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton

from . import importer
from .models import CalendarSubscription, ImportedEvent, ImportRun
from .permissions import ManageImportsPolicy

URL_NAMESPACE = "calendar_imports"
MENU_LABEL = "Kalender-Import"
RUNS_PAGE_SIZE = 50


def url(view: str, subscription: CalendarSubscription) -> str:
    return reverse(f"{URL_NAMESPACE}:{view}", args=[subscription.pk])


def subscription_buttons(subscription: CalendarSubscription) -> list[HeaderButton]:
    return [
        HeaderButton("Jetzt abrufen", url("fetch", subscription), icon_name="resubmit"),
        HeaderButton("Abrufe", url("runs", subscription), icon_name="list-ul"),
        HeaderButton("Konflikte", url("conflicts", subscription), icon_name="warning"),
    ]


def with_overview(
    subscriptions: QuerySet[CalendarSubscription],
) -> QuerySet[CalendarSubscription]:
    """Each subscription with its open conflicts and its last run, in one query."""
    last_run = ImportRun.objects.filter(subscription=OuterRef("pk")).order_by(
        "-started_at", "-pk"
    )
    return subscriptions.select_related("city").annotate(
        open_conflicts=Count(
            "imported_events",
            filter=Q(imported_events__conflict_since__isnull=False),
        ),
        last_run_status=Subquery(last_run.values("status")[:1]),
        last_run_at=Subquery(last_run.values("started_at")[:1]),
    )


class SubscriptionIndexView(IndexView):
    page_title = MENU_LABEL

    def get_base_queryset(self) -> QuerySet[CalendarSubscription]:
        return with_overview(super().get_base_queryset())


class SubscriptionCreateView(CreateView):
    success_message = (
        "Kalender „%(object)s“ angelegt. Er wird in Kürze zum ersten Mal abgerufen."
    )


class SubscriptionEditView(EditView):
    success_message = "Kalender „%(object)s“ gespeichert."

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        return subscription_buttons(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["recent_runs"] = self.object.runs.all()[:5]
        context["open_conflicts"] = self.object.imported_events.in_conflict().count()
        context["runs_url"] = url("runs", self.object)
        context["conflicts_url"] = url("conflicts", self.object)
        return context


class SubscriptionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Base of the views about one subscription."""

    permission_policy = ManageImportsPolicy(CalendarSubscription)
    permission_required = "change"
    header_icon = "calendar"

    @cached_property
    def subscription(self) -> CalendarSubscription:
        """Looked up after the permission check (no 404 tells outsiders which exist)."""
        return get_object_or_404(CalendarSubscription, pk=self.kwargs["pk"])

    def get_page_subtitle(self) -> str:
        return str(self.subscription)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": MENU_LABEL},
            {"url": url("edit", self.subscription), "label": str(self.subscription)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subscription"] = self.subscription
        context["edit_url"] = url("edit", self.subscription)
        context["fetch_url"] = url("fetch", self.subscription)
        context["runs_url"] = url("runs", self.subscription)
        context["conflicts_url"] = url("conflicts", self.subscription)
        return context


class FetchView(SubscriptionView):
    """Asks, then queues a run at once."""

    page_title = "Jetzt abrufen"
    template_name = "imports/admin/fetch.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.subscription.active:
            messages.error(
                request,
                "Der Kalender ist ausgeschaltet. Kreuzen Sie zuerst „Aktiv“ an.",
            )
            return redirect(url("edit", self.subscription))
        importer.fetch_now(self.subscription)
        messages.success(
            request,
            "Der Abruf wurde in die Warteschlange gestellt. Sein Ergebnis erscheint "
            "hier, sobald er abgeschlossen ist.",
        )
        return redirect(url("runs", self.subscription))


class RunsView(SubscriptionView):
    """The subscription's runs, newest first, with counts and errors."""

    page_title = "Abrufe"
    template_name = "imports/admin/runs.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        paginator = Paginator(
            ImportRun.objects.filter(subscription=self.subscription), RUNS_PAGE_SIZE
        )
        context["page_obj"] = paginator.get_page(self.request.GET.get("p"))
        return context


class ConflictsView(SubscriptionView):
    """Imported events an editor changed while their source changed too; resolved here."""

    page_title = "Konflikte"
    template_name = "imports/admin/conflicts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["conflicts"] = (
            ImportedEvent.objects.in_conflict()
            .filter(subscription=self.subscription, page__isnull=False)
            .select_related("page")
            .order_by("-conflict_since")
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pk, resolve = request.POST.get("imported", ""), request.POST.get("resolve")
        if not pk.isdigit() or resolve not in ("source", "edit"):
            return HttpResponseBadRequest("Ungültige Anfrage.")
        imported = get_object_or_404(
            ImportedEvent.objects.in_conflict().filter(page__isnull=False),
            pk=int(pk),
            subscription=self.subscription,
        )
        title = imported.page.draft_title if imported.page else imported.title
        if resolve == "source":
            importer.take_source(imported, request.user)
            messages.success(
                request,
                f"„{title}“: Der Stand der Quelle wurde als neuer Entwurf übernommen.",
            )
        else:
            importer.keep_edit(imported)
            messages.success(
                request,
                f"„{title}“: Die Bearbeitung bleibt; diese Änderung der "
                "Quelle wird nicht übernommen.",
            )
        return redirect(url("conflicts", self.subscription))
