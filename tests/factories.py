"""Factories for every content type, so tests need not lean on the seed's content.

Page factories publish through a real revision by default and file themselves under the
section index of their type (created, with a home page and default site, on an empty
database). Hidden variants are traits: `draft`, `scheduled`, `expired`, and the
`private` hook (a page view restriction). Images and documents carry small valid PNG
and PDF files; `private=True` files them in a view-restricted collection.

    EventPageFactory(occurrences=2, contacts=1, attachments=[{}, "link", "private"])
    EventPageFactory(full_body=True, body__private=True, topics=[topic])
    EventPageFactory(draft=True) / (scheduled=True) / (expired=True) / (private=True)
    DocumentFactory(private=True); ImageFactory(collection=ChildOfPrivateCollectionFactory())
"""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail import blocks
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.rich_text import RichText

import factory
import wagtail_factories

from pages import blocks as body_blocks
from pages import models, snippets
from pages.demo.loader import placeholder_pdf
from pages.enums import DocumentRole, EventStatus

# --- Snippets ---------------------------------------------------------------------------


class CityFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Teststadt {n}")

    class Meta:
        model = snippets.City


class TargetGroupFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Zielgruppe {n}")

    class Meta:
        model = snippets.TargetGroup


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")

    class Meta:
        model = snippets.Topic


class ContactPersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Person {n}")
    role = "Koordination"
    phone = "02336 93-0000"
    email = factory.Sequence(lambda n: f"person{n}@example.org")

    class Meta:
        model = snippets.ContactPerson


class VenueFactory(factory.django.DjangoModelFactory):
    """A venue in the district; `city=None` for one outside it."""

    name = factory.Sequence(lambda n: f"Ort {n}")
    street = "Hauptstraße 1"
    postcode = "58332"
    town = "Schwelm"
    city = factory.SubFactory(CityFactory)

    class Meta:
        model = snippets.Venue


# --- Collections and media --------------------------------------------------------------


def root_collection() -> Collection:
    return Collection.get_first_root_node()


class CollectionFactory(wagtail_factories.CollectionFactory):
    """A collection below the root collection (wagtail-factories makes a new root)."""

    name = factory.Sequence(lambda n: f"Sammlung {n}")
    parent = factory.LazyFunction(root_collection)

    class Meta:
        skip_postgeneration_save = True


PublicCollectionFactory = CollectionFactory


class PrivateCollectionFactory(CollectionFactory):
    """A view-restricted collection: `restriction` is "login" (default), "password" or
    "groups"."""

    name = factory.Sequence(lambda n: f"Intern {n}")

    @factory.post_generation
    def restriction(obj, create, extracted, **kwargs):
        if not create:
            return
        restriction = CollectionViewRestriction.objects.create(
            collection=obj,
            restriction_type=extracted or CollectionViewRestriction.LOGIN,
            password=kwargs.get("password", "geheim"),
        )
        if restriction.restriction_type == CollectionViewRestriction.GROUPS:
            restriction.groups.add(GroupFactory())


class ChildOfPrivateCollectionFactory(CollectionFactory):
    """A collection without a restriction of its own, below a private one."""

    name = factory.Sequence(lambda n: f"Intern Unterordner {n}")
    parent = factory.SubFactory(PrivateCollectionFactory)


class GroupFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Gruppe {n}")

    class Meta:
        model = Group


def _collection(private_factory=PrivateCollectionFactory):
    return factory.Maybe(
        "private",
        factory.SubFactory(private_factory),
        factory.LazyFunction(root_collection),
    )


class ImageFactory(wagtail_factories.ImageFactory):
    """A small PNG in the root collection, or with `private=True` a restricted one."""

    title = factory.Sequence(lambda n: f"Bild {n}")
    file = factory.django.ImageField(
        width=8, height=6, color="teal", format="PNG", filename="bild.png"
    )
    collection = _collection()

    class Params:
        private = False


PDF = placeholder_pdf("Testdokument")


class DocumentFactory(wagtail_factories.DocumentFactory):
    """A one-page PDF in the root collection, or with `private=True` a restricted one."""

    title = factory.Sequence(lambda n: f"Dokument {n}")
    file = factory.django.FileField(filename="dokument.pdf", data=PDF)
    collection = _collection()

    class Params:
        private = False


# --- Body blocks ------------------------------------------------------------------------


class HeadingBlockFactory(wagtail_factories.StructBlockFactory):
    text = factory.Sequence(lambda n: f"Zwischenüberschrift {n}")
    level = "h2"

    class Meta:
        model = body_blocks.HeadingBlock


class ParagraphBlockFactory(wagtail_factories.blocks.BlockFactory):
    """Rich text with an external link and, given a `document`, a document link."""

    text = "Ein Absatz mit"
    document = factory.SubFactory(DocumentFactory)

    class Meta:
        model = blocks.RichTextBlock

    @classmethod
    def _construct_block(cls, block_class, text, document):
        html = f'{text} <a href="https://www.en-kreis.de/">Link</a>'
        if document is not None:
            html += f' und <a linktype="document" id="{document.pk}">Dokument</a>'
        return RichText(f"<p><b>{html}</b>.</p>")


class ImageBlockFactory(wagtail_factories.StructBlockFactory):
    image = factory.SubFactory(ImageFactory)
    caption = "Bildunterschrift"
    alt_text = "Alternativtext"

    class Meta:
        model = body_blocks.ImageBlock


class DocumentLinkBlockFactory(wagtail_factories.StructBlockFactory):
    document = factory.SubFactory(DocumentFactory)
    title = "Flyer (PDF)"

    class Meta:
        model = body_blocks.DocumentLinkBlock


class QuoteBlockFactory(wagtail_factories.blocks.BlockFactory):
    value = "Vielfalt ist unsere Stärke."

    class Meta:
        model = blocks.BlockQuoteBlock


class BodyBlockFactory(wagtail_factories.StreamBlockFactory):
    """Any sequence of body blocks: `body__0="heading", body__1__quote__value="…"`."""

    heading = factory.SubFactory(HeadingBlockFactory)
    paragraph = factory.SubFactory(ParagraphBlockFactory)
    image = factory.SubFactory(ImageBlockFactory)
    document = factory.SubFactory(DocumentLinkBlockFactory)
    quote = factory.SubFactory(QuoteBlockFactory)

    class Meta:
        model = body_blocks.BodyBlock


FULL_BODY_BLOCKS = ("heading", "paragraph", "image", "document", "quote")


class BodyFactory(factory.Factory):
    """A body with every block of `BodyBlock` once, in that order.

    The paragraph links and the document block show `document`; the image block shows
    `image`. `private=True` makes both restricted; or pass your own.
    """

    image = factory.Maybe(
        "private",
        factory.SubFactory(ImageFactory, private=True),
        factory.SubFactory(ImageFactory),
    )
    document = factory.Maybe(
        "private",
        factory.SubFactory(DocumentFactory, private=True),
        factory.SubFactory(DocumentFactory),
    )

    class Meta:
        model = body_blocks.BodyBlock

    class Params:
        private = False

    @classmethod
    def _create(cls, model_class, image, document):
        assert set(model_class.base_blocks) == set(FULL_BODY_BLOCKS), (
            "BodyBlock changed: add the new block to BodyBlockFactory and the full body"
        )
        return BodyBlockFactory(
            **{
                "0": "heading",
                "1__paragraph__document": document,
                "2__image__image": image,
                "3__document__document": document,
                "4": "quote",
            }
        )

    _build = _create


# --- Page tree --------------------------------------------------------------------------


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Kommunales Integrationszentrum"
    slug = "startseite"
    parent = factory.LazyFunction(Page.get_first_root_node)

    class Meta:
        model = models.HomePage
        skip_postgeneration_save = True

    @factory.post_generation
    def default_site(obj, create, extracted, **kwargs):
        """Make the new home page the default site's root, as the seed does."""
        if not create or extracted is False:
            return
        base = urlsplit(settings.SITE_BASE_URL)
        site = Site.objects.filter(is_default_site=True).first() or Site(
            is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME
        )
        site.root_page = obj
        site.hostname = base.hostname or "localhost"
        site.port = base.port or (443 if base.scheme == "https" else 80)
        site.save()


def home_page() -> models.HomePage:
    return models.HomePage.objects.first() or HomePageFactory()


class SectionIndexFactory(wagtail_factories.PageFactory):
    parent = factory.LazyFunction(home_page)

    class Meta:
        abstract = True


class ProgrammeIndexPageFactory(SectionIndexFactory):
    title = "Programme und Projekte"
    slug = "programme"

    class Meta:
        model = models.ProgrammeIndexPage


class EventIndexPageFactory(SectionIndexFactory):
    title = "Veranstaltungen"
    slug = "veranstaltungen"

    class Meta:
        model = models.EventIndexPage


class PressIndexPageFactory(SectionIndexFactory):
    title = "Presse"
    slug = "presse"

    class Meta:
        model = models.PressIndexPage


class NewsletterIndexPageFactory(SectionIndexFactory):
    title = "Newsletter"
    slug = "newsletter"

    class Meta:
        model = models.NewsletterIndexPage


def section_index(index_factory):
    """The section's index page: the seed's, or a new one (with a home) if missing."""
    model = index_factory._meta.model
    return factory.LazyFunction(lambda: model.objects.first() or index_factory())


# --- Inline children --------------------------------------------------------------------


class EventOccurrenceFactory(factory.django.DjangoModelFactory):
    """One date; traits `with_times`, `multi_day` and `labelled` for the other shapes."""

    page = factory.SubFactory("tests.factories.EventPageFactory")
    start_date = dt.date(2030, 5, 1)

    class Meta:
        model = models.EventOccurrence

    class Params:
        with_times = factory.Trait(start_time=dt.time(18), end_time=dt.time(20))
        multi_day = factory.Trait(
            end_date=factory.LazyAttribute(
                lambda o: o.start_date + dt.timedelta(days=2)
            )
        )
        labelled = factory.Trait(label="Sommerferien 2030")


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A public document by default; traits `private` (restricted document) and `link`."""

    document = factory.SubFactory(DocumentFactory)
    role = DocumentRole.PROGRAMME

    class Meta:
        abstract = True

    class Params:
        private = factory.Trait(
            document=factory.SubFactory(DocumentFactory, private=True)
        )
        link = factory.Trait(
            document=None,
            url=factory.Sequence(lambda n: f"https://example.org/anmeldung-{n}"),
            title="Online-Anmeldung",
            role=DocumentRole.REGISTRATION,
        )


class EventAttachmentFactory(AttachmentFactory):
    page = factory.SubFactory("tests.factories.EventPageFactory")

    class Meta:
        model = models.EventAttachment


class ProgrammeAttachmentFactory(AttachmentFactory):
    page = factory.SubFactory("tests.factories.ProgrammePageFactory")

    class Meta:
        model = models.ProgrammeAttachment


class EventIndexAttachmentFactory(AttachmentFactory):
    page = section_index(EventIndexPageFactory)

    class Meta:
        model = models.EventIndexAttachment


class EventContactFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory("tests.factories.EventPageFactory")
    contact = factory.SubFactory(ContactPersonFactory)

    class Meta:
        model = models.EventContact


class ProgrammeContactFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory("tests.factories.ProgrammePageFactory")
    contact = factory.SubFactory(ContactPersonFactory)

    class Meta:
        model = models.ProgrammeContact


# --- Content pages ----------------------------------------------------------------------


def _specs(extracted) -> Iterable:
    """A count, or a list of specs, for the children hooks below."""
    if extracted is None:
        return []
    if isinstance(extracted, int):
        return [{}] * extracted
    return extracted


def _children(child_factory, page, extracted, **shared) -> list:
    """Children of `page` from a count, or a list of kwargs dicts or trait names."""
    made = []
    for spec in _specs(extracted):
        kwargs = {spec: True} if isinstance(spec, str) else dict(spec)
        made.append(child_factory(page=page, **shared, **kwargs))
    return made


def _terms(term_factory, extracted) -> list:
    return [
        term_factory() if isinstance(term, dict) else term
        for term in (
            [{}] * extracted if isinstance(extracted, int) else extracted or []
        )
    ]


def _taxonomy_hook(term_factory, field: str):
    def hook(obj, create, extracted, **kwargs):
        """A count of new terms, or the terms themselves."""
        if extracted is not None:
            getattr(obj, field).set(_terms(term_factory, extracted))

    hook.__name__ = field
    return factory.post_generation(hook)


class ContentPageFactory(wagtail_factories.PageFactory):
    """Published through a revision unless `draft`; see the module docstring."""

    teaser = "Kurzbeschreibung"
    body = wagtail_factories.StreamFieldFactory(BodyBlockFactory)
    image = factory.Maybe("with_image", factory.SubFactory(ImageFactory), None)

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    class Params:
        with_image = False
        full_body = factory.Trait(body=factory.SubFactory(BodyFactory))
        draft = factory.Trait(live=False)
        scheduled = factory.Trait(
            go_live_at=factory.LazyFunction(
                lambda: timezone.now() + dt.timedelta(days=1)
            )
        )
        expired = factory.Trait(
            expire_at=factory.LazyFunction(
                lambda: timezone.now() - dt.timedelta(minutes=1)
            )
        )

    @factory.post_generation
    def private(obj, create, extracted, **kwargs):
        """`True` or a restriction type ("password", "login", "groups")."""
        if not (create and extracted):
            return
        restriction = PageViewRestriction.objects.create(
            page=obj,
            restriction_type=(
                PageViewRestriction.PASSWORD if extracted is True else extracted
            ),
            password=kwargs.get("password", "geheim"),
        )
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            restriction.groups.add(GroupFactory())

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Save what the hooks set in memory, then publish as an editor would.

        `live=False` (or `draft`) keeps a draft revision only. `scheduled` leaves a
        revision waiting for its go-live time; `expired` is live with `expire_at` passed,
        as before `publish_scheduled` has run.
        """
        if not create:
            return
        instance.save()
        revision = instance.save_revision()
        if instance.live:
            revision.publish()
        instance.refresh_from_db()


class ProgrammePageFactory(ContentPageFactory):
    title = factory.Sequence(lambda n: f"Programm {n}")
    parent = section_index(ProgrammeIndexPageFactory)
    starts_on = dt.date(2030, 1, 1)
    ends_on = dt.date(2030, 12, 31)

    class Meta:
        model = models.ProgrammePage

    cities = _taxonomy_hook(CityFactory, "cities")
    target_groups = _taxonomy_hook(TargetGroupFactory, "target_groups")
    topics = _taxonomy_hook(TopicFactory, "topics")

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        """A count, or a list of contact people or kwargs for the link factory."""
        if create:
            _contacts(ProgrammeContactFactory, obj, extracted)

    @factory.post_generation
    def attachments(obj, create, extracted, **kwargs):
        """A count, or specs: "private", "link", or kwargs for the attachment factory."""
        if create:
            _children(ProgrammeAttachmentFactory, obj, extracted)


def _contacts(link_factory, page, extracted) -> None:
    specs = [
        {"contact": spec} if isinstance(spec, snippets.ContactPerson) else spec
        for spec in _specs(extracted)
    ]
    _children(link_factory, page, specs)


class EventPageFactory(ContentPageFactory):
    """An event; without `occurrences` it has no dates (existing tests add their own).

    `occurrences` is a count (all-day, consecutive days from 1 May 2030), or a list of
    trait names ("with_times", "multi_day", "labelled") or kwargs for the occurrence
    factory.
    """

    title = factory.Sequence(lambda n: f"Veranstaltung {n}")
    parent = section_index(EventIndexPageFactory)
    status = EventStatus.SCHEDULED
    city = factory.SubFactory(CityFactory)

    class Meta:
        model = models.EventPage

    target_groups = _taxonomy_hook(TargetGroupFactory, "target_groups")
    topics = _taxonomy_hook(TopicFactory, "topics")

    @factory.post_generation
    def occurrences(obj, create, extracted, **kwargs):
        if not create:
            return
        specs = list(_specs(extracted))
        start = dt.date(2030, 5, 1)
        for day, spec in enumerate(specs):
            kwargs = {spec: True} if isinstance(spec, str) else dict(spec)
            kwargs.setdefault("start_date", start + dt.timedelta(days=day))
            EventOccurrenceFactory(page=obj, **kwargs)

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        """A count, or a list of contact people or kwargs for the link factory."""
        if create:
            _contacts(EventContactFactory, obj, extracted)

    @factory.post_generation
    def attachments(obj, create, extracted, **kwargs):
        """A count, or specs: "private", "link", or kwargs for the attachment factory."""
        if create:
            _children(EventAttachmentFactory, obj, extracted)


class PressReleasePageFactory(ContentPageFactory):
    title = factory.Sequence(lambda n: f"Pressemitteilung {n}")
    parent = section_index(PressIndexPageFactory)
    date = dt.date(2030, 1, 15)

    class Meta:
        model = models.PressReleasePage

    cities = _taxonomy_hook(CityFactory, "cities")
    target_groups = _taxonomy_hook(TargetGroupFactory, "target_groups")
    topics = _taxonomy_hook(TopicFactory, "topics")


class NewsletterIssuePageFactory(ContentPageFactory):
    """A newsletter issue; `with_pdf=True` (or `pdf__private=True`) attaches a PDF."""

    title = factory.Sequence(lambda n: f"Newsletter {n}")
    parent = section_index(NewsletterIndexPageFactory)
    issue = factory.Sequence(lambda n: f"{n}/2030")
    date = dt.date(2030, 2, 1)
    pdf = factory.Maybe("with_pdf", factory.SubFactory(DocumentFactory), None)

    class Meta:
        model = models.NewsletterIssuePage

    class Params:
        with_pdf = False

    cities = _taxonomy_hook(CityFactory, "cities")
    target_groups = _taxonomy_hook(TargetGroupFactory, "target_groups")
    topics = _taxonomy_hook(TopicFactory, "topics")
