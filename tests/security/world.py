"""A hidden world: one item per content type in every state the public must never see.

Every hidden title, teaser and body carries a unique lowercase marker (`lm…x`) that must
not appear in any public response. One visible "control" item per type has a newer
unpublished draft that carries a marker too, while its live revision carries a
`sv…x` marker that listings must show (so a surface that shows nothing can't pass).

Hidden items also sit below pages that are not live (a draft, an unpublished page, one
before its go-live, one past its expiry, and a draft deeper in the tree). Images and
documents of a private collection and of its child appear in each visible control item:
as attachments or PDF, as its teaser image, in image and document blocks (captions, alt
texts and link texts are markers), and in rich text (document links, image embeds with
a marker as alt text), beside rich-text links to every hidden page. The same rich text
is the home and index pages' introduction.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from pages import models
from pages.queries import all_pages
from pages.snippets import City

SEARCH_WORD = "Leckmarke"
KINDS = ("events", "press", "programmes", "newsletters")
MODELS: dict[str, type[Page]] = {
    "events": models.EventPage,
    "press": models.PressReleasePage,
    "programmes": models.ProgrammePage,
    "newsletters": models.NewsletterIssuePage,
}
INDEXES = {
    "events": models.EventIndexPage,
    "press": models.PressIndexPage,
    "programmes": models.ProgrammeIndexPage,
    "newsletters": models.NewsletterIndexPage,
}
HIDDEN_STATES = (
    "draft",
    "password",
    "login",
    "groups",
    "golive",
    "expired",
    "othersite",
)
RESTRICTED_STATES = ("password", "login", "groups")
PARENT_STATES = ("draft", "unpublished", "golive", "expired", "deepdraft")
"""How the page above a hidden item is not live; "deepdraft" is a draft further down."""
UNDER_HIDDEN_PARENT = tuple(f"under{state}" for state in PARENT_STATES)
ALL_HIDDEN_STATES = HIDDEN_STATES + UNDER_HIDDEN_PARENT
FUTURE_DATE = dt.date(2031, 3, 1)


def marker(*parts: str) -> str:
    return "lm" + "".join(parts) + "x"


@dataclass
class World:
    hidden: dict[tuple[str, str], Page] = field(default_factory=dict)
    controls: dict[str, Page] = field(default_factory=dict)
    control_markers: dict[str, str] = field(default_factory=dict)
    forbidden: list[str] = field(default_factory=list)
    private_documents: list = field(default_factory=list)
    private_images: list = field(default_factory=list)
    hidden_parents: list[Page] = field(default_factory=list)
    visible_counts: dict[str, int] = field(default_factory=dict)
    visible_pages: int = 0
    created: list = field(default_factory=list)
    other_site: Site | None = None
    intros: dict[int, str] = field(default_factory=dict)

    def leaks(self, body: str) -> list[str]:
        return [mark for mark in self.forbidden if mark in body]


def new_item(kind: str, parent: Page, title: str, mark: str, **extra) -> Page:
    """An unsaved item of `kind` whose every text field carries `mark`."""
    kreisweit = City.objects.get(slug="kreisweit")
    fields = {
        "title": title,
        "slug": mark,
        "teaser": f"Kurztext {mark}",
        "body": [{"type": "paragraph", "value": f"<p>Inhalt {mark}</p>"}],
        **extra,
    }
    if kind == "events":
        page = models.EventPage(city=kreisweit, **fields)
        page.occurrences = [models.EventOccurrence(start_date=FUTURE_DATE)]
    elif kind == "press":
        page = models.PressReleasePage(date=FUTURE_DATE, **fields)
    elif kind == "programmes":
        page = models.ProgrammePage(**fields)
    else:
        page = models.NewsletterIssuePage(issue=mark, date=FUTURE_DATE, **fields)
    if kind != "events":
        page.cities = [kreisweit]
    parent.add_child(instance=page)
    return page


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def hide(page: Page, state: str, now: dt.datetime) -> None:
    """Make a published `page` not live in one of the ways the public must respect."""
    if state in ("draft", "deepdraft"):
        Page.objects.filter(pk=page.pk).update(live=False)
    elif state == "unpublished":
        page.unpublish()
    elif state == "golive":
        # Live flag already set (e.g. set by hand), the scheduler hasn't run.
        Page.objects.filter(pk=page.pk).update(go_live_at=now + dt.timedelta(days=30))
    elif state == "expired":
        Page.objects.filter(pk=page.pk).update(expire_at=now - dt.timedelta(hours=1))


def plain_page(parent: Page, title: str, slug: str) -> Page:
    page = parent.add_child(instance=Page(title=title, slug=slug))
    return publish(page)


def hostile_rich_text(world: World) -> str:
    """Rich text with every form private media and hidden pages take in it.

    The words of links stay public; their targets, and embedded private images with
    their alt texts, must not show.
    """
    links = [
        f'<a linktype="document" id="{document.pk}">Dokumentlink</a>'
        for document in world.private_documents
    ]
    links += [
        f'<a linktype="page" id="{page.pk}">Seitenlink</a>'
        for page in [*world.hidden.values(), *world.hidden_parents]
    ]
    embeds = []
    for image in world.private_images:
        alt = marker("embedalt", str(image.pk))
        world.forbidden.append(alt)
        embeds.append(
            f'<embed embedtype="image" id="{image.pk}" format="left" alt="{alt}"/>'
        )
    return f"<p>{' '.join(links)}</p>{''.join(embeds)}"


def hostile_blocks(world: World, kind: str) -> list[dict]:
    """Image and document blocks of private media, and the hostile rich text."""
    blocks: list[dict] = [{"type": "paragraph", "value": hostile_rich_text(world)}]
    for n, image in enumerate(world.private_images):
        caption, alt = marker("caption", kind, str(n)), marker("alt", kind, str(n))
        world.forbidden += [caption, alt]
        # The search word too: searching must not find the item by its private media.
        value = {
            "image": image.pk,
            "caption": f"{SEARCH_WORD} {caption}",
            "alt_text": f"{SEARCH_WORD} {alt}",
        }
        blocks.append({"type": "image", "value": value})
    for n, document in enumerate(world.private_documents):
        title = marker("doclink", kind, str(n))
        world.forbidden.append(title)
        value = {"document": document.pk, "title": f"{SEARCH_WORD} {title}"}
        blocks.append({"type": "document", "value": value})
    return blocks


def build_world() -> World:
    world = World()
    indexes = {
        kind: INDEXES[kind].objects.get(locale__language_code="de") for kind in KINDS
    }
    world.visible_counts = {
        kind: MODELS[kind].objects.visible().count() for kind in KINDS
    }
    world.visible_pages = all_pages().listed().filter(depth__gt=1).count()
    group = Group.objects.create(name="Leckmarke Gruppe")
    world.created.append(group)

    # Private documents: a restricted collection and a child of it.
    root_collection = Collection.get_first_root_node()
    private = root_collection.add_child(name="Intern lmprivcollx")
    child = private.add_child(name="Intern Kind lmprivchildx")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    Document = get_document_model()
    for collection, mark in ((private, "lmprivdocx"), (child, "lmprivchilddocx")):
        document = Document(title=f"{SEARCH_WORD} {mark}", collection=collection)
        document.file.save(f"{mark}.pdf", ContentFile(b"%PDF-1.4 " + mark.encode()))
        world.private_documents.append(document)
        world.forbidden.append(mark)
        image = get_image_model().objects.create(
            title=f"{SEARCH_WORD} {mark}img",
            collection=collection,
            file=get_test_image_file(f"{mark}img.png"),
        )
        world.private_images.append(image)
        world.forbidden.append(f"{mark}img")
    world.created += [*world.private_documents, *world.private_images, child, private]

    # Another Wagtail site, reachable with `Host: localhost`.
    site_root = Page.get_first_root_node().add_child(
        instance=Page(title="Andere Website lmothersiterootx", slug="lmothersiterootx")
    )
    world.other_site = Site.objects.create(
        hostname="localhost", port=80, root_page=site_root, site_name="Andere"
    )
    world.forbidden.append("lmothersiterootx")

    now = timezone.now()
    for kind in KINDS:
        for state in HIDDEN_STATES:
            mark = marker(state, kind)
            parent = site_root if state == "othersite" else indexes[kind]
            page = new_item(kind, parent, f"{SEARCH_WORD} {state} {mark}", mark)
            world.forbidden.append(mark)
            if state != "draft":
                page = publish(page)
            else:
                Page.objects.filter(pk=page.pk).update(live=False)
            if state in ("password", "login", "groups"):
                restriction = PageViewRestriction.objects.create(
                    page=page, restriction_type=state, password="geheim-123"
                )
                if state == "groups":
                    restriction.groups.add(group)
            elif state == "golive":
                # Live flag already set (e.g. set by hand), the scheduler hasn't run.
                Page.objects.filter(pk=page.pk).update(
                    go_live_at=now + dt.timedelta(days=30)
                )
            elif state == "expired":
                Page.objects.filter(pk=page.pk).update(
                    expire_at=now - dt.timedelta(hours=1)
                )
            world.hidden[(kind, state)] = page

        for state in PARENT_STATES:
            parent = indexes[kind]
            if state == "deepdraft":
                # Below the levels the rule looks up by path (`pages.queries`): a
                # visible page between the index and the draft.
                parent = plain_page(
                    parent, f"Zwischenseite sv{kind}deepx", f"sv{kind}deepx"
                )
                world.visible_pages += 1
                world.created.append(parent)
            mark = marker("parent", state, kind)
            parent = plain_page(parent, f"Oberseite {mark}", mark)
            world.forbidden.append(mark)
            world.hidden_parents.append(parent)
            mark = marker("under", state, kind)
            page = publish(new_item(kind, parent, f"{SEARCH_WORD} {mark}", mark))
            world.forbidden.append(mark)
            hide(parent, state, now)
            world.hidden[(kind, f"under{state}")] = page

    for kind in KINDS:
        # The control: visible, with a newer unpublished draft full of markers.
        live_mark = f"sv{kind}x"
        control = new_item(kind, indexes[kind], f"Sichtbar {live_mark}", live_mark)
        if kind == "events":
            control.attachments = [
                models.EventAttachment(document=doc, role="programme")
                for doc in world.private_documents
            ]
        elif kind == "programmes":
            control.attachments = [
                models.ProgrammeAttachment(document=doc)
                for doc in world.private_documents
            ]
        elif kind == "newsletters":
            control.pdf = world.private_documents[0]
        control.image = world.private_images[-1]
        control.body = [*control.body.raw_data, *hostile_blocks(world, kind)]
        control.save()
        control = publish(control)
        draft_mark = marker("draftchanges", kind)
        control.title = f"{SEARCH_WORD} {draft_mark}"
        control.teaser = f"Entwurf {draft_mark}"
        control.body = [{"type": "paragraph", "value": f"<p>Entwurf {draft_mark}</p>"}]
        control.save_revision()
        world.forbidden.append(draft_mark)
        world.controls[kind] = control
        world.control_markers[kind] = live_mark

    intro = hostile_rich_text(world)
    home = indexes[KINDS[0]].get_parent().specific
    for page in [home, *indexes.values()]:
        world.intros[page.pk] = page.intro
        type(page).objects.filter(pk=page.pk).update(intro=f"{intro}<p>Einleitung</p>")
    return world


def destroy_world(world: World) -> None:
    for pk, intro in world.intros.items():
        Page.objects.get(pk=pk).specific_class.objects.filter(pk=pk).update(intro=intro)
    for page in [
        *world.controls.values(),
        *world.hidden.values(),
        *world.hidden_parents,
    ]:
        Page.objects.filter(pk=page.pk).delete()
    if world.other_site is not None:
        root = world.other_site.root_page
        world.other_site.delete()
        Page.objects.filter(pk=root.pk).delete()
    for obj in world.created:
        type(obj).objects.filter(pk=obj.pk).delete()
