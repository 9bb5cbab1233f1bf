from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .builder import EmbedBuilderView


@hooks.register("register_admin_urls")
def register_embed_builder_url():
    return [path("einbettung/", EmbedBuilderView.as_view(), name="embed_builder")]


@hooks.register("register_admin_menu_item")
def register_embed_builder_menu_item():
    return MenuItem(
        "Einbettung für Partner",
        reverse("embed_builder"),
        icon_name="code",
        order=900,
    )
