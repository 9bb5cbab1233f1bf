"""A webhook receiver: verifies each delivery (Standard Webhooks) and asks for a sync.

Deliveries only say *that* something changed; the change feed says what. So a valid
`item.*` event triggers a sync (events arriving during one are folded into the next),
a bad signature is a 401, and a repeated `webhook-id` (a retry, or a replay within the
signature's five minutes) is acknowledged without a second sync.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import requests
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from .hub import HubError
from .mirror import Mirror
from .store import Conflict, Store

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
"""Thin payloads are a few hundred bytes."""


class SyncWorker(threading.Thread):
    """Runs syncs one after another: when asked, and every `interval` seconds."""

    def __init__(self, make_mirror: Callable[[], Mirror], interval: float | None):
        super().__init__(name="sync", daemon=True)
        self.make_mirror = make_mirror
        self.interval = interval
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.syncs = 0
        self.idle = threading.Condition()

    def request(self) -> None:
        self.wanted.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wanted.set()

    def run(self) -> None:
        mirror = self.make_mirror()  # its own database connection, in this thread
        self.wanted.set()  # catch up on what happened while nobody listened
        while True:
            self.wanted.wait(self.interval)
            if self.stopping.is_set():
                return
            self.wanted.clear()
            try:
                result = mirror.sync()
            except (HubError, Conflict, requests.RequestException) as error:
                logger.error("Sync failed (retried on the next event): %s", error)
            else:
                logger.info(
                    "Synced: %d changed, %d deleted, %d requests",
                    result.upserted,
                    result.deleted,
                    result.requests,
                )
            with self.idle:
                self.syncs += 1
                self.idle.notify_all()


class WebhookServer(HTTPServer):
    """Serves one delivery at a time; `on_item_event` gets each new valid payload."""

    def __init__(
        self,
        address: tuple[str, int],
        secret: str,
        store: Store,
        on_item_event: Callable[[dict[str, Any]], None],
    ) -> None:
        super().__init__(address, WebhookHandler)
        self.webhook = Webhook(secret)
        self.store = store
        self.on_item_event = on_item_event


class WebhookHandler(BaseHTTPRequestHandler):
    server: WebhookServer

    def do_POST(self) -> None:
        self._answer(self._receive())

    def _receive(self) -> int:
        """The status for the delivery being read."""
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return 411
        if not 0 <= length <= MAX_BODY:
            return 413
        body = self.rfile.read(length)
        try:
            payload = self.server.webhook.verify(body, dict(self.headers.items()))
        except (WebhookVerificationError, ValueError):
            # Missing or malformed headers, a stale timestamp, a wrong signature.
            return 401
        if not self.server.store.first_delivery(self.headers["webhook-id"]):
            return 204
        if isinstance(payload, dict) and str(payload.get("type", "")).startswith(
            "item."
        ):
            data = payload.get("data") or {}
            logger.info("%s: %s %s", payload["type"], data.get("type"), data.get("id"))
            self.server.on_item_event(payload)
        return 204

    def do_GET(self) -> None:
        self._answer(405)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        if status == 405:
            self.send_header("Allow", "POST")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        logger.debug(format, *args)
