"""A real HTTP server that receives deliveries, a queue the test works off itself, and
an editor who may manage webhooks."""

import datetime as dt
import ipaddress
import socket
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks import task_backends

from hub import outbound
from pages.sync_events import ItemEvent, items_changed
from tests.receiving import QuietHandler, serving
from webhooks.models import Endpoint


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the partner's server got, and what it answers (one status per request,
    the last one repeated)."""

    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=lambda: [204])
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def answer(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


@pytest.fixture
def receiver():
    """A threaded http.server on 127.0.0.1 that records every request."""
    state = Receiver(url="")

    class Handler(QuietHandler):
        def do_POST(self):
            length = int(self.headers.get("content-length", 0))
            state.requests.append(
                Received(
                    self.path,
                    {name.lower(): value for name, value in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            self.send_response(state.answer())
            for name, value in state.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

    with serving(Handler) as base:
        state.url = f"{base}/hooks/hub"
        yield state


@pytest.fixture
def endpoint(receiver):
    return Endpoint.objects.create(name="Stadt Witten", url=receiver.url)


class Queue:
    """The `queue` backend as a list (django-tasks' dummy backend, which can defer):
    `run_due()` works off what is due, like `run_worker` would, each task's
    transactions committed."""

    def __init__(self, capture):
        self.capture = capture

    def announce(self, *events: ItemEvent) -> None:
        with self.capture(execute=True):
            items_changed.send(sender=ItemEvent, events=list(events))

    @property
    def results(self):
        return task_backends["queue"].results

    def run_due(self) -> int:
        ran = 0
        while due := [
            result
            for result in self.results
            if result.task.run_after is None or result.task.run_after <= timezone.now()
        ]:
            for result in due:
                self.results.remove(result)
                with self.capture(execute=True):
                    result.task.call(*result.args, **result.kwargs)
                ran += 1
        return ran

    def next_run_after(self) -> dt.datetime | None:
        moments = [r.task.run_after for r in self.results if r.task.run_after]
        return min(moments) if moments else None


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    tasks = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "queue": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    with override_settings(TASKS=tasks):
        yield Queue(django_capture_on_commit_callbacks)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (what reacts to it runs then)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def editor(django_user_model):
    call_command("ensure_demo_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return django_user_model.objects.get(username="redaktion")


@pytest.fixture
def manager(client, editor):
    """The demo editor, in a group that may manage webhooks."""
    group = Group.objects.create(name="Webhook-Verwaltung")
    group.permissions.add(Permission.objects.get(codename="manage_webhooks"))
    editor.groups.add(group)
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _public_dns(monkeypatch):
    """hooks.witten.example resolves to a public address (no real DNS in tests)."""

    def resolve(host, port):
        if host == "hooks.witten.example":
            return [(socket.AF_INET, ipaddress.ip_address("93.184.216.34"))]
        return real(host, port)

    real = outbound.resolve
    monkeypatch.setattr(outbound, "resolve", resolve)
