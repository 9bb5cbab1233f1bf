from typing import Any

from django.forms import CheckboxSelectMultiple
from django.urls import path
from django.utils.formats import date_format
from django.utils.timezone import localtime

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .models import CalendarSubscription, RunStatus
from .permissions import ManageImportsPolicy
from .views import (
    MENU_LABEL,
    URL_NAMESPACE,
    ConflictsView,
    FetchView,
    RunsView,
    SubscriptionCreateView,
    SubscriptionEditView,
    SubscriptionIndexView,
)

register_permission_policy(
    CalendarSubscription, ManageImportsPolicy(CalendarSubscription)
)


def last_run(subscription: Any) -> str:
    """„Erfolgreich (01.12.2026 10:00)“, from `views.with_overview`."""
    if not getattr(subscription, "last_run_at", None):
        return "noch nie" if subscription.active else "ausgeschaltet"
    label = dict(RunStatus.choices).get(subscription.last_run_status, "")
    return f"{label} ({date_format(localtime(subscription.last_run_at), 'd.m.Y H:i')})"


def open_conflicts(subscription: Any) -> str:
    count = getattr(subscription, "open_conflicts", 0)
    return str(count) if count else "–"


class CalendarSubscriptionViewSet(ModelViewSet):
    """„Kalender-Import“ in the main menu, for holders of „Kalender-Importe verwalten“."""

    model = CalendarSubscription
    name = URL_NAMESPACE
    icon = "calendar"
    menu_label = MENU_LABEL
    menu_order = 350
    add_to_admin_menu = True
    copy_view_enabled = False
    add_to_reference_index = False
    index_view_class = SubscriptionIndexView
    add_view_class = SubscriptionCreateView
    edit_view_class = SubscriptionEditView
    edit_template_name = "imports/admin/edit.html"
    search_fields = ["name", "url"]
    list_filter = ["active", "city"]
    list_display = [
        TitleColumn("name", label="Name", url_name=f"{URL_NAMESPACE}:edit"),
        Column("url", label="Adresse"),
        Column("city", label="Stadt"),
        Column("last_run", label="Letzter Abruf", accessor=last_run),
        Column("open_conflicts", label="Konflikte", accessor=open_conflicts),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            MultiFieldPanel(
                [
                    FieldPanel("city"),
                    FieldPanel("target_groups", widget=CheckboxSelectMultiple),
                ],
                heading="Zuordnung der importierten Veranstaltungen",
            ),
            FieldPanel("needs_review"),
            FieldPanel("interval_hours"),
            FieldPanel("active"),
        ]
    )

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/fetch/", FetchView.as_view(), name="fetch"),
            path("<int:pk>/runs/", RunsView.as_view(), name="runs"),
            path("<int:pk>/conflicts/", ConflictsView.as_view(), name="conflicts"),
        ]


@hooks.register("register_admin_viewset")
def register_subscription_viewset() -> CalendarSubscriptionViewSet:
    return CalendarSubscriptionViewSet()
