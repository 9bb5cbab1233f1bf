"""Whether each translation of a German page has seen the German page's latest change.

wagtail-localize only notices a changed source after a sync (docs/languages.md,
"Outdated and Geringfügige Änderung"), so the hub records it itself: one row per German
page and language, written by the publish receivers in `pages.translation_signals`.
A translation without a row was never published (or predates this record).
"""

from collections.abc import Iterable

from django.db import models
from django.utils import timezone

from wagtail.models import Locale, Page, Revision


class TranslationStateQuerySet(models.QuerySet["TranslationState"]):
    def outdated(self) -> "TranslationStateQuerySet":
        return self.filter(outdated=True)


class TranslationState(models.Model):
    """One translation of a German page: which German revision it was last published
    against, and whether a German change since has made it outdated."""

    page = models.ForeignKey(
        Page,
        verbose_name="Deutsche Seite",
        on_delete=models.CASCADE,
        related_name="translation_states",
    )
    locale = models.ForeignKey(
        Locale,
        verbose_name="Sprache",
        on_delete=models.CASCADE,
        related_name="+",
    )
    source_revision = models.ForeignKey(
        Revision,
        verbose_name="Deutsche Fassung",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Die veröffentlichte deutsche Fassung, als die Übersetzung zuletzt "
        "veröffentlicht wurde.",
    )
    translated_at = models.DateTimeField(
        "Übersetzung veröffentlicht", null=True, blank=True
    )
    outdated = models.BooleanField("Veraltet", default=False)
    outdated_since = models.DateTimeField("Veraltet seit", null=True, blank=True)
    updated_at = models.DateTimeField("Geändert", default=timezone.now)

    objects = TranslationStateQuerySet.as_manager()

    class Meta:
        verbose_name = "Stand einer Übersetzung"
        verbose_name_plural = "Stände der Übersetzungen"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "locale"], name="unique_translation_state"
            )
        ]
        indexes = [models.Index(fields=["locale", "outdated"])]

    def __str__(self) -> str:
        state = "veraltet" if self.outdated else "aktuell"
        return f"{self.page_id} → {self.locale_id}: {state}"


def outdated_translations(
    page_ids: Iterable[int], locale: Locale | int | str
) -> set[int]:
    """The German page ids among `page_ids` whose translation into `locale` (a Locale,
    its pk or its language tag) is outdated; one query."""
    rows = TranslationState.objects.outdated().filter(page_id__in=list(page_ids))
    if isinstance(locale, Locale):
        rows = rows.filter(locale_id=locale.pk)
    elif isinstance(locale, int):
        rows = rows.filter(locale_id=locale)
    else:
        rows = rows.filter(locale__language_code=locale.lower())
    return set(rows.values_list("page_id", flat=True))
