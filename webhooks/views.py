"""Admin views around an endpoint: its secret (shown once), rotation, a test message,
and its delivery log."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton

from . import delivery
from .models import SECRET_OVERLAP, Delivery, Endpoint
from .permissions import ManageWebhooksPolicy

REVEAL_SESSION_KEY = "webhooks.reveal"
LOG_PAGE_SIZE = 50
URL_NAMESPACE = "webhooks"


def url(view: str, endpoint: Endpoint) -> str:
    return reverse(f"{URL_NAMESPACE}:{view}", args=[endpoint.pk])


def reveal_once(request: HttpRequest, endpoint: Endpoint) -> None:
    """Let the next visit of the secret page (in this session) show the secret."""
    pending = set(request.session.get(REVEAL_SESSION_KEY, []))
    pending.add(endpoint.pk)
    request.session[REVEAL_SESSION_KEY] = sorted(pending)


def take_reveal(request: HttpRequest, endpoint: Endpoint) -> bool:
    """Whether the secret may be shown now; true at most once per creation/rotation."""
    pending = set(request.session.get(REVEAL_SESSION_KEY, []))
    if endpoint.pk not in pending:
        return False
    pending.discard(endpoint.pk)
    request.session[REVEAL_SESSION_KEY] = sorted(pending)
    return True


def endpoint_buttons(endpoint: Endpoint) -> list[HeaderButton]:
    return [
        HeaderButton("Zustellungen", url("deliveries", endpoint), icon_name="list-ul"),
        HeaderButton("Test senden", url("test", endpoint), icon_name="resubmit"),
        HeaderButton("Geheimnis erneuern", url("rotate", endpoint), icon_name="key"),
    ]


class EndpointIndexView(IndexView):
    page_title = "Webhooks"


class EndpointCreateView(CreateView):
    success_message = "Webhook „%(object)s“ angelegt."

    def save_instance(self) -> Endpoint:
        endpoint: Endpoint = super().save_instance()
        reveal_once(self.request, endpoint)
        return endpoint

    def get_success_url(self) -> str:
        return url("secret", self.object)


class EndpointEditView(EditView):
    success_message = "Webhook „%(object)s“ gespeichert."

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        return endpoint_buttons(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["recent_deliveries"] = self.object.deliveries.all()[:5]
        context["deliveries_url"] = url("deliveries", self.object)
        return context


class EndpointView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Base of the views about one endpoint."""

    permission_policy = ManageWebhooksPolicy(Endpoint)
    permission_required = "change"
    header_icon = "link-external"

    @cached_property
    def endpoint(self) -> Endpoint:
        """Looked up after the permission check (no 404 tells outsiders which exist)."""
        return get_object_or_404(Endpoint, pk=self.kwargs["pk"])

    def get_page_subtitle(self) -> str:
        return str(self.endpoint)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": "Webhooks"},
            {"url": url("edit", self.endpoint), "label": str(self.endpoint)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["endpoint"] = self.endpoint
        context["edit_url"] = url("edit", self.endpoint)
        return context


class SecretView(EndpointView):
    """The secret, once after creation or rotation; afterwards only how to renew it."""

    page_title = "Geheimnis"
    template_name = "webhooks/admin/secret.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["secret"] = (
            self.endpoint.secret if take_reveal(self.request, self.endpoint) else ""
        )
        context["rotate_url"] = url("rotate", self.endpoint)
        context["overlap_hours"] = int(SECRET_OVERLAP.total_seconds() // 3600)
        return context


class RotateView(EndpointView):
    """Asks, then replaces the secret; the previous one stays valid for a while."""

    page_title = "Geheimnis erneuern"
    template_name = "webhooks/admin/rotate.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["overlap_hours"] = int(SECRET_OVERLAP.total_seconds() // 3600)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.endpoint.rotate_secret()
        reveal_once(request, self.endpoint)
        messages.success(request, "Ein neues Geheimnis wurde erzeugt.")
        return redirect(url("secret", self.endpoint))


class TestView(EndpointView):
    """Asks, then sends a `webhook.test` message."""

    page_title = "Test senden"
    template_name = "webhooks/admin/test.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.endpoint.active:
            messages.error(
                request,
                "Der Webhook ist deaktiviert. Aktivieren Sie ihn zuerst, um eine "
                "Testnachricht zu senden.",
            )
            return redirect(url("edit", self.endpoint))
        delivery.send_test(self.endpoint)
        messages.success(
            request,
            "Die Testnachricht wurde in die Warteschlange gestellt. Ihr Ergebnis "
            "erscheint hier, sobald sie gesendet ist.",
        )
        return redirect(url("deliveries", self.endpoint))


class DeliveryLogView(EndpointView):
    """The endpoint's deliveries, newest first, with status, answer and attempts."""

    page_title = "Zustellungen"
    template_name = "webhooks/admin/deliveries.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        paginator = Paginator(
            Delivery.objects.filter(endpoint=self.endpoint), LOG_PAGE_SIZE
        )
        context["page_obj"] = paginator.get_page(self.request.GET.get("p"))
        context["test_url"] = url("test", self.endpoint)
        return context
