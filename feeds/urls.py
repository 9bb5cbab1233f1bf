from django.urls import path

from . import views

app_name = "feeds"
urlpatterns = [
    path("<slug:section>.<slug:format>", views.feed, name="feed"),
]
