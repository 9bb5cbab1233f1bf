from django.urls import path

from . import views

app_name = "embeds"

urlpatterns = [
    path("hub-embed.js", views.hub_embed_script, name="script"),
    path("resize.js", views.hub_embed_script, {"name": "resize.js"}, name="resize"),
    path("<slug:section>/", views.embed_list, name="list"),
]
