"""Admin panels of our own: read-only indicators shown among a page's fields."""

from typing import Any

from django import forms

from wagtail.admin.panels import Panel

from pages import series as series_rules


def series_marker(row: Any) -> str:
    """How an editor reads a row under „Termine“: „Serientermin“, „Serientermin,
    verschoben vom 21.01.2027“, or empty for a date entered on its own."""
    if row.series_date is None:
        return ""
    page = row.page if row.page_id or row.__class__.page.is_cached(row) else None
    rule = series_rules.recurrence_of(page) if page is not None else None
    if row.start_date != row.series_date:
        return f"Serientermin, verschoben vom {row.series_date:%d.%m.%Y}"
    if series_rules.is_moved(row, rule):
        return "Serientermin, verschoben"
    return "Serientermin"


class SeriesDateMarker(Panel):
    """Marks a row of the occurrences' inline panel that stands for a series date, so
    the editor sees which dates the series made (and which of them were moved).

    The row's `series_date` travels with it as a hidden field: a draft's series rows
    have no primary key yet, and without it a moved or deleted one would come back as
    an extra date (or not be recognised as a cancellation).
    """

    def get_form_options(self) -> dict[str, Any]:
        return {
            "fields": ["series_date"],
            "widgets": {"series_date": forms.HiddenInput()},
        }

    class BoundPanel(Panel.BoundPanel):
        template_name = "pages/admin/series_marker.html"

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            instance = self.instance
            self.marker = series_marker(instance) if instance is not None else ""

        def is_shown(self) -> bool:
            return bool(self.marker)

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context: dict[str, Any] = super().get_context_data(parent_context)
            context["marker"] = self.marker
            context["moved"] = "verschoben" in self.marker
            return context
