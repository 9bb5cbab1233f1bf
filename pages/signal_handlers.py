"""Reactions to publishing that keep derived data in step with the live revision."""

from typing import Any

from django.dispatch import receiver

from wagtail.signals import page_published

from .models import EventPage


@receiver(page_published, sender=EventPage)
def _event_published(
    sender: type[EventPage], instance: EventPage, **kwargs: Any
) -> None:
    instance.record_schedule_change()
