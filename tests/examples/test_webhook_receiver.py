"""The partner mirror's webhook receiver: only deliveries signed with the endpoint's
secret (Standard Webhooks) ask for a sync, each delivery once."""

import base64
import datetime as dt
import json
import threading

import pytest
import requests
from standardwebhooks import Webhook

from examples.partner_mirror.store import Store
from examples.partner_mirror.webhooks import WebhookServer

SECRET = "whsec_" + base64.b64encode(b"partner-mirror-test-secret-32byt").decode()
OTHER = "whsec_" + base64.b64encode(b"another-secret-of-another-hub-32").decode()
EVENT = {
    "type": "item.updated",
    "timestamp": "2026-03-02T10:00:00+01:00",
    "data": {
        "type": "event",
        "id": 42,
        "modified_at": "2026-03-02T10:00:00+01:00",
        "api_url": "http://127.0.0.1:8000/api/v1/events/42/",
        "language": "de",
    },
}


@pytest.fixture
def receiver(tmp_path):
    """A running receiver; yields (URL, the payloads it asked a sync for)."""
    received = []
    server = WebhookServer(
        ("127.0.0.1", 0), SECRET, Store(tmp_path / "m.sqlite3"), received.append
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hub", received
    server.shutdown()
    server.server_close()


def signed(payload, secret=SECRET, msg_id="msg_1", at=None):
    body = json.dumps(payload)
    at = at or dt.datetime.now(dt.UTC)
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body),
        "Content-Type": "application/json",
    }
    return body, headers


def post(url, body, headers):
    return requests.post(url, data=body.encode(), headers=headers, timeout=5)


def test_a_signed_item_event_asks_for_a_sync(receiver):
    url, received = receiver
    assert post(url, *signed(EVENT)).status_code == 204
    assert received == [EVENT]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, headers: (body, signed(EVENT, secret=OTHER)[1]),
        lambda body, headers: (body.replace("42", "43"), headers),
        lambda body, headers: (body, {**headers, "webhook-id": "msg_2"}),
        lambda body, headers: (body, {**headers, "webhook-signature": "v1,AAAA"}),
        lambda body, headers: (body, {**headers, "webhook-signature": "garbage"}),
        lambda body, headers: (
            body,
            {k: v for k, v in headers.items() if k != "webhook-timestamp"},
        ),
    ],
    ids=["other secret", "body", "id", "signature", "malformed", "no timestamp"],
)
def test_anything_not_signed_with_the_secret_is_a_401(receiver, tamper):
    url, received = receiver
    assert post(url, *tamper(*signed(EVENT))).status_code == 401
    assert received == []


def test_a_replayed_old_delivery_is_a_401(receiver):
    url, received = receiver
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    assert post(url, *signed(EVENT, at=old)).status_code == 401
    assert received == []


def test_a_rotated_secret_still_verifies_with_two_signatures(receiver):
    url, received = receiver
    body, headers = signed(EVENT)
    old_signature = signed(EVENT, secret=OTHER)[1]["webhook-signature"]
    headers["webhook-signature"] = f"{old_signature} {headers['webhook-signature']}"
    assert post(url, body, headers).status_code == 204
    assert len(received) == 1


def test_a_retried_delivery_syncs_once(receiver):
    url, received = receiver
    body, headers = signed(EVENT, msg_id="msg_retry")
    assert post(url, body, headers).status_code == 204
    assert post(url, *signed(EVENT, msg_id="msg_retry")).status_code == 204
    assert len(received) == 1


def test_events_other_than_items_are_acknowledged_without_a_sync(receiver):
    url, received = receiver
    ping = {"type": "endpoint.ping", "timestamp": EVENT["timestamp"], "data": {}}
    assert post(url, *signed(ping)).status_code == 204
    assert received == []


def test_only_posts_are_deliveries(receiver):
    url, _ = receiver
    response = requests.get(url, timeout=5)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
