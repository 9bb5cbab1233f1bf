"""What partners are told: one `ItemEvent` per item whose public view changed.

`pages.sync` compares what is public now with what partners last saw (after each
committed change, and on the scheduler's passes for the clock) and appends the
differences to the change log behind `/api/v1/changes/`. Once that log is committed it
sends `items_changed` with the new events, in log order, exactly once per change:
webhooks deliver them, WebSub pings the feeds they appear in. This module imports no
model, so any app may import it.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from django.dispatch import Signal

EventType = Literal["item.published", "item.updated", "item.deleted"]
Reason = Literal["edit", "schedule", "expiry"]

items_changed = Signal()
"""Sent after the change log's transaction committed, with `events: list[ItemEvent]`."""


@dataclass(frozen=True)
class ItemEvent:
    seq: int
    """Position in the change log (ascending, never reused)."""
    type: EventType
    """`item.published`: became public (published, moved into view, restriction lifted,
    scheduled go-live); `item.updated`: public before and after, and `modified_at`
    moved; `item.deleted`: left public view (unpublished, deleted, restricted, expired,
    moved out of the site)."""
    reason: Reason
    """Why: an editor's action (`edit`), a scheduled go-live (`schedule`, with
    `item.published`) or an expiry date passing (`expiry`, with `item.deleted`)."""
    section: str
    """`pages.sections.Section.name` ("events")."""
    item_type: str
    """The API `type` ("event")."""
    id: int
    modified_at: dt.datetime | None
    """The item's `modified_at`; for `item.deleted` the moment it left public view."""
    api_url: str
    """Absolute URL of the item's API detail (answers 404 after `item.deleted`)."""
    language: str = "de"
    filters: dict[str, list[str]] = field(default_factory=dict)
    """Taxonomy slugs the item had while public (`{"city": [...], "target_group": [...],
    "topic": [...]}`), for subscriptions limited to some of them."""
    previous_filters: dict[str, list[str]] = field(default_factory=dict)
    """The same before this change (a city moved away from is a match too)."""
