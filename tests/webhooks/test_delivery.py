"""What a partner's server receives: signed, thin messages for the events it subscribed
to, once per change, retried with backoff, and what switches an endpoint off."""

import datetime as dt
import json

from django.utils import timezone

import pytest
import time_machine
from standardwebhooks import Webhook, WebhookVerificationError

from pages.snippets import City
from pages.sync_events import ItemEvent, items_changed
from webhooks import delivery as webhook_delivery
from webhooks.delivery import (
    CLAIM,
    DISABLE_AFTER_FAILED_MESSAGES,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    deliver,
)
from webhooks.models import SECRET_OVERLAP, Delivery, DeliveryStatus, Endpoint

pytestmark = pytest.mark.django_db

MODIFIED = dt.datetime(2030, 5, 2, 13, 0, tzinfo=dt.UTC)


def item_event(seq=1, type="item.published", reason="edit", **overrides) -> ItemEvent:
    values = {
        "seq": seq,
        "type": type,
        "reason": reason,
        "section": "events",
        "item_type": "event",
        "id": 42,
        "modified_at": MODIFIED,
        "api_url": "http://127.0.0.1:8000/api/v1/events/42/",
        "filters": {"city": ["witten"], "target_group": [], "topic": []},
    }
    values.update(overrides)
    return ItemEvent(**values)


def announce(committed, *events):
    with committed():
        items_changed.send(sender=ItemEvent, events=list(events))


def test_a_published_item_reaches_the_partner_signed_per_standard_webhooks(
    receiver, endpoint, committed
):
    announce(committed, item_event())
    [request] = receiver.requests
    assert request.path == "/hooks/hub"
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload == {
        "type": "item.published",
        "timestamp": payload["timestamp"],
        "data": {
            "type": "event",
            "id": 42,
            "modified_at": "2030-05-02T15:00:00+02:00",
            "api_url": "http://127.0.0.1:8000/api/v1/events/42/",
            "language": "de",
            "reason": "edit",
        },
    }
    assert dt.datetime.fromisoformat(payload["timestamp"]) <= timezone.now()
    assert request.headers["webhook-id"].startswith("msg_")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-signature"].startswith("v1,")
    assert (
        abs(int(request.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 5
    )
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_status, delivery.attempts) == (
        DeliveryStatus.SUCCEEDED,
        204,
        1,
    )
    assert delivery.message_id == request.headers["webhook-id"]


def test_a_signature_made_with_another_secret_or_body_does_not_verify(
    receiver, endpoint, committed
):
    announce(committed, item_event())
    [request] = receiver.requests
    other = Endpoint(name="x", url=receiver.url)
    with pytest.raises(WebhookVerificationError):
        Webhook(other.secret).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(
            request.body.replace(b"42", b"43"), request.headers
        )


def test_the_secret_has_the_standard_form(endpoint):
    assert endpoint.secret.startswith("whsec_")
    assert len(webhook_delivery.Webhook(endpoint.secret)._whsecret) == 24


def test_during_a_rotation_both_secrets_verify_and_afterwards_only_the_new(
    receiver, endpoint, committed
):
    old = endpoint.secret
    new = endpoint.rotate_secret()
    assert new != old and new.startswith("whsec_")
    announce(committed, item_event(seq=1))
    [request] = receiver.requests
    signatures = request.headers["webhook-signature"].split(" ")
    assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures)
    Webhook(new).verify(request.body, request.headers)
    Webhook(old).verify(request.body, request.headers)

    with time_machine.travel(timezone.now() + SECRET_OVERLAP + dt.timedelta(minutes=1)):
        announce(committed, item_event(seq=2))
        request = receiver.requests[-1]
        assert len(request.headers["webhook-signature"].split(" ")) == 1
        Webhook(new).verify(request.body, request.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(old).verify(request.body, request.headers)


def test_each_kind_of_change_has_its_type_and_reason(receiver, endpoint, committed):
    announce(
        committed,
        item_event(seq=1, type="item.published", reason="schedule"),
        item_event(seq=2, type="item.updated", reason="edit"),
        item_event(seq=3, type="item.deleted", reason="expiry"),
        item_event(seq=4, type="item.deleted", reason="edit", modified_at=None),
    )
    received = [json.loads(r.body) for r in receiver.requests]
    assert [(p["type"], p["data"]["reason"]) for p in received] == [
        ("item.published", "schedule"),
        ("item.updated", "edit"),
        ("item.deleted", "expiry"),
        ("item.deleted", "edit"),
    ]
    assert received[3]["data"]["modified_at"] is None
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 4


@pytest.mark.parametrize(
    ("subscribed", "expected_seqs"),
    [
        (["published"], [1]),
        (["scheduled"], [2]),
        (["updated"], [3]),
        (["deleted"], [4]),
        (["expired"], [5]),
        (["published", "deleted", "expired"], [1, 4, 5]),
    ],
)
def test_an_endpoint_receives_only_the_events_it_subscribed_to(
    receiver, committed, subscribed, expected_seqs
):
    Endpoint.objects.create(name="Witten", url=receiver.url, events=subscribed)
    announce(
        committed,
        item_event(seq=1, type="item.published", reason="edit"),
        item_event(seq=2, type="item.published", reason="schedule"),
        item_event(seq=3, type="item.updated", reason="edit"),
        item_event(seq=4, type="item.deleted", reason="edit"),
        item_event(seq=5, type="item.deleted", reason="expiry"),
    )
    assert sorted(Delivery.objects.values_list("event_seq", flat=True)) == expected_seqs
    assert len(receiver.requests) == len(expected_seqs)


def test_section_filter(receiver, committed):
    Endpoint.objects.create(name="Presse", url=receiver.url, sections=["press"])
    announce(
        committed,
        item_event(seq=1),
        item_event(seq=2, section="press", item_type="press", id=7),
    )
    assert [json.loads(r.body)["data"]["id"] for r in receiver.requests] == [7]


def test_city_filter_matches_the_cities_before_and_after_the_change(
    receiver, committed
):
    endpoint = Endpoint.objects.create(name="Witten", url=receiver.url)
    endpoint.cities.set([City.objects.get(slug="witten")])
    announce(
        committed,
        item_event(seq=1, filters={"city": ["witten"]}),
        item_event(seq=2, filters={"city": ["hattingen"]}),
        # Moved from Witten to Hattingen: Witten's mirror must hear of it.
        item_event(
            seq=3,
            type="item.updated",
            filters={"city": ["hattingen"]},
            previous_filters={"city": ["witten"]},
        ),
        item_event(seq=4, filters={}),
        item_event(seq=5, type="item.deleted", filters={"city": ["witten"]}),
    )
    assert sorted(Delivery.objects.values_list("event_seq", flat=True)) == [1, 3, 5]


def test_an_inactive_endpoint_gets_nothing(receiver, committed):
    Endpoint.objects.create(name="Aus", url=receiver.url, active=False)
    announce(committed, item_event())
    assert receiver.requests == [] and not Delivery.objects.exists()


def test_an_event_announced_twice_is_delivered_once(receiver, endpoint, committed):
    announce(committed, item_event(seq=9))
    announce(committed, item_event(seq=9))
    assert len(receiver.requests) == 1
    assert Delivery.objects.count() == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    receiver, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        items_changed.send(sender=ItemEvent, events=[item_event()])
    assert len(callbacks) == 1, "the task waits for the commit"
    assert receiver.requests == []


def test_a_repeated_task_sends_nothing_again(receiver, endpoint, committed):
    announce(committed, item_event())
    row = Delivery.objects.get()
    assert deliver.call(row.pk, 1) == "skipped"
    assert deliver.call(row.pk, 2) == "skipped"
    assert len(receiver.requests) == 1


def test_failures_are_retried_on_the_documented_schedule_with_one_message_id(
    receiver, endpoint, queue
):
    receiver.statuses = [500, 502, 503, 200]
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        queue.announce(item_event())
        queue.run_due()
        row = Delivery.objects.get()
        assert (row.status, row.attempts, row.response_status) == (
            DeliveryStatus.FAILED,
            1,
            500,
        )
        assert row.next_attempt_at == start + RETRY_DELAYS[0]
        assert queue.next_run_after() == start + RETRY_DELAYS[0]
        for attempt, waited in enumerate(RETRY_DELAYS[:3], start=2):
            clock.shift(waited - dt.timedelta(seconds=1))
            assert queue.run_due() == 0, "not before its time"
            clock.shift(dt.timedelta(seconds=1))
            queue.run_due()
            row.refresh_from_db()
            assert row.attempts == attempt
    assert row.status == DeliveryStatus.SUCCEEDED
    assert row.response_status == 200 and row.next_attempt_at is None
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    assert len(receiver.requests) == 4
    for request in receiver.requests:
        # Each attempt is signed with its own timestamp (receivers check it is fresh).
        sent_at = int(request.headers["webhook-timestamp"])
        with time_machine.travel(dt.datetime.fromtimestamp(sent_at, dt.UTC)):
            Webhook(endpoint.secret).verify(request.body, request.headers)
    assert queue.results == []


def test_a_message_is_given_up_after_the_last_attempt(receiver, endpoint, queue):
    receiver.statuses = [500]
    give_up(queue, endpoint, seq=1)
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.GAVE_UP, MAX_ATTEMPTS)
    assert row.last_error.startswith("Antwort 500")
    assert len(receiver.requests) == MAX_ATTEMPTS
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 1


def give_up(queue, endpoint, seq):
    """Announce one event and let every attempt fail (the clock moves as needed)."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        queue.announce(item_event(seq=seq))
        while True:
            queue.run_due()
            moment = queue.next_run_after()
            if moment is None:
                break
            clock.move_to(moment)


def test_a_run_of_given_up_messages_disables_the_endpoint(receiver, endpoint, queue):
    receiver.statuses = [503]
    for seq in range(1, DISABLE_AFTER_FAILED_MESSAGES):
        give_up(queue, endpoint, seq)
    endpoint.refresh_from_db()
    assert endpoint.active
    give_up(queue, endpoint, DISABLE_AFTER_FAILED_MESSAGES)
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert f"{DISABLE_AFTER_FAILED_MESSAGES} Nachrichten in Folge" in (
        endpoint.disabled_reason
    )
    sent = len(receiver.requests)
    queue.announce(item_event(seq=99))
    queue.run_due()
    assert len(receiver.requests) == sent, "a disabled endpoint gets nothing new"


def test_a_success_in_between_resets_the_count(receiver, endpoint, queue):
    receiver.statuses = [503]
    give_up(queue, endpoint, seq=1)
    receiver.statuses = [200]
    give_up(queue, endpoint, seq=2)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_410_gone_disables_at_once_and_open_retries_give_up(receiver, endpoint, queue):
    receiver.statuses = [500, 410]
    with time_machine.travel(timezone.now(), tick=False):
        queue.announce(item_event(seq=1), item_event(seq=2))
        queue.run_due()
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert "410" in endpoint.disabled_reason
    first, second = Delivery.objects.order_by("event_seq")
    assert (second.status, second.response_status) == (DeliveryStatus.GAVE_UP, 410)
    assert first.status == DeliveryStatus.FAILED
    with time_machine.travel(first.next_attempt_at):
        queue.run_due()
    first.refresh_from_db()
    assert first.status == DeliveryStatus.GAVE_UP
    assert first.last_error == "Der Webhook ist deaktiviert."
    assert len(receiver.requests) == 2


def test_redirects_are_not_followed(receiver, endpoint, committed):
    receiver.statuses = [302]
    receiver.headers = {"location": receiver.url + "/elsewhere"}
    announce(committed, item_event())
    assert [r.path for r in receiver.requests] == ["/hooks/hub"]
    row = Delivery.objects.get()
    assert (row.status, row.response_status) == (DeliveryStatus.FAILED, 302)


def test_a_large_answer_is_cut_off(receiver, endpoint, committed):
    receiver.statuses = [500]
    receiver.body = b"x" * 1_000_000
    announce(committed, item_event())
    row = Delivery.objects.get()
    assert row.response_status == 500
    assert len(row.last_error) <= webhook_delivery.ERROR_TEXT_LIMIT


def test_an_unreachable_endpoint_is_a_failed_attempt(committed):
    Endpoint.objects.create(name="Weg", url="http://127.0.0.1:9/hooks")
    announce(committed, item_event())
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.FAILED
    assert row.last_error.startswith("Verbindungsfehler")


def test_a_test_message_is_signed_like_any_other(receiver, endpoint, committed):
    with committed():
        webhook_delivery.send_test(endpoint)
    [request] = receiver.requests
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "webhook.test"


def test_an_attempt_lost_with_its_worker_is_retried_by_the_scheduler(
    receiver, endpoint, queue
):
    from hub.scheduler import periodic

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        queue.announce(item_event())
        # The worker claims attempt 1 and dies before sending: its task is gone.
        [lost] = queue.results
        queue.results.remove(lost)
        Delivery.objects.update(attempts=1, next_attempt_at=start + CLAIM)
        clock.shift(CLAIM + dt.timedelta(minutes=1))
        with queue.capture(execute=True):
            periodic.send(sender=None)
        assert queue.results == [], "not before the claim ran out and the grace passed"
        clock.shift(dt.timedelta(minutes=2))
        with queue.capture(execute=True):
            periodic.send(sender=None)
            periodic.send(sender=None)  # a second pass queues nothing more
        assert len(queue.results) == 1
        queue.run_due()
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.SUCCEEDED, 2)
    assert len(receiver.requests) == 1
