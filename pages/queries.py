"""The one place that decides what the public may see, used by every public surface."""

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wagtail.models import PageManager, PageViewRestriction
from wagtail.query import PageQuerySet


class HubPageQuerySet(PageQuerySet):
    def visible(self) -> "HubPageQuerySet":
        """Live, gone-live, not expired, without a view restriction on the page or an ancestor.

        Expiry and go-live are checked here rather than trusting `live`, so an expired page
        disappears at `expire_at` even before `publish_scheduled` has run.
        """
        now = timezone.now()
        restricted = PageViewRestriction.objects.annotate(
            outer_prefix=Substr(OuterRef("path"), 1, Length("page__path"))
        ).filter(page__path=F("outer_prefix"))
        return self.filter(
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=now),
            Q(expire_at__isnull=True) | Q(expire_at__gt=now),
            live=True,
        ).exclude(Exists(restricted))


HubPageManager = PageManager.from_queryset(HubPageQuerySet)
