"""Wagtail's own API v2 for Wagtail tooling, with the hub's visibility rule.

Stock v2 shows every live page (expired ones until the scheduler runs) and relies on the
request user for collections; here pages come from `visible()` and documents and images
from unrestricted collections only, for everyone, without sessions.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page

from rest_framework.renderers import JSONRenderer

from pages.api import problems
from pages.api.views import JSONOnly
from pages.media import in_public_collections
from pages.queries import HubPageQuerySet


def public_in_searchable_form(model):
    """Images or documents of public collections, filtered so `?search=` still works."""
    public = in_public_collections(model.objects.all()).values("pk")
    return model.objects.filter(pk__in=public).order_by("id")


class AnonymousJSONMixin:
    """No browsable API, no authentication (so no session), problem+json for the rest."""

    renderer_classes = [JSONRenderer]
    authentication_classes: list = []
    permission_classes: list = []
    content_negotiation_class = JSONOnly

    def get_exception_handler(self):
        return problems.exception_handler


class VisiblePagesAPIViewSet(AnonymousJSONMixin, PagesAPIViewSet):
    def get_base_queryset(self):
        # A `pk__in` subquery rather than the rule's filters themselves, so the search
        # backend (which only understands indexed fields) can still search the result.
        visible = HubPageQuerySet(model=Page).visible()
        return Page.objects.filter(pk__in=visible.values("pk"))


class PublicImagesAPIViewSet(AnonymousJSONMixin, ImagesAPIViewSet):
    def get_queryset(self):
        return public_in_searchable_form(self.model)


class PublicDocumentsAPIViewSet(AnonymousJSONMixin, DocumentsAPIViewSet):
    def get_queryset(self):
        return public_in_searchable_form(self.model)


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", VisiblePagesAPIViewSet)
router.register_endpoint("images", PublicImagesAPIViewSet)
router.register_endpoint("documents", PublicDocumentsAPIViewSet)
