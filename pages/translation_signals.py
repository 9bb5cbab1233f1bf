"""Translation state on publish (docs/languages.md, "Outdated and Geringfügige Änderung").

Publishing a German page marks every translation of it outdated and refreshes
wagtail-localize's source, so the changed segments show as untranslated in its editor;
unless the editor ticked „Geringfügige Änderung“, which is recorded on the revision's
log entry (`record_minor_change`) so that it holds when a review approves the revision
later. Publishing a translation makes it current again.
"""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from wagtail.models import Locale, Page, PageLogEntry, Revision
from wagtail.signals import page_published

from wagtail_localize.models import TranslationSource

from .models import TranslationState

MINOR_CHANGE = "minor_change"
"""Key of the flag in the data of a revision's log entry; also the value the
„Geringfügige Änderung“ publish button posts as `action-publish`."""


def record_minor_change(revision: Revision) -> None:
    """Remember that publishing `revision` keeps the page's translations current."""
    entries = list(PageLogEntry.objects.filter(revision=revision))
    for entry in entries:
        entry.data = {**(entry.data or {}), MINOR_CHANGE: True}
        entry.save(update_fields=["data"])
    if not entries:
        PageLogEntry.objects.log_action(
            revision.as_object(),
            "wagtail.edit",
            revision=revision,
            data={MINOR_CHANGE: True},
        )


def is_minor_change(revision: Revision | None) -> bool:
    if revision is None:
        return False
    return bool(
        PageLogEntry.objects.filter(
            revision=revision, **{f"data__{MINOR_CHANGE}": True}
        ).exists()
    )


def german_page_published(page: Page, revision: Revision | None) -> None:
    """Every translation of `page` becomes outdated, unless this was a minor change."""
    locale_ids = set(
        Page.objects.filter(translation_key=page.translation_key, alias_of=None)
        .exclude(locale_id=page.locale_id)
        .values_list("locale_id", flat=True)
    )
    if not locale_ids or is_minor_change(revision):
        return
    now = timezone.now()
    TranslationState.objects.filter(
        Q(outdated=False) | Q(outdated_since=None), page=page, locale_id__in=locale_ids
    ).update(outdated=True, outdated_since=now, updated_at=now)
    known = set(
        TranslationState.objects.filter(page=page).values_list("locale_id", flat=True)
    )
    TranslationState.objects.bulk_create(
        TranslationState(
            page=page,
            locale_id=locale_id,
            outdated=True,
            outdated_since=now,
            updated_at=now,
        )
        for locale_id in locale_ids - known
    )
    source = TranslationSource.objects.filter(
        object_id=page.translation_key, locale_id=page.locale_id
    ).first()
    if source is not None:
        source.update_from_db()


def translation_published(page: Page, german: Page) -> None:
    """The translation `page` of `german` is current again."""
    now = timezone.now()
    TranslationState.objects.update_or_create(
        page=german,
        locale_id=page.locale_id,
        defaults={
            "outdated": False,
            "outdated_since": None,
            "translated_at": now,
            "source_revision_id": german.live_revision_id,
            "updated_at": now,
        },
    )


def on_page_published(
    sender: type, instance: Page, revision: Revision | None = None, **kwargs: Any
) -> None:
    german_locale_id = Locale.get_default().pk
    if instance.locale_id == german_locale_id:
        german_page_published(instance, revision)
        return
    german = Page.objects.filter(
        translation_key=instance.translation_key, locale_id=german_locale_id
    ).first()
    if german is not None:
        translation_published(instance, german)


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="hub-translation-state")
