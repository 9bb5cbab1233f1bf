"""What changed, recorded in the database every process reads: the content state and
each item's `modified_at`.

`ContentState` is one row. Every committed change the public could see raises its `seq`
and `changed_at` (`pages.changes.record`). Every process reads it at the start of a
request: cached answers are keyed by it, and process-local memories are dropped when it
moves. It replaces a token in the cache, which a second process with its own
local-memory cache never saw.

`ItemState` holds an item's `modified_at`: when anything shown with the item last
changed — its own publication, and edits of its venue, contacts, documents, images,
taxonomy terms, its URL (a move) or its visibility (a view restriction). One row per
item page, whatever its type, so every list can filter and sort by it.
"""

from django.db import models
from django.utils import timezone

from wagtail.models import Page


class ContentState(models.Model):
    """The one row (`pk=1`) whose `seq` moves with every public change."""

    seq = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "Inhaltsstand"
        verbose_name_plural = "Inhaltsstände"

    def __str__(self) -> str:
        return f"{self.seq} ({self.changed_at:%d.%m.%Y %H:%M:%S})"


class ItemState(models.Model):
    page = models.OneToOneField(
        Page,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="item_state",
    )
    modified_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "Änderungsstand eines Eintrags"
        verbose_name_plural = "Änderungsstände der Einträge"

    def __str__(self) -> str:
        return f"{self.page_id}: {self.modified_at.isoformat()}"
