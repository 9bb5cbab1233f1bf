"""Every cache invalidation of the project, connected in one place (`connect()`, called
from `PagesConfig.ready()`).

- A change the public could see (publish, unpublish, delete, move, view restriction,
  collection privacy, documents, images, taxonomies, contacts, venues, sites) bumps the
  content version after the commit, which retires every stored response at once.
- A site change or a page move forgets the cached default-site root path.
- Saving or deleting editors' settings (e.g. the partner origins of the embeds) bumps
  the version at once and again after the commit: what is derived from settings is
  cached under the version (`cache_key`).
- Wagtail's admin bulk actions on pages, documents, images and snippets bump the
  version after the commit (`after_bulk_action`): some write with `QuerySet.update()`
  and send no model signal (documents and images moved to another collection).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail import hooks
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import page_published, page_unpublished, post_page_move

from pages.queries import forget_default_site_root_path
from pages.snippets import City, ContactPerson, TargetGroup, Topic, Venue

from .version import bump_after_commit, bump_content_version

# Saved, deleted or re-related, each of these can change what the public sees.
WATCHED_MODELS = (
    Page,
    PageViewRestriction,
    CollectionViewRestriction,
    Collection,
    Site,
    City,
    TargetGroup,
    Topic,
    ContactPerson,
    Venue,
)


def watched_models() -> tuple[type, ...]:
    """`WATCHED_MODELS` and the (swappable) document and image models."""
    return (*WATCHED_MODELS, get_document_model(), get_image_model())


def page_changed(**kwargs) -> None:
    bump_after_commit()


def model_changed(instance, **kwargs) -> None:
    if isinstance(instance, watched_models()):
        bump_after_commit()


def relation_changed(instance, **kwargs) -> None:
    if isinstance(instance, WATCHED_MODELS):
        bump_after_commit()


def bulk_action_done(request, action_type, objects, action) -> None:
    """Wagtail's `after_bulk_action` hook, run inside the action's transaction."""
    if issubclass(action.model, watched_models()):
        bump_after_commit()


def site_tree_changed(**kwargs) -> None:
    # Now for this process, after the commit for requests that read the old state meanwhile.
    forget_default_site_root_path()
    transaction.on_commit(forget_default_site_root_path)


def settings_changed(instance, **kwargs) -> None:
    if isinstance(instance, (BaseGenericSetting, BaseSiteSetting)):
        bump_content_version()
        transaction.on_commit(bump_content_version)


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_changed)
    for signal in (post_save, post_delete):
        signal.connect(model_changed)
    m2m_changed.connect(relation_changed)

    for signal in (post_save, post_delete):
        signal.connect(site_tree_changed, sender=Site)
    post_page_move.connect(site_tree_changed)

    for signal in (post_save, post_delete):
        signal.connect(settings_changed)

    # Registered here rather than in a `wagtail_hooks` module: every invalidation in one
    # place. `ready()` runs once per process.
    hooks.register("after_bulk_action", bulk_action_done)
