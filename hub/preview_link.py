"""The admin's "Vorschau-Link für Partner": a signed, short-lived link to a draft's API
representation (`/api/v1/preview/<token>/`, docs/preview.md) for an editor to pass on."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from pages import preview
from pages.links import absolute

LABEL = "Vorschau-Link für Partner"


class PartnerPreviewLinkButton(PageMenuItem):
    """In the page header's menu of an item page the editor may edit."""

    label = LABEL
    icon_name = "link"
    url_name = "hub_partner_preview_link"

    def is_shown(self, user) -> bool:
        return preview.section_of(self.page.specific_deferred) is not None and bool(
            self.page.permissions_for_user(user).can_edit()
        )


class PartnerPreviewLinkView(WagtailAdminTemplateMixin, TemplateView):
    page_title = LABEL
    header_icon = "link"
    template_name = "preview/partner_link.html"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if preview.section_of(self.page) is None:
            raise Http404
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = preview.make_token(self.page)
        context.update(
            page=self.page,
            link=absolute(reverse("api-v1:preview", args=[token])),
            expires_at=preview.token_expires_at(),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return context
