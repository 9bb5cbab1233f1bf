"""Admin wiring that reads several apps: preview modes and the partner preview link."""

from django.urls import path

from wagtail import hooks

from pages.models.base import PREVIEW_MODE_HOOK

from .preview_link import PartnerPreviewLinkButton, PartnerPreviewLinkView
from .preview_modes import render_mode

hooks.register(PREVIEW_MODE_HOOK, render_mode)


@hooks.register("register_admin_urls")
def register_partner_preview_link():
    return [
        path(
            "vorschau-link/<int:page_id>/",
            PartnerPreviewLinkView.as_view(),
            name="hub_partner_preview_link",
        )
    ]


@hooks.register("register_page_header_buttons")
def partner_preview_link_button(page, user, view_name, next_url=None):
    yield PartnerPreviewLinkButton(page=page, priority=66)
