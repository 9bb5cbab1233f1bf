"""The sample partner calendar of the demo (`imports.demo`; 404 outside development)."""

from django.urls import path

from .demo import PATH, sample_calendar_view

urlpatterns = [path(PATH, sample_calendar_view, name="demo_partner_calendar")]
