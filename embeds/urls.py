from django.urls import path

from . import views

app_name = "embeds"

urlpatterns = [
    path("hub-embed.js", views.hub_embed_script, name="script"),
    path("<slug:section>/", views.embed_list, name="list"),
]
