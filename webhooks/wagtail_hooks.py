from typing import Any

from django.forms import CheckboxSelectMultiple
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .forms import EndpointForm
from .models import Endpoint, EventKind, language_label
from .permissions import ManageWebhooksPolicy
from .views import (
    URL_NAMESPACE,
    DeliveryLogView,
    EndpointCreateView,
    EndpointEditView,
    EndpointIndexView,
    RotateView,
    SecretView,
    TestView,
)

register_permission_policy(Endpoint, ManageWebhooksPolicy(Endpoint))


def endpoint_state(endpoint: Endpoint) -> str:
    if endpoint.active:
        return "aktiv"
    if endpoint.disabled_at:
        return format_html(
            "automatisch deaktiviert am {}",
            date_format(localtime(endpoint.disabled_at), "d.m.Y H:i"),
        )
    return "ausgeschaltet"


def subscribed_events(endpoint: Endpoint) -> str:
    labels = dict(EventKind.choices)
    return ", ".join(str(labels.get(kind, kind)) for kind in endpoint.events)


def subscribed_languages(endpoint: Endpoint) -> str:
    return ", ".join(language_label(tag) for tag in endpoint.languages)


class EndpointViewSet(ModelViewSet):
    """Webhooks under Einstellungen, for superusers and „Webhooks verwalten“."""

    model = Endpoint
    name = URL_NAMESPACE
    icon = "link-external"
    menu_label = "Webhooks"
    menu_order = 850
    add_to_settings_menu = True
    copy_view_enabled = False
    add_to_reference_index = False
    index_view_class = EndpointIndexView
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    edit_template_name = "webhooks/admin/edit.html"
    search_fields = ["name", "url"]
    list_filter = ["active"]
    list_display = [
        TitleColumn("name", label="Name", url_name=f"{URL_NAMESPACE}:edit"),
        Column("url", label="Ziel-Adresse"),
        Column("events", label="Ereignisse", accessor=subscribed_events),
        Column("languages", label="Sprachen", accessor=subscribed_languages),
        Column("state", label="Zustand", accessor=endpoint_state),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("events"),
            FieldPanel("languages"),
            MultiFieldPanel(
                [
                    FieldPanel("sections"),
                    FieldPanel("cities", widget=CheckboxSelectMultiple),
                ],
                heading="Nur bestimmte Inhalte (optional)",
            ),
            FieldPanel("active"),
        ],
        base_form_class=EndpointForm,
    )

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/secret/", SecretView.as_view(), name="secret"),
            path("<int:pk>/rotate/", RotateView.as_view(), name="rotate"),
            path("<int:pk>/test/", TestView.as_view(), name="test"),
            path("<int:pk>/deliveries/", DeliveryLogView.as_view(), name="deliveries"),
        ]


@hooks.register("register_admin_viewset")
def register_endpoint_viewset() -> EndpointViewSet:
    return EndpointViewSet()
