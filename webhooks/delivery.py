"""Turning item events into signed deliveries, and sending them with retries.

Each `ItemEvent` becomes one `Delivery` per subscribed endpoint and each of its languages
(once: a repeated event is ignored), sent by the `deliver` task on the hub's queue. A delivery follows the
Standard Webhooks specification: headers `webhook-id` (the delivery's message id, the
same on every retry), `webhook-timestamp` and `webhook-signature` (`v1,<base64
HMAC-SHA256>` per valid secret, space-separated). A 2xx answer is success; anything
else is retried after `RETRY_DELAYS`. docs/webhooks.md describes it for partners.
"""

import dataclasses
import datetime as dt
import json
import logging
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

import requests
from django_tasks import task
from standardwebhooks import Webhook

from hub import outbound
from hub.tasks import QUEUE, enqueue_on_commit
from pages import locales
from pages.links import api_url_in
from pages.sync_events import ItemEvent

from .models import Delivery, DeliveryStatus, Endpoint

logger = logging.getLogger(__name__)

RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=10),
)
"""Waits before the 2nd, 3rd, … attempt (the first is at once): 8 attempts over about
27.5 hours, the schedule the Standard Webhooks specification suggests."""
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
CLAIM = dt.timedelta(seconds=outbound.TOTAL_TIMEOUT + 90)
"""How long an attempt may take before it counts as lost (the request's own limit plus
room for recording its answer)."""
STALLED_AFTER = dt.timedelta(minutes=2)
"""How late a due attempt may be (a busy queue) before it is queued again."""
DISABLE_AFTER_FAILED_MESSAGES = 5
"""An endpoint is switched off when this many messages in a row were given up (every
attempt failed) with no success in between."""
GONE = 410
ERROR_TEXT_LIMIT = 500
PING_TYPE = "webhook.test"
USER_AGENT = "KI-Hub-Webhooks/1.0 (+https://www.standardwebhooks.com/)"


def local_iso(value: dt.datetime) -> str:
    """An aware moment as the API writes it (ISO 8601, the hub's time zone)."""
    return timezone.localtime(value).isoformat()


def payload_of(event: ItemEvent, timestamp: dt.datetime) -> dict[str, Any]:
    """The thin body partners receive: what changed and where to read it."""
    return {
        "type": event.type,
        "timestamp": local_iso(timestamp),
        "data": {
            "type": event.item_type,
            "id": event.id,
            "modified_at": local_iso(event.modified_at) if event.modified_at else None,
            "api_url": event.api_url,
            "language": event.language,
            "reason": event.reason,
        },
    }


def in_language(event: ItemEvent, tag: str) -> ItemEvent:
    """`event` as a reader of `tag` is told about it: the item's API in that language.

    Every change concerns every language: facts and untranslated text are the German
    page's, and a translation's publication moves its German item's `modified_at`
    (`pages.changes.with_sources`), so the change log cannot tell a translation's own
    change apart from a German one in the same pass (docs/webhooks.md, "Languages").
    """
    return dataclasses.replace(
        event, language=tag, api_url=api_url_in(event.api_url, tag)
    )


def on_items_changed(sender: Any, events: list[ItemEvent], **kwargs: Any) -> None:
    """Receiver of `pages.sync_events.items_changed`: queue a delivery per event,
    subscribed endpoint and language."""
    create_deliveries(events)


def create_deliveries(events: list[ItemEvent]) -> list[Delivery]:
    """One delivery per event, matching active endpoint and each of its languages the
    hub offers, each sent by its own task once the rows are committed; events already
    delivered to an endpoint in a language are skipped."""
    if not events:
        return []
    endpoints = [
        (endpoint, frozenset(city.slug for city in endpoint.cities.all()))
        for endpoint in Endpoint.objects.filter(active=True).prefetch_related("cities")
    ]
    if not endpoints:
        return []
    offered = [language.tag for language in locales.available()]
    now = timezone.now()
    created: list[Delivery] = []
    with transaction.atomic():
        seen = set(
            Delivery.objects.filter(
                endpoint__in=[endpoint for endpoint, _cities in endpoints],
                event_seq__in=[event.seq for event in events],
            ).values_list("endpoint_id", "event_seq", "language")
        )
        for event in events:
            for endpoint, cities in endpoints:
                if not endpoint.wants(event, cities):
                    continue
                for tag in endpoint.languages_offered(offered):
                    if (endpoint.pk, event.seq, tag) in seen:
                        continue
                    seen.add((endpoint.pk, event.seq, tag))
                    created.append(
                        Delivery.objects.create(
                            endpoint=endpoint,
                            event_seq=event.seq,
                            event_type=event.type,
                            language=tag,
                            payload=payload_of(in_language(event, tag), now),
                            created_at=now,
                            next_attempt_at=now,
                        )
                    )
        for delivery in created:
            enqueue_on_commit(deliver, delivery.pk, 1)
    return created


def send_test(endpoint: Endpoint) -> Delivery:
    """A `webhook.test` message to `endpoint`, sent like any other delivery; it names
    the languages the endpoint receives."""
    now = timezone.now()
    languages = endpoint.languages_offered(
        language.tag for language in locales.available()
    )
    with transaction.atomic():
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            event_type=PING_TYPE,
            payload={
                "type": PING_TYPE,
                "timestamp": local_iso(now),
                "data": {"endpoint": endpoint.name, "languages": languages},
            },
            created_at=now,
            next_attempt_at=now,
        )
        enqueue_on_commit(deliver, delivery.pk, 1)
    return delivery


def body_of(delivery: Delivery) -> str:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))


def signed_headers(
    endpoint: Endpoint, message_id: str, body: str, at: dt.datetime
) -> dict[str, str]:
    """Standard Webhooks headers for `body`, signed with every valid secret."""
    at = at.astimezone(dt.UTC)  # `Webhook.sign` reads the wall clock as UTC
    signatures = [
        Webhook(secret).sign(message_id, at, body)
        for secret in endpoint.signing_secrets(at)
    ]
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


@task(backend=QUEUE)
def deliver(delivery_id: int, attempt: int) -> str:
    """Make attempt number `attempt` of a delivery; returns the delivery's status.

    Idempotent: the attempt is claimed with a conditional update, so a repeated task
    (or one for a delivery that already succeeded or was given up) sends nothing."""
    now = timezone.now()
    claimed = (
        Delivery.objects.open()
        .filter(pk=delivery_id, attempts=attempt - 1)
        # Until the answer is recorded, `next_attempt_at` is when to give this attempt
        # up for lost (a worker that died mid-request): `requeue_stalled` retries then.
        .update(attempts=attempt, last_attempt_at=now, next_attempt_at=now + CLAIM)
    )
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        _finish(delivery, DeliveryStatus.GAVE_UP, None, "Der Webhook ist deaktiviert.")
        return delivery.status
    body = body_of(delivery)
    headers = signed_headers(endpoint, delivery.message_id, body, now)
    status: int | None = None
    error = ""
    try:
        answer = outbound.request(
            "POST", endpoint.url, headers=headers, data=body.encode()
        )
    except outbound.BlockedDestination as blocked:
        error = f"Adresse nicht erlaubt: {blocked}"
    except requests.Timeout:
        error = "Zeitüberschreitung: keine Antwort in der erlaubten Zeit."
    except requests.RequestException as failure:
        error = f"Verbindungsfehler: {failure}"
    else:
        status = answer.status
        if not 200 <= status < 300:
            text = answer.body.decode("utf-8", "replace").strip()
            error = f"Antwort {status}" + (f": {text}" if text else "")

    if status is not None and 200 <= status < 300:
        _finish(delivery, DeliveryStatus.SUCCEEDED, status, "")
        Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    elif status == GONE:
        _finish(delivery, DeliveryStatus.GAVE_UP, status, error)
        _disable(
            endpoint,
            "Die Partnerseite hat mit 410 (Gone) geantwortet: Sie möchte keine "
            "Nachrichten mehr erhalten.",
        )
    elif attempt >= MAX_ATTEMPTS:
        _finish(delivery, DeliveryStatus.GAVE_UP, status, error)
        _count_given_up(endpoint)
    else:
        _schedule_retry(delivery, attempt, status, error, now)
    logger.info(
        "Webhook %s to %s (attempt %d): %s %s",
        delivery.message_id,
        endpoint.url,
        attempt,
        delivery.status,
        status or error,
    )
    return delivery.status


def _finish(
    delivery: Delivery, status: str, response_status: int | None, error: str
) -> None:
    delivery.status = status
    delivery.response_status = response_status
    delivery.last_error = error[:ERROR_TEXT_LIMIT]
    delivery.finished_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.save(
        update_fields=[
            "status",
            "response_status",
            "last_error",
            "finished_at",
            "next_attempt_at",
        ]
    )


def _schedule_retry(
    delivery: Delivery,
    attempt: int,
    response_status: int | None,
    error: str,
    now: dt.datetime,
) -> None:
    """Record the failed attempt and enqueue the next one after its delay. A backend
    that cannot defer (the immediate backend of the tests) gets no retry task: the
    delivery keeps its `next_attempt_at`."""
    run_after = now + RETRY_DELAYS[attempt - 1]
    with transaction.atomic():
        delivery.status = DeliveryStatus.FAILED
        delivery.response_status = response_status
        delivery.last_error = error[:ERROR_TEXT_LIMIT]
        delivery.next_attempt_at = run_after
        delivery.save(
            update_fields=["status", "response_status", "last_error", "next_attempt_at"]
        )
        if deliver.get_backend().supports_defer:
            enqueue_on_commit(
                deliver.using(run_after=run_after), delivery.pk, attempt + 1
            )
        else:
            logger.warning(
                "The %s backend cannot defer tasks: webhook %s is not retried.",
                QUEUE,
                delivery.message_id,
            )


def _count_given_up(endpoint: Endpoint) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    endpoint.refresh_from_db(fields=["consecutive_failures"])
    if endpoint.consecutive_failures >= DISABLE_AFTER_FAILED_MESSAGES:
        _disable(
            endpoint,
            f"{endpoint.consecutive_failures} Nachrichten in Folge konnten trotz "
            f"{MAX_ATTEMPTS} Versuchen über etwa 27 Stunden nicht zugestellt werden.",
        )


def _disable(endpoint: Endpoint, reason: str) -> None:
    """Switch `endpoint` off (once) and say why; open deliveries are given up when
    their next attempt comes."""
    switched = Endpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False, disabled_at=timezone.now(), disabled_reason=reason
    )
    if switched:
        logger.warning("Webhook endpoint %s disabled: %s", endpoint.url, reason)


def requeue_stalled(sender: Any = None, **kwargs: Any) -> int:
    """Queue the next attempt of open deliveries whose attempt is overdue: the worker
    died during it, or its task was lost. Receiver of `hub.scheduler.periodic`; the
    attempt claim keeps a task that turns up after all from sending twice."""
    overdue = Delivery.objects.open().filter(
        next_attempt_at__lt=timezone.now() - STALLED_AFTER
    )
    stalled = list(overdue.values_list("pk", "attempts"))
    for pk, attempts in stalled:
        if attempts >= MAX_ATTEMPTS:
            delivery = Delivery.objects.get(pk=pk)
            _finish(
                delivery,
                DeliveryStatus.GAVE_UP,
                None,
                "Kein Ergebnis des letzten Versuchs.",
            )
            continue
        # Held for the next check: a queue that is only slow gets this task once.
        Delivery.objects.filter(pk=pk, attempts=attempts).update(
            next_attempt_at=timezone.now() + CLAIM
        )
        enqueue_on_commit(deliver, pk, attempts + 1)
    if stalled:
        logger.warning("Re-queued %d stalled webhook deliveries.", len(stalled))
    return len(stalled)
