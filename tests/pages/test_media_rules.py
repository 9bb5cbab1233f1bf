"""The media rules (`pages.media`) on rows that are not (yet) in the database, as
Wagtail's preview and revisions hand them to the templates, and their cost: a body or
list asks once for all its media, never once per block."""

import pytest

from pages.media import is_public, public_attachments, public_or_none, remember_public
from pages.models import EventAttachment
from tests.factories import (
    DocumentFactory,
    ImageFactory,
    PrivateCollectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def private():
    return PrivateCollectionFactory(restriction="password")


def test_unsaved_attachment_rows_keep_links_and_public_documents_only(private):
    public = DocumentFactory()
    hidden = DocumentFactory(collection=private)
    rows = [
        EventAttachment(url="https://www.witten.de/integration/"),
        EventAttachment(document=public),
        EventAttachment(document=hidden),
    ]
    kept = public_attachments(rows)
    assert [row.url or row.document for row in kept] == [
        "https://www.witten.de/integration/",
        public,
    ]


def test_media_asked_one_by_one_follow_their_collection(private):
    assert is_public(ImageFactory()) is True
    assert is_public(ImageFactory(collection=private)) is False
    assert is_public(DocumentFactory(collection=private)) is False
    assert is_public(None) is False
    assert public_or_none(None) is None


def test_answers_remembered_for_a_body_cost_no_further_query(
    private, django_assert_num_queries
):
    shown, hidden = ImageFactory(), ImageFactory(collection=private)
    document = DocumentFactory()
    with django_assert_num_queries(2):  # one per model
        remember_public([shown, None, hidden, document, None])
    with django_assert_num_queries(0):
        assert [is_public(shown), is_public(hidden), is_public(document)] == [
            True,
            False,
            True,
        ]
