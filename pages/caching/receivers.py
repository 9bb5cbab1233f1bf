"""Every change the public could see, noticed in one place (`connect()`, called from
`PagesConfig.ready()`) and recorded with `pages.changes.record`.

- Pages: publishing, a direct save of a live page, unpublishing, deletion and moves (a
  page and everything below it), view restrictions (likewise).
- Directory entries (cities, target groups, topics, contacts, venues, documents,
  images): an edit or deletion changes the items that show the entry
  (`pages.changes.pages_showing`).
- Collections and their view restrictions: the items showing their documents and images.
- Sites and editors' settings: everything.
- Wagtail's admin bulk actions (`after_bulk_action`): some write with
  `QuerySet.update()` and send no model signal (documents and images moved to another
  collection).

Deletions are recorded before the rows go (`pre_delete`, inside the deleting
transaction), while it is still known what showed them.
"""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import F, Model, Q
from django.db.models.signals import m2m_changed, post_save, pre_delete

from wagtail import hooks
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from pages import locales
from pages.changes import (
    Change,
    entry_change,
    items_linking_to,
    pages_showing,
    record,
    sections_of,
    with_descendants,
    with_sources,
    with_translations,
)
from pages.models import EventPage, ItemState
from pages.queries import forget_default_site_root_path
from pages.snippets import (
    City,
    ContactPerson,
    StatusWording,
    TargetGroup,
    Topic,
    Venue,
)

TAXONOMY_MODELS = (City, TargetGroup, Topic)
ENTRY_MODELS = (*TAXONOMY_MODELS, ContactPerson, Venue)
TRANSLATABLE_ENTRIES = (*TAXONOMY_MODELS, Venue)

# What `Page.save_revision()` and locking write on the page row: nothing the public sees.
DRAFT_FIELDS = frozenset(
    {
        "draft_title",
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


# What Wagtail writes on a document or image when it first reads the file: derived from
# the file, which did not change.
FILE_FACTS = frozenset({"file_size", "file_hash"})


def media_models() -> tuple[type[Model], ...]:
    return (get_document_model(), get_image_model())


def page_change(page_ids: set[int], **kwargs: Any) -> Change:
    return Change(pages=frozenset(page_ids), sections=sections_of(page_ids), **kwargs)


def record_pages(pages: set[int], *, left_view: bool = False) -> None:
    """`pages` changed (or left public view), and so did the items whose bodies link to
    one of them: the link follows the page's URL, or goes when the page does.

    A translation that changed or left changes the text of its German item in one
    language: the item is modified (it stays public in German either way).
    """
    sources = with_sources(pages) - pages
    linking = items_linking_to(pages | sources) - pages
    translated = with_translations(pages | sources) - pages
    record(
        page_change(pages | sources | linking | translated),
        modified=(linking if left_view else pages | linking) | sources,
    )


def published(instance: Page, **kwargs: Any) -> None:
    record_pages({instance.pk})


def page_saved(instance: Page, update_fields=None, **kwargs: Any) -> None:
    """A page saved without `publish()`/`unpublish()` (a script, a command) may have
    changed what the public sees, live or no longer live; a draft save did not."""
    if update_fields and set(update_fields) <= DRAFT_FIELDS:
        return
    if instance.live:
        record_pages({instance.pk})
    else:
        left(instance)


def left(instance: Page, **kwargs: Any) -> None:
    """Unpublished or deleted: the page and everything below it leave public view."""
    record_pages(with_descendants([instance]) | {instance.pk}, left_view=True)


def moved(instance: Page, **kwargs: Any) -> None:
    """A move or a new slug changes the URL of the page and of everything below it."""
    forget_default_site_root_path()
    record_pages(with_descendants([instance]) | {instance.pk})


def restriction_changed(instance: PageViewRestriction, **kwargs: Any) -> None:
    """Restricted: the page and its subtree leave public view; lifted: they return, as
    changed items (`modified_at` moves)."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        record_pages(with_descendants([page]))


def _german_entry(instance: Model) -> Model | None:
    """The German entry a translated directory entry translates (None if gone)."""
    return (
        type(instance)
        ._default_manager.filter(
            translation_key=instance.translation_key,  # type: ignore[attr-defined]
            locale__language_code=settings.LANGUAGE_CODE,
        )
        .first()
    )


def entry_changed(instance: Model, created: bool = False, **kwargs: Any) -> None:
    if isinstance(instance, TRANSLATABLE_ENTRIES) and (
        instance.locale.language_code != settings.LANGUAGE_CODE
    ):
        # A translation: pages link the German entry, whose items now read otherwise
        # in one language. A calendar's SEQUENCE stays: the German place is the same.
        if (german := _german_entry(instance)) is not None:
            record(entry_change(german, taxonomies=isinstance(german, TAXONOMY_MODELS)))
        return
    if created and not isinstance(instance, TAXONOMY_MODELS):
        return  # nothing shows a new entry yet
    if isinstance(instance, (Venue, City)):
        # The place is part of what a calendar shows (LOCATION): a rising SEQUENCE
        # makes subscribed calendars take the new address.
        at_place = (
            Q(venue=instance)
            if isinstance(instance, Venue)
            else Q(city=instance) | Q(venue__city=instance)
        )
        EventPage.objects.filter(at_place).update(
            schedule_sequence=F("schedule_sequence") + 1
        )
    record(entry_change(instance, taxonomies=isinstance(instance, TAXONOMY_MODELS)))


def collection_changed(instance: Model, created: bool = False, **kwargs: Any) -> None:
    """A collection's privacy (or place in the tree) decides whether its documents and
    images may be shown."""
    if created and isinstance(instance, Collection):
        return
    collection: Collection = (
        instance.collection
        if isinstance(instance, CollectionViewRestriction)
        else instance
    )
    subtree = Collection.objects.filter(path__startswith=collection.path)
    pages: set[int] = set()
    for model in media_models():
        for media in model._default_manager.filter(collection__in=subtree):
            pages |= pages_showing(media)
    record(page_change(pages, everything=True))


def site_changed(**kwargs: Any) -> None:
    """Hostnames and root pages are in every URL the hub hands out."""
    forget_default_site_root_path()
    Site.clear_site_root_paths_cache()
    record(
        Change(everything=True, sections=sections_of(_all_items())),
        modified=_all_items(),
    )


def locale_changed(**kwargs: Any) -> None:
    """A language switched on or off: every answer lists the languages it offers."""
    locales.forget()
    Site.clear_site_root_paths_cache()
    record(Change(everything=True), at_once=True)


def wording_changed(**kwargs: Any) -> None:
    """A status's wording in some language: every event may show it."""
    events = set(EventPage.objects.values_list("pk", flat=True))
    record(page_change(events), modified=events)


def _all_items() -> set[int]:
    return set(ItemState.objects.values_list("page_id", flat=True))


def settings_changed(instance: Model, created: bool = False, **kwargs: Any) -> None:
    """Editors' settings. A row Wagtail creates on first read (`load()`, `for_site()`)
    holds the defaults that were in effect already: nothing changed."""
    if created:
        return
    if isinstance(instance, (BaseGenericSetting, BaseSiteSetting)):
        record(Change(everything=True), at_once=True)


def relation_changed(instance: Model, action: str, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Page) and instance.live:
        record(page_change({instance.pk}))
    elif isinstance(instance, PageViewRestriction):  # its groups
        restriction_changed(instance)
    elif isinstance(instance, CollectionViewRestriction):  # its groups
        collection_changed(instance)
    elif isinstance(instance, ENTRY_MODELS):
        record(entry_change(instance, taxonomies=isinstance(instance, TAXONOMY_MODELS)))


def bulk_action_done(request, action_type, objects: list[Model], action) -> None:
    """Wagtail's `after_bulk_action` hook, run inside the action's transaction."""
    for instance in objects:
        if isinstance(instance, Page):
            record(page_change({instance.pk}), modified=())
        elif isinstance(instance, (*ENTRY_MODELS, *media_models())):
            record(entry_change(instance))


def saved(sender: type, instance: Model, created: bool = False, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures: nothing is public before they are all loaded
    if isinstance(instance, Page):
        page_saved(instance, **kwargs)
    elif isinstance(instance, Site):
        site_changed()
    elif isinstance(instance, Locale):
        locale_changed()
    elif isinstance(instance, StatusWording):
        wording_changed()
    elif isinstance(instance, PageViewRestriction):
        restriction_changed(instance)
    elif isinstance(instance, (Collection, CollectionViewRestriction)):
        collection_changed(instance, created=created)
    elif isinstance(instance, media_models()):
        update_fields = kwargs.get("update_fields")
        if not (update_fields and set(update_fields) <= FILE_FACTS):
            entry_changed(instance, created=created)
    elif isinstance(instance, ENTRY_MODELS):
        entry_changed(instance, created=created)
    else:
        settings_changed(instance, created=created)


def deleted(sender: type, instance: Model, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        left(instance)
    elif isinstance(instance, Site):
        site_changed()
    elif isinstance(instance, Locale):
        locale_changed()
    elif isinstance(instance, StatusWording):
        wording_changed()
    elif isinstance(instance, PageViewRestriction):
        restriction_changed(instance)
    elif isinstance(instance, CollectionViewRestriction):
        collection_changed(instance)
    elif isinstance(instance, (*ENTRY_MODELS, *media_models())):
        entry_changed(instance)
    else:
        settings_changed(instance)


def watched(model: type[Model]) -> bool:
    return issubclass(
        model,
        (
            Page,
            Site,
            Locale,
            StatusWording,
            PageViewRestriction,
            Collection,
            CollectionViewRestriction,
            BaseGenericSetting,
            BaseSiteSetting,
            *ENTRY_MODELS,
            *media_models(),
        ),
    )


def connect() -> None:
    page_published.connect(published)
    page_unpublished.connect(left)
    post_page_move.connect(moved)
    page_slug_changed.connect(moved)
    # Per model: a receiver for every model would make Django load each row of any
    # bulk delete (task results, sessions) instead of deleting in one statement.
    for model in apps.get_models():
        if watched(model):
            post_save.connect(saved, sender=model)
            pre_delete.connect(deleted, sender=model)
    m2m_changed.connect(relation_changed)
    # Registered here rather than in a `wagtail_hooks` module: every invalidation in one
    # place. `ready()` runs once per process.
    hooks.register("after_bulk_action", bulk_action_done)
