"""Every cache invalidation of the project, connected in one place (`connect()`, called
from `PagesConfig.ready()`).

- A change the public could see (publish, unpublish, delete, move, view restriction,
  collection privacy, documents, images, taxonomies, contacts, venues, sites) bumps the
  content version after the commit, which retires every stored response at once.
- A site change or a page move forgets the cached default-site root path.
- Saving or deleting the embed settings forgets the cached allowed origins.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

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

from embeds.models import EmbedSettings
from embeds.origins import forget_allowed_origins
from pages.queries import forget_default_site_root_path
from pages.snippets import City, ContactPerson, TargetGroup, Topic, Venue

from .version import bump_after_commit

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


def page_changed(**kwargs) -> None:
    bump_after_commit()


def model_changed(instance, **kwargs) -> None:
    if isinstance(instance, WATCHED_MODELS + (get_document_model(), get_image_model())):
        bump_after_commit()


def relation_changed(instance, **kwargs) -> None:
    if isinstance(instance, WATCHED_MODELS):
        bump_after_commit()


def site_tree_changed(**kwargs) -> None:
    # Now for this process, after the commit for requests that read the old state meanwhile.
    forget_default_site_root_path()
    transaction.on_commit(forget_default_site_root_path)


def embed_settings_changed(**kwargs) -> None:
    forget_allowed_origins()


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
        signal.connect(embed_settings_changed, sender=EmbedSettings)
