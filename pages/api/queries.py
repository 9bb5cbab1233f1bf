"""What each representation needs, fetched in a fixed number of queries per list.

Every relation a serializer reads is prefetched or joined here, so a list of 1, 20 or
100 items costs the same number of queries. Documents and images in private collections
are filtered out in the query, never in Python.
"""

from django.db.models import Prefetch, QuerySet

from wagtail.images import get_image_model

from pages.media import (
    RENDITIONS,
    public_attachments,
    public_documents,
    restricted_collection,
)
from pages.models import (
    EventOccurrence,
    EventPage,
    NewsletterIssuePage,
    PressReleasePage,
    ProgrammePage,
)
from pages.snippets import City, TargetGroup, Topic


def _terms(*names: str) -> list[Prefetch]:
    models = {"cities": City, "target_groups": TargetGroup, "topics": Topic}
    return [
        Prefetch(name, queryset=models[name].objects.only("slug", "name"))
        for name in names
    ]


def _contacts(model) -> Prefetch:
    return Prefetch(
        "contacts",
        queryset=model.objects.select_related("contact").order_by("sort_order"),
    )


def _attachments(page_model) -> Prefetch:
    """Attachment rows of a public document or an external link, in editor order."""
    rows = page_model.attachments.rel.related_model
    return Prefetch(
        "attachments",
        queryset=public_attachments(rows.objects.select_related("document")).order_by(
            "sort_order"
        ),
    )


def with_representation(queryset: QuerySet, *, detail: bool = False) -> QuerySet:
    """`queryset` plus everything its section's serializer reads."""
    model = queryset.model
    if not detail:
        queryset = queryset.defer_streamfields()
    # The image is joined; `image_is_private` hides one from a private collection.
    queryset = queryset.select_related("image").annotate(
        image_is_private=restricted_collection("image__collection")
    )
    queryset = queryset.prefetch_related(
        Prefetch(
            "image__renditions",
            queryset=get_image_model()
            .get_rendition_model()
            .objects.filter(filter_spec__in=list(RENDITIONS.values())),
        )
    )
    if model is EventPage:
        return queryset.select_related("city", "venue__city").prefetch_related(
            Prefetch(
                "occurrences",
                queryset=EventOccurrence.objects.order_by("starts_at", "pk"),
            ),
            *_terms("target_groups", "topics"),
            _contacts(model.contacts.rel.related_model),
            _attachments(model),
        )
    if model is ProgrammePage:
        return queryset.prefetch_related(
            *_terms("cities", "target_groups", "topics"),
            _contacts(model.contacts.rel.related_model),
            _attachments(model),
        )
    if model is NewsletterIssuePage:
        return queryset.prefetch_related(
            *_terms("cities", "target_groups", "topics"),
            Prefetch("pdf", queryset=public_documents()),
        )
    if model is PressReleasePage:
        return queryset.prefetch_related(*_terms("cities", "target_groups", "topics"))
    raise ValueError(f"no representation for {model!r}")
