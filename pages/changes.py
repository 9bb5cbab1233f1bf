"""The one source of truth for "what changed", shared by every process through the
database.

`record()` is called (from `pages.caching.receivers`) for every change the public could
see, inside the writer's transaction:

- it moves `modified_at` of the items whose representation changed (`ItemState`), with
  the change itself;
- once the transaction has committed, it moves their `modified_at` again to the
  database's clock (in commit order, so `updated_since` never skips a change that
  committed after a partner's read), raises `ContentState.seq` and `changed_at` (one
  short write per transaction), so every process sees the new state at its next
  request, and sends `content_changed` with everything the transaction changed
  (`Change`), for what reacts outside the database (edge purges, webhooks). A
  rolled-back transaction does neither.

The state moves after the commit, not inside the transaction: a lock on the one row
held until commit would queue every editor behind the slowest transaction (and could
deadlock two bulk actions on PostgreSQL). A request that reads the old state meanwhile
stores what it read under the old state, which the move retires; and since every
commit moves the state (and its time) after it, a response that missed a change
always has an older `changed_at` than the state that includes it.

Which items show a directory entry (venue, contact, document, image, taxonomy term) is
read from the section registry (`Section.relations`, `Section.shown_entries`) and, for
documents, images and pages linked from bodies, from Wagtail's reference index.
"""

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Model, Q
from django.db.models.functions import Greatest, Now
from django.dispatch import Signal
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from .models import ContentState, ItemState
from .sections import SECTIONS, Section

logger = logging.getLogger(__name__)

content_changed = Signal()
"""Sent once after each commit that changed what the public could see, with `change`."""


@dataclass(frozen=True)
class Change:
    """What one transaction changed, as far as the public surfaces care."""

    pages: frozenset[int] = frozenset()
    """Pages whose public representation may have changed: published, edited, moved,
    unpublished, deleted, restricted, or showing a changed directory entry."""
    sections: frozenset[str] = frozenset()
    """Names of the sections (`pages.sections`) whose lists may have changed."""
    taxonomies: bool = False
    """A city, target group or topic changed (the taxonomy lists)."""
    everything: bool = False
    """A change that may touch any public answer: a view restriction, a collection's
    privacy, a site, editors' settings."""

    def __or__(self, other: "Change") -> "Change":
        return Change(
            self.pages | other.pages,
            self.sections | other.sections,
            self.taxonomies or other.taxonomies,
            self.everything or other.everything,
        )

    def __bool__(self) -> bool:
        return bool(self.pages or self.sections or self.taxonomies or self.everything)


@dataclass(frozen=True)
class State:
    """The content state as one process read it."""

    seq: int
    changed_at: dt.datetime
    read_at: dt.datetime
    """The database's clock when it was read: the clock `changed_at` and `modified_at`
    are set by, whatever the app server's own clock says."""

    @property
    def token(self) -> str:
        """Identifies the state in cache keys and ETags. The time keeps it unique even
        if a restored database counts the same numbers again."""
        return f"{self.seq}.{int(self.changed_at.timestamp() * 1_000_000)}"


def current_state() -> State:
    """The state every process agrees on: one indexed read of one row."""
    row = (
        ContentState.objects.filter(pk=1)
        .annotate(read_at=Now())
        .values_list("seq", "changed_at", "read_at")
        .first()
    )
    if row is None:
        ContentState.objects.get_or_create(pk=1)
        return current_state()
    seq, changed_at, read_at = row
    return State(seq, changed_at, read_at or timezone.now())


def advance_state() -> None:
    """Move the state every process reads (after a commit: see the module docstring)."""
    # The database's clock, one for every app server; never backwards.
    moved = ContentState.objects.filter(pk=1).update(
        seq=F("seq") + 1, changed_at=Greatest(F("changed_at"), Now())
    )
    if not moved:
        ContentState.objects.get_or_create(pk=1, defaults={"seq": 2})


@dataclass
class _Pending:
    """Changes of the open transaction, sent together once it commits."""

    change: Change = field(default_factory=Change)
    modified: set[int] = field(default_factory=set)
    sent: bool = False

    def send(self) -> None:
        """Run by the first of this transaction's commit callbacks; the rest find it
        done."""
        if self.sent:
            return
        self.sent = True
        if getattr(_pending, connection.alias, None) is self:
            delattr(_pending, connection.alias)
        _committed(self.change, self.modified)


# Per thread (threaded servers run several transactions at once) and connection.
_pending = threading.local()


def _committed(change: Change, modified: set[int]) -> None:
    """After the commit: stamp `modified_at` with the database's clock (in commit order,
    so `updated_since` never skips a change that committed after a partner's read),
    move the state, tell the receivers. A failure is logged, never the editor's 500:
    their change is committed."""
    try:
        if modified:
            touch(modified, after_commit=True)
        advance_state()
    except DatabaseError:
        logger.exception("Could not record a committed change: %s", change)
    for receiver, error in content_changed.send_robust(sender=Change, change=change):
        if isinstance(error, Exception):
            logger.error("content_changed receiver %r failed", receiver, exc_info=error)


def _queue(change: Change, modified: set[int]) -> None:
    if not connection.in_atomic_block:
        _committed(change, modified)
        return
    pending: _Pending | None = getattr(_pending, connection.alias, None)
    # A rolled-back transaction drops its callbacks: then start afresh.
    if pending is None or not any(
        entry[1] == pending.send for entry in connection.run_on_commit
    ):
        pending = _Pending()
        setattr(_pending, connection.alias, pending)
    pending.change |= change
    pending.modified |= modified
    transaction.on_commit(pending.send, robust=True)


def record(
    change: Change, *, modified: Iterable[int] | None = None, at_once: bool = False
) -> None:
    """Record `change` in the current transaction (see the module's docstring).

    `modified`: the pages whose `modified_at` moves to now (default: `change.pages`).
    `at_once`: move the state inside the transaction too, for changes this process
    reads back before the commit (editors' settings, cached under the state).
    """
    if not change:
        return
    if at_once:
        advance_state()
    touched = set(change.pages if modified is None else modified)
    if touched:
        touch(touched)
    _queue(change, touched)


def touch(
    page_ids: Iterable[int],
    when: dt.datetime | None = None,
    *,
    after_commit: bool = False,
) -> None:
    """Set `modified_at` of the item pages among `page_ids` to `when` (default: now).

    Inside the transaction the app's clock is used (new rows need a value at once);
    `after_commit` moves them again, to the database's clock, never backwards.
    """
    ids = set(page_ids)
    items = Page.objects.filter(
        pk__in=ids,
        content_type__in=_item_content_types(),
        locale__language_code=settings.LANGUAGE_CODE,
    )
    item_ids = set(items.values_list("pk", flat=True))
    if not item_ids:
        return
    if after_commit:
        ItemState.objects.filter(page_id__in=item_ids).update(
            modified_at=Greatest(F("modified_at"), Now())
        )
        return
    when = when or timezone.now()
    existing = set(
        ItemState.objects.filter(page_id__in=item_ids).values_list("page_id", flat=True)
    )
    ItemState.objects.filter(page_id__in=existing).update(modified_at=when)
    ItemState.objects.bulk_create(
        [ItemState(page_id=pk, modified_at=when) for pk in item_ids - existing],
        ignore_conflicts=True,
    )


def _item_content_types() -> list[int]:
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    return [
        ContentType.objects.get_for_model(section.page_model).pk for section in SECTIONS
    ]


def sections_of(page_ids: Iterable[int]) -> frozenset[str]:
    """Names of the sections the item pages among `page_ids` belong to."""
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    by_type = {
        ContentType.objects.get_for_model(section.page_model).pk: section.name
        for section in SECTIONS
    }
    types = Page.objects.filter(pk__in=set(page_ids)).values_list(
        "content_type_id", flat=True
    )
    return frozenset(by_type[pk] for pk in set(types) if pk in by_type)


def with_descendants(pages: Iterable[Page]) -> set[int]:
    """Ids of `pages` and every page below them."""
    paths = [Q(path__startswith=page.path) for page in pages]
    if not paths:
        return set()
    return set(Page.objects.filter(_any(paths)).values_list("pk", flat=True))


def _any(conditions: list[Q]) -> Q:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


# Entries an item carries through a relation (`Section.relations`): the related model and
# the lookup from the item page.
RELATION_ENTRIES: dict[str, tuple[str, str]] = {
    "cities": ("pages.City", "cities"),
    "target_groups": ("pages.TargetGroup", "target_groups"),
    "topics": ("pages.Topic", "topics"),
    "contacts": ("pages.ContactPerson", "contacts__contact"),
    "attachments": ("document", "attachments__document"),
    "pdf": ("document", "pdf"),
    "image": ("image", "image"),
}


def _model(label: str) -> type[Model]:
    model: type[Model]
    if label == "document":
        model = get_document_model()
    elif label == "image":
        model = get_image_model()
    else:
        model = apps.get_model(label)
    return model


def entry_lookups(section: Section) -> list[tuple[type[Model], str]]:
    """(model, lookup) of every directory entry an item of `section` shows."""
    pairs = [
        RELATION_ENTRIES[name]
        for name in sorted(section.relations)
        if name in RELATION_ENTRIES
    ]
    return [
        (_model(label), lookup) for label, lookup in (*pairs, *section.shown_entries)
    ]


def pages_showing(entry: Model) -> set[int]:
    """Ids of the item pages that show `entry` (a venue, contact, document, image,
    taxonomy term, or a page linked from a body)."""
    ids: set[int] = set()
    for section in SECTIONS:
        lookups = [
            Q(**{lookup: entry.pk})
            for model, lookup in entry_lookups(section)
            if isinstance(entry, model)
        ]
        if lookups:
            matching = section.page_model.objects.filter(_any(lookups))
            ids |= set(matching.values_list("pk", flat=True))
    if isinstance(entry, (get_document_model(), get_image_model(), Page)):
        references = ReferenceIndex.get_references_to(entry)
        page_type = ReferenceIndex._get_base_content_type(Page)
        ids |= {
            int(pk)
            for pk in references.filter(base_content_type=page_type).values_list(
                "object_id", flat=True
            )
        }
    return ids


def with_sources(page_ids: Iterable[int]) -> set[int]:
    """`page_ids` and the German pages of the translations among them, in one query.

    Items are the German pages (`ItemState`, the change log, the API's ids); a
    translation's change is a change of the item it translates, in one language.
    """
    ids = set(page_ids)
    if not ids:
        return ids
    translated = (
        Page.objects.filter(pk__in=ids)
        .exclude(locale__language_code=settings.LANGUAGE_CODE)
        .values("translation_key")
    )
    sources = Page.objects.filter(
        translation_key__in=translated, locale__language_code=settings.LANGUAGE_CODE
    ).values_list("pk", flat=True)
    return ids | set(sources)


def with_translations(page_ids: Iterable[int]) -> set[int]:
    """`page_ids` and every translation of them, in one query: a translated page
    shows its German page's facts, so a German change changes it too (its public page
    and what an edge cache holds of it)."""
    ids = set(page_ids)
    if not ids:
        return ids
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    return ids | set(
        Page.objects.filter(translation_key__in=keys)
        .exclude(pk__in=ids)
        .values_list("pk", flat=True)
    )


def items_linking_to(page_ids: Iterable[int]) -> set[int]:
    """Item pages whose bodies link to one of `page_ids` (Wagtail's reference index)."""
    ids = [str(pk) for pk in page_ids]
    if not ids:
        return set()
    page_type = ReferenceIndex._get_base_content_type(Page)
    sources = ReferenceIndex.objects.filter(
        to_content_type=page_type, to_object_id__in=ids, base_content_type=page_type
    ).values_list("object_id", flat=True)
    return {int(pk) for pk in sources}


def entry_change(entry: Model, **kwargs: Any) -> Change:
    """The change an edit or deletion of a directory entry makes: the pages showing it
    and their translations, which show their German page's entries."""
    pages = frozenset(with_translations(pages_showing(entry)))
    return Change(pages=pages, sections=sections_of(pages), **kwargs)
