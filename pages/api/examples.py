"""Response examples of the OpenAPI document, built from the shapes themselves (so an
example can only hold what the shape allows; tests decode each one strictly)."""

import datetime as dt
from zoneinfo import ZoneInfo

from msgspec import structs

from pages.api import blocks, schemas
from pages.api.media import File, Image, Rendition, RenditionSet
from pages.enums import EventStatus

BASE = "https://hub.example"
BERLIN = ZoneInfo("Europe/Berlin")
PUBLISHED = dt.datetime(2020, 7, 20, 9, 30, tzinfo=BERLIN)

WITTEN = schemas.Term(slug="witten", name="Witten")
IMAGE = Image(
    title="Schulung",
    alt="Teilnehmende einer Schulung",
    width=1600,
    height=1067,
    url=f"{BASE}/media/original_images/schulung.jpg",
    renditions=RenditionSet(
        thumbnail=Rendition(
            url=f"{BASE}/media/images/schulung.2e16d0ba.fill-480x320.jpg",
            width=480,
            height=320,
        ),
        medium=Rendition(
            url=f"{BASE}/media/images/schulung.max-960x960.jpg", width=960, height=640
        ),
        large=Rendition(
            url=f"{BASE}/media/images/schulung.max-1920x1920.jpg",
            width=1600,
            height=1067,
        ),
    ),
)
PDF = File(
    title="Anmeldeformular",
    url=f"{BASE}/documents/7/anmeldung.pdf",
    size=48213,
    mime_type="application/pdf",
)


def _item(item_type: str, path: str, api: str, pk: int, title: str) -> dict:
    return {
        "id": pk,
        "type": item_type,
        "title": title,
        "url": f"{BASE}{path}",
        "api_url": f"{BASE}/api/v1/{api}/{pk}/",
        "first_published_at": PUBLISHED,
        "last_published_at": PUBLISHED,
        "modified_at": PUBLISHED,
        "teaser": "Kurzbeschreibung für Übersichten.",
        "language": "de",
        "fallback": False,
        "translation_outdated": False,
        "translations": {
            "de": f"{BASE}/api/v1/{api}/{pk}/",
            "ar": f"{BASE}/api/v1/{api}/{pk}/?lang=ar",
        },
    }


def _content(item_type: str, path: str, api: str, pk: int, title: str) -> dict:
    return {
        **_item(item_type, path, api, pk, title),
        "image": None,
        "cities": [WITTEN],
        "target_groups": [schemas.Term(slug="ehrenamtliche", name="Ehrenamtliche")],
        "topics": [schemas.Term(slug="sprache", name="Sprache")],
    }


CONTACT = schemas.Contact(
    name="Kommunales Integrationszentrum",
    role="Koordination",
    phone="02336 93-2080",
    phone_uri="tel:+492336932080",
    email="ki@example.org",
)
EVENT = schemas.Event(
    **{
        **_content(
            "event",
            "/veranstaltungen/laien-sprachmittlerpool-witten/",
            "events",
            42,
            "Laien-Sprachmittlerpool – Grundlagenschulung in Witten",
        ),
        "image": IMAGE,
    },
    subtitle="Grundlagenschulung",
    series="Laien-Sprachmittlerpool",
    occurrences=[
        schemas.Occurrence(
            start=dt.datetime(2020, 8, day, 15, tzinfo=BERLIN),
            end=dt.datetime(2020, 8, day, 19, tzinfo=BERLIN),
            all_day=False,
            start_date=dt.date(2020, 8, day),
            end_date=dt.date(2020, 8, day),
            label="",
            series_date=None,
            moved=False,
        )
        for day in (24, 26, 31)
    ],
    recurrence=None,
    status=schemas.STATUSES[EventStatus.CONFIRMED],
    postponed_note="",
    previous_start_date=None,
    online_url="",
    venue=schemas.Venue(
        name="Rathaus Witten",
        room="Raum 101",
        street="Marktstraße 16",
        postcode="58452",
        town="Witten",
        city=WITTEN,
        accessibility="Barrierefrei zugänglich.",
        latitude=51.4436,
        longitude=7.3526,
    ),
    city=WITTEN,
    audience="Ehrenamtliche Sprachmittlerinnen und Sprachmittler",
    participation_note="Kostenlos.",
    registration=schemas.Registration(
        required=True,
        url="",
        email="ki@example.org",
        deadline=dt.date(2020, 8, 17),
        note="",
    ),
    contacts=[CONTACT],
    documents=[
        schemas.Document(
            title=PDF.title,
            url=PDF.url,
            role="registration",
            role_label="Anmeldung",
            size=PDF.size,
            mime_type=PDF.mime_type,
        )
    ],
)
PRESS = schemas.Press(
    **_content(
        "press", "/presse/neue-beratung/", "press", 43, "Neue Beratung in Witten"
    ),
    date=dt.date(2020, 7, 20),
    source="Pressestelle des Ennepe-Ruhr-Kreises",
    original_url="",
)
PROGRAMME = schemas.Programme(
    **_content(
        "programme",
        "/programme/kim/",
        "programmes",
        8,
        "Kommunales Integrationsmanagement (KIM)",
    ),
    period=schemas.Period(
        starts_on=dt.date(2020, 1, 1),
        ends_on=None,
        note="Start 2020, voraussichtlich bis 2026",
    ),
    contacts=[CONTACT],
    documents=[],
)
NEWSLETTER = schemas.Newsletter(
    **_content("newsletter", "/newsletter/1-2021/", "newsletters", 44, "Newsletter"),
    issue="1/2021",
    date=dt.date(2021, 1, 15),
    summary="Kurzbeschreibung für Übersichten.",
    pdf=PDF,
)
BODY = (
    "<h2>Worum es geht</h2><p>Die Schulung vermittelt die Grundlagen.</p>"
    f'<p><a href="{PDF.url}">Anmeldeformular</a> (PDF, 47,1 KB)</p>'
)
BLOCKS = [
    blocks.HeadingBlock(
        id="5d6c3c3e-7f0a-4a55-9a2b-1f4f7f1e9c01",
        value=blocks.HeadingValue(text="Worum es geht", level="h2"),
    ),
    blocks.ParagraphBlock(
        id="0b8e2c54-2a40-4a37-8d0c-73e0b5b1c102",
        value="<p>Die Schulung vermittelt die Grundlagen.</p>",
    ),
    blocks.ImageBlock(
        id="a4f1f0e2-9e54-4f1e-b6d7-0a4c2d1e8f03",
        value=blocks.ImageValue(image=IMAGE, caption="", alt=IMAGE.alt),
    ),
    blocks.DocumentBlock(id="9c1d2b7a-51e6-4d8f-a3c4-6e2f0b9d7a04", value=PDF),
    blocks.QuoteBlock(
        id="e2a7c9f1-3b4d-4c6e-8f0a-1b2c3d4e5f05", value="Vielfalt ist unsere Stärke."
    ),
]


def _detail(shape: type, listed) -> object:
    return shape(**structs.asdict(listed), body=BODY, blocks=BLOCKS)


def _list(shape: type, *results) -> object:
    return shape(count=len(results), next=None, previous=None, results=list(results))


def _common(listed) -> schemas.Item:
    fields = schemas.Item.__struct_fields__
    return schemas.Item(**{name: getattr(listed, name) for name in fields})


LISTS = {
    schemas.EventList: _list(schemas.EventList, EVENT),
    schemas.PressList: _list(schemas.PressList, PRESS),
    schemas.ProgrammeList: _list(schemas.ProgrammeList, PROGRAMME),
    schemas.NewsletterList: _list(schemas.NewsletterList, NEWSLETTER),
    schemas.ItemList: _list(
        schemas.ItemList, *(_common(x) for x in (NEWSLETTER, PRESS, EVENT, PROGRAMME))
    ),
}
DETAILS = {
    schemas.EventDetail: _detail(schemas.EventDetail, EVENT),
    schemas.PressDetail: _detail(schemas.PressDetail, PRESS),
    schemas.ProgrammeDetail: _detail(schemas.ProgrammeDetail, PROGRAMME),
    schemas.NewsletterDetail: _detail(schemas.NewsletterDetail, NEWSLETTER),
}
TERMS = _list(
    schemas.TermList, WITTEN, schemas.Term(slug="wetter-ruhr", name="Wetter (Ruhr)")
)
BAD_REQUEST = schemas.Problem(
    type="about:blank",
    title="Bad Request",
    status=400,
    detail="Invalid query parameters: limit.",
    invalid_params=[schemas.InvalidParam(name="limit", reason="At most 100.")],
)
CHANGES = schemas.ChangeList(
    items=[PRESS, EVENT],
    deleted=[
        schemas.Deleted(
            type="newsletter",
            id=45,
            deleted_at=dt.datetime.fromisoformat("2021-02-01T09:30:00+01:00"),
        )
    ],
    next=None,
    cursor="eyJ2IjoxLCJzIjo0MiwiZiI6ImI3OTZkMTlkNjZhMyJ9",
)
"""A page of the change feed (its items are of several shapes: not in `EXAMPLES`)."""
INDEX = schemas.ApiIndex(
    title="Integration hub API",
    version="1.0.0",
    docs="https://hub.example/api/v1/docs/",
    schema="https://hub.example/api/v1/schema/",
    endpoints=[
        schemas.Endpoint(
            name="events",
            url="https://hub.example/api/v1/events/",
            description="Events with every occurrence.",
            detail="https://hub.example/api/v1/events/{id}/",
        ),
        schemas.Endpoint(
            name="cities",
            url="https://hub.example/api/v1/cities/",
            description="Every term of cities: slug (for filters) and name.",
            detail=None,
        ),
    ],
)
LANGUAGES = schemas.LanguageList(
    count=2,
    results=[
        schemas.Language(
            code="de", name="Deutsch", name_de="Deutsch", dir="ltr", is_source=True
        ),
        schemas.Language(
            code="ar", name="العربية", name_de="Arabisch", dir="rtl", is_source=False
        ),
    ],
)
EXAMPLES = {
    **LISTS,
    **DETAILS,
    schemas.TermList: TERMS,
    schemas.LanguageList: LANGUAGES,
    schemas.ApiIndex: INDEX,
}
"""Response shape → its example."""
