import pytest

from pages.sync_events import items_changed


@pytest.fixture
def sent():
    """Every `ItemEvent` the change log announces (what webhooks and WebSub get)."""
    events = []

    def receive(sender, **kwargs):
        events.extend(kwargs["events"])

    items_changed.connect(receive, dispatch_uid="test-sent")
    yield events
    items_changed.disconnect(dispatch_uid="test-sent")
