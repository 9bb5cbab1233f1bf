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
    log_horizon = models.BigIntegerField(default=0)
    """The newest change-log `seq` pruned: a cursor before it may have missed removals."""
    dispatched_seq = models.BigIntegerField(default=0)
    """Every change-log entry up to here has been announced (`items_changed`)."""

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


class SyncedItem(models.Model):
    """What partners were last told about one item (`pages.sync`): one row per item
    page that was ever public, kept after the page is deleted."""

    page_id = models.IntegerField(primary_key=True)
    section = models.CharField(max_length=32)
    public = models.BooleanField()
    modified_at = models.DateTimeField(null=True)
    filters = models.JSONField(default=dict)

    class Meta:
        verbose_name = "Veröffentlichter Stand eines Eintrags"
        verbose_name_plural = "Veröffentlichte Stände der Einträge"

    def __str__(self) -> str:
        return f"{self.section} {self.page_id}: {'öffentlich' if self.public else '–'}"


class ChangeLogEntry(models.Model):
    """One change of an item's public view, in the order partners read them
    (`/api/v1/changes/`): `seq` only grows, and entries are written one transaction at
    a time, so a reader never sees a later entry before an earlier one."""

    PUBLISHED = "published"
    UPDATED = "updated"
    DELETED = "deleted"

    seq = models.BigAutoField(primary_key=True)
    page_id = models.IntegerField(db_index=True)
    section = models.CharField(max_length=32)
    event = models.CharField(max_length=16)
    reason = models.CharField(max_length=16)
    at = models.DateTimeField(db_index=True)
    modified_at = models.DateTimeField(null=True)
    filters = models.JSONField(default=dict)
    """Taxonomy slugs while public (for `deleted`: the last public ones)."""
    previous_filters = models.JSONField(default=dict)

    class Meta:
        verbose_name = "Änderung für Partner"
        verbose_name_plural = "Änderungen für Partner"

    def __str__(self) -> str:
        return f"{self.seq}: {self.section} {self.page_id} {self.event}"
