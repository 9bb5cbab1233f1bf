"""Reactions to publishing that keep derived data in step with the live revision."""

from django.dispatch import receiver

from wagtail.signals import page_published

from .models import EventPage


@receiver(page_published, sender=EventPage)
def _event_published(sender, instance: EventPage, **kwargs) -> None:
    instance.record_schedule_change()
