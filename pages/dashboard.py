"""The editors' dashboard: what is coming up, waiting, scheduled or out of date.

Each panel reads its rows with a fixed number of queries, however much content there is,
and lists only pages its reader may edit: a city editor sees their city's events, the
office everything (the page permission policy decides, pages/models/editors.py).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, WorkflowState
from wagtail.permissions import policy_registry

from pages.enums import EventStatus, status_label
from pages.models import EventOccurrence, EventPage

UPCOMING_WEEKS = 4
ROWS = 15
# Statuses that tell readers the date is still to come ("vorläufig geplant",
# "wird verschoben"): once every occurrence has ended they need a decision.
PENDING_STATUSES = (EventStatus.TENTATIVE, EventStatus.POSTPONED)


@dataclass(frozen=True)
class Row:
    when: str
    title: str
    url: str
    detail: str = ""


def _when(moment: dt.datetime, *, with_time: bool = True) -> str:
    local = timezone.localtime(moment)
    return date_format(local, "D, d.m.Y, H:i" if with_time else "D, d.m.Y")


def _edit_url(page_id: int | str) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page_id,))


class DashboardPanel(Component):
    """A heading, a short explanation and a table of rows (date, title, detail)."""

    template_name = "pages/admin/dashboard_panel.html"
    name: ClassVar[str]
    heading: ClassVar[str]
    description: ClassVar[str]
    empty: ClassVar[str]
    order: ClassVar[int]

    def __init__(self, user: Any) -> None:
        self.user = user

    def editable_pages(self) -> QuerySet[Page]:
        """The pages the reader may edit, as Wagtail's page permission policy says."""
        policy = policy_registry.get_by_type(Page)
        pages: QuerySet[Page] = policy.instances_user_has_permission_for(
            self.user, "change"
        )
        return pages

    def editable_object_ids(self) -> QuerySet:
        """`editable_pages()` as the text ids that revisions and workflows store."""
        return self.editable_pages().values_list(
            Cast("pk", output_field=CharField()), flat=True
        )

    def rows(self, now: dt.datetime) -> list[Row]:
        raise NotImplementedError

    def get_context_data(self, parent_context: Mapping[str, Any] | None) -> dict:
        return {
            "panel_id": self.name,
            "heading": self.heading,
            "description": self.description,
            "empty": self.empty,
            "rows": self.rows(timezone.now()),
        }


class UpcomingEventsPanel(DashboardPanel):
    name = "hub-upcoming-events"
    heading = "Veranstaltungen der nächsten vier Wochen"
    description = (
        "Veröffentlichte Termine ab heute, wie Leser und Partnerseiten sie sehen."
    )
    empty = "In den nächsten vier Wochen ist kein Termin veröffentlicht."
    order = 50

    def rows(self, now: dt.datetime) -> list[Row]:
        occurrences = (
            EventOccurrence.objects.filter(
                page__in=EventPage.objects.listed()
                .filter(pk__in=self.editable_pages().values("pk"))
                .values("pk"),
                ends_at__gte=now,
                starts_at__lt=now + dt.timedelta(weeks=UPCOMING_WEEKS),
            )
            .select_related("page", "page__city")
            .order_by("starts_at", "page_id")[:ROWS]
        )
        return [
            Row(
                when=_when(o.starts_at, with_time=o.start_time is not None),
                title=o.page.title,
                url=_edit_url(o.page_id),
                detail=" · ".join(
                    filter(
                        None,
                        [
                            str(o.page.city or ""),
                            status_label(o.page.status, o.page.postponed_note),
                        ],
                    )
                ),
            )
            for o in occurrences
        ]


class AwaitingReviewPanel(DashboardPanel):
    name = "hub-awaiting-review"
    heading = "Warten auf Freigabe"
    description = (
        "Inhalte, die zur Prüfung eingereicht und noch nicht freigegeben sind."
    )
    empty = "Zurzeit wartet nichts auf eine Freigabe."
    order = 60

    def rows(self, now: dt.datetime) -> list[Row]:
        states = list(
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_IN_PROGRESS,
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id__in=self.editable_object_ids(),
            )
            .select_related("current_task_state__task", "requested_by")
            .order_by("-created_at")[:ROWS]
        )
        pages = Page.objects.in_bulk([int(s.object_id) for s in states])
        rows = []
        for state in states:
            page = pages.get(int(state.object_id))
            if page is None:
                continue
            task = state.current_task_state.task if state.current_task_state else None
            by = state.requested_by.get_full_name() if state.requested_by else ""
            detail = ", ".join(
                filter(
                    None, [str(task.name) if task else "", f"von {by}" if by else ""]
                )
            )
            rows.append(
                Row(
                    when=_when(state.created_at),
                    title=page.get_admin_display_title(),
                    url=_edit_url(page.pk),
                    detail=detail,
                )
            )
        return rows


class ScheduledPanel(DashboardPanel):
    name = "hub-scheduled"
    heading = "Geplante Veröffentlichungen und Abläufe"
    description = (
        "Seiten, die zu einem festgelegten Zeitpunkt online gehen oder ablaufen."
    )
    empty = "Keine Veröffentlichung und kein Ablauf geplant."
    order = 70

    def rows(self, now: dt.datetime) -> list[Row]:
        page_type = ContentType.objects.get_for_model(Page)
        go_lives = (
            Revision.objects.filter(
                base_content_type=page_type,
                approved_go_live_at__isnull=False,
                object_id__in=self.editable_object_ids(),
            )
            .only("object_id", "object_str", "approved_go_live_at")
            .order_by("approved_go_live_at")[:ROWS]
        )
        expiries: QuerySet[Page] = (
            self.editable_pages()
            .filter(live=True, expire_at__gt=now)
            .only("pk", "title", "draft_title", "expire_at")
            .order_by("expire_at")[:ROWS]
        )
        events = [
            (r.approved_go_live_at, r.object_str, r.object_id, "geht online")
            for r in go_lives
        ] + [(p.expire_at, p.title, p.pk, "läuft ab") for p in expiries]
        events.sort(key=lambda event: event[0])
        return [
            Row(when=_when(at), title=title, url=_edit_url(pk), detail=what)
            for at, title, pk, what in events[:ROWS]
        ]


class PastButPendingEventsPanel(DashboardPanel):
    """Published events whose every occurrence has ended while their status still
    promises a date to come.

    Partner embeds with `upcoming=true` show an event while its last occurrence has not
    ended (`last_ends_at >= now`, pages/filters.py), whatever its status; afterwards the
    event drops out of them. Lists without `upcoming`, the event page, the API and the
    feeds keep saying „vorläufig geplant“ or „wird verschoben“ – for a date that has
    passed. Cancelled, rescheduled and other statuses are final and not listed.
    """

    name = "hub-past-pending-events"
    heading = "Termine vorbei, Status noch offen"
    description = (
        "Veröffentlichte Veranstaltungen, deren letzter Termin vorbei ist, die aber "
        "noch als „vorläufig geplant“ oder „wird verschoben“ angekündigt werden. "
        "Tragen Sie den neuen Termin ein oder setzen Sie den Status auf „abgesagt“."
    )
    empty = "Keine vergangene Veranstaltung mit offenem Status."
    order = 80

    def rows(self, now: dt.datetime) -> list[Row]:
        events = (
            EventPage.objects.listed()
            .filter(
                last_ends_at__lt=now,
                status__in=PENDING_STATUSES,
                pk__in=self.editable_pages().values("pk"),
            )
            .only("pk", "title", "status", "postponed_note", "last_ends_at")
            .order_by("-last_ends_at", "pk")[:ROWS]
        )
        return [
            Row(
                when=_when(event.last_ends_at, with_time=False),
                title=event.title,
                url=_edit_url(event.pk),
                detail=status_label(event.status, event.postponed_note),
            )
            for event in events
        ]


PANELS = (
    UpcomingEventsPanel,
    AwaitingReviewPanel,
    ScheduledPanel,
    PastButPendingEventsPanel,
)


def add_panels(request: Any, panels: list) -> None:
    """`construct_homepage_panels`: the office's panels above Wagtail's own."""
    panels.extend(panel(request.user) for panel in PANELS)
