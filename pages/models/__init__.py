"""The integration centre's content: a home page, four section indexes and their items.

One module per content type; what items share lives in `base` (fields, visibility
manager, taxonomy relations) and `inline` (attachments, contact links). Each section's
public name, paths and surfaces are declared in `pages.sections`.
"""

from .base import Classified, ClassifiedByCity, ContentPage, taxonomy_panels
from .editors import CityEditorGroup
from .event import (
    EventAttachment,
    EventCancellation,
    EventContact,
    EventOccurrence,
    EventPage,
    EventRecurrence,
)
from .home import HomePage
from .indexes import (
    EventIndexAttachment,
    EventIndexPage,
    NewsletterIndexPage,
    PressIndexPage,
    ProgrammeIndexPage,
    SectionIndexPage,
)
from .inline import Attachment, ContactLink
from .newsletter import NewsletterIssuePage
from .press import PressReleasePage
from .programme import ProgrammeAttachment, ProgrammeContact, ProgrammePage
from .state import ChangeLogEntry, ContentState, ItemState, SyncedItem
from .translations import TranslationState, outdated_translations

__all__ = [
    "Attachment",
    "Classified",
    "ClassifiedByCity",
    "ContactLink",
    "ContentState",
    "ContentPage",
    "EventAttachment",
    "EventCancellation",
    "EventContact",
    "EventIndexAttachment",
    "EventIndexPage",
    "EventOccurrence",
    "EventPage",
    "EventRecurrence",
    "HomePage",
    "ItemState",
    "SyncedItem",
    "ChangeLogEntry",
    "CityEditorGroup",
    "NewsletterIndexPage",
    "NewsletterIssuePage",
    "PressIndexPage",
    "PressReleasePage",
    "ProgrammeAttachment",
    "ProgrammeContact",
    "ProgrammeIndexPage",
    "ProgrammePage",
    "SectionIndexPage",
    "TranslationState",
    "outdated_translations",
    "taxonomy_panels",
]
