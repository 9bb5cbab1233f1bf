"""`make propagation`: the time from a commit to "every surface of every process shows it".

Per database (the SQLite default without Redis; PostgreSQL with Redis as the shared
cache), on a prepared database of its own (`tests/live.py`: an SQLite copy, or a
PostgreSQL database cloned from the live-test template and dropped afterwards):

1. two app servers (gunicorn, separate processes; each its own local-memory cache on
   SQLite, one Redis on PostgreSQL), a `run_worker` (tasks and scheduled publishing at
   their default intervals) and a writer: a long-running Django process of its own
   (`python -m bench.propagation writer`) that takes commands on stdin;
2. N changes from the writer, cycling through seven kinds: an edited title published,
   a venue's street edited, an item unpublished, republished, restricted (password),
   unrestricted, a topic renamed. The writer stamps the time right after its commit.
   Every surface of every server (and of the edge, see below) that shows the change is
   then polled until it does; a change's propagation time is the latest of the first
   answers that showed it, minus the commit time. Before each change every surface is
   read once and must show what the change replaces (so every cache is warm, and each
   surface measured really shows that kind of change);
3. scheduled go-live: pages scheduled to go live at t+5 … t+25 s; measured from each
   go-live time until every surface of every server shows the page.

`--edge URL` reads every surface through that URL too (an HTTP cache in front of the
servers). When `varnishd` and `deploy/varnish/hub.vcl` exist, a Varnish is started in
front of both servers and read the same way (`--no-varnish` leaves it out); the app
processes are told to purge it (`HUB_EDGE_BACKEND=varnish`, `HUB_EDGE_PURGE_URLS`).

Writes `bench/results/propagation-<date>-<database>.{json,md}` and prints the figures.

    python -m bench.propagation                       # SQLite, then PostgreSQL + Redis
    python -m bench.propagation --database sqlite --changes 5 --scheduled 0
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.live import (  # noqa: E402 - run as a script from any directory
    SETTINGS,
    LiveDatabase,
    LiveProcess,
    LiveProcesses,
    free_port,
    live_database,
)

RESULTS = ROOT / "bench" / "results"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/2"
VCL = ROOT / "deploy" / "varnish" / "hub.vcl"
LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL + Redis"}
GOAL_CHANGE = 1.0
GOAL_SCHEDULED = 60.0
KINDS = (
    "title",
    "venue",
    "unpublish",
    "republish",
    "restrict",
    "unrestrict",
    "taxonomy",
)
MARK = "@@ "  # the writer's answer lines start with this; anything else is Django's


def log(message: str) -> None:
    print(
        f"[propagation {time.strftime('%H:%M:%S', time.gmtime())}] {message}",
        flush=True,
    )


# --- the writer: a Django process of its own -------------------------------------------


class WriterCommands:
    """What the writer does on request: each change in one transaction, stamped at
    its commit (the first on-commit callback, before anything else reacts to it)."""

    def __init__(self) -> None:
        from pages.models import EventPage

        self.events = EventPage.objects

    def _committed(self, change: Callable[[], None]) -> float:
        from django.db import transaction

        stamp: list[float] = []
        with transaction.atomic():
            transaction.on_commit(lambda: stamp.append(time.time()))
            change()
        return stamp[0]

    def setup(self, slots: int) -> dict[str, Any]:
        """Give `slots` public events with distinct venues, and one of their topics,
        unique names the surfaces can be searched for (not measured)."""
        from pages.snippets import Topic

        chosen, venues = [], set()
        # German events: a translation shows its German page's facts, and a list
        # shows German items (docs/languages.md).
        german = self.events.filter(locale__language_code="de")
        for event in german.live().public().order_by("pk"):
            if (
                event.venue_id
                and event.venue_id not in venues
                and event.topics.exists()
            ):
                chosen.append(event)
                venues.add(event.venue_id)
            if len(chosen) == slots:
                break
        if len(chosen) < slots:
            raise RuntimeError(f"only {len(chosen)} public events with distinct venues")
        topic = Topic.objects.get(pk=chosen[0].topics.order_by("pk").first().pk)
        targets = []
        for slot, event in enumerate(chosen):
            self.title(event.pk, title_marker(slot, 0))
            self.venue(event.venue_id, street_marker(slot, 0))
            event.refresh_from_db()
            targets.append(
                {
                    "slot": slot,
                    "id": event.pk,
                    "path": public_path(event),
                    "venue": event.venue_id,
                }
            )
        self.taxonomy(topic.pk, topic_marker(0))
        return {"targets": targets, "topic": topic.pk}

    def title(self, pk: int, title: str) -> float:
        def change() -> None:
            page = self.events.get(pk=pk)
            page.title = title
            page.save_revision().publish()

        return self._committed(change)

    def venue(self, pk: int, street: str) -> float:
        from pages.snippets import Venue

        def change() -> None:
            venue = Venue.objects.get(pk=pk)
            venue.street = street
            venue.save()

        return self._committed(change)

    def unpublish(self, pk: int) -> float:
        return self._committed(lambda: self.events.get(pk=pk).unpublish())

    def republish(self, pk: int) -> float:
        return self._committed(
            lambda: self.events.get(pk=pk).get_latest_revision().publish()
        )

    def restrict(self, pk: int) -> float:
        from wagtail.models import PageViewRestriction

        return self._committed(
            lambda: PageViewRestriction.objects.create(
                page=self.events.get(pk=pk),
                restriction_type=PageViewRestriction.PASSWORD,
                password="messlauf",  # noqa: S106 - a benchmark's throwaway page
            )
        )

    def unrestrict(self, pk: int) -> float:
        from wagtail.models import PageViewRestriction

        def change() -> None:
            for restriction in PageViewRestriction.objects.filter(page_id=pk):
                restriction.delete()

        return self._committed(change)

    def taxonomy(self, pk: int, name: str) -> float:
        from pages.snippets import Topic

        def change() -> None:
            topic = Topic.objects.get(pk=pk)
            topic.name = name
            topic.save()

        return self._committed(change)

    def schedule(self, offsets: list[float], source: int) -> list[dict[str, Any]]:
        """Copies of event `source`, each scheduled to go live `offset` s from now."""
        from django.utils import timezone

        pages = []
        for number, offset in enumerate(offsets, start=1):
            title = f"Messlauf geplant {number:04d}"
            copy = self.events.get(pk=source).copy(
                update_attrs={"title": title, "slug": f"messlauf-geplant-{number}"},
                keep_live=False,
                user=None,
            )
            go_live = timezone.now() + dt.timedelta(seconds=offset)
            copy.go_live_at = go_live
            copy.save_revision().publish()
            copy.refresh_from_db()
            if copy.live:
                raise RuntimeError(f"{title} went live before its time")
            pages.append(
                {
                    "id": copy.pk,
                    "title": title,
                    "path": public_path(copy),
                    "go_live_at": go_live.timestamp(),
                }
            )
        return pages


def public_path(page: Any) -> str:
    """The page's public path on the default site ("/veranstaltungen/slug/")."""
    return re.sub(r"^https?://[^/]+", "", page.full_url)


def serve_writer() -> None:
    """Body of `python -m bench.propagation writer`: one JSON command per stdin line,
    one JSON answer per stdout line (prefixed with `MARK`)."""
    import django

    django.setup()
    commands = WriterCommands()
    for line in sys.stdin:
        request = json.loads(line)
        name = request.pop("command")
        if name == "quit":
            break
        try:
            answer = {"ok": getattr(commands, name)(**request)}
        except Exception as error:  # noqa: BLE001 - reported to the driver
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(MARK + json.dumps(answer) + "\n")
        sys.stdout.flush()


class Writer:
    """The driver's handle on the writer process."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.propagation", "writer"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            bufsize=1,
        )

    def call(self, command: str, **arguments: Any) -> Any:
        assert self.process.stdin and self.process.stdout  # noqa: S101
        self.process.stdin.write(json.dumps({"command": command, **arguments}) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(MARK):
                answer = json.loads(line[len(MARK) :])
                if "error" in answer:
                    raise RuntimeError(f"writer: {command}: {answer['error']}")
                return answer["ok"]
        raise RuntimeError(f"writer exited during {command} (log: {self.log.name})")

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                assert self.process.stdin  # noqa: S101
                self.process.stdin.write('{"command": "quit"}\n')
                self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def title_marker(slot: int, number: int) -> str:
    return f"Messlauf {slot} Titel {number:04d}"


def street_marker(slot: int, number: int) -> str:
    return f"Messweg {slot}-{number:04d}"


def topic_marker(number: int) -> str:
    return f"Messthema {number:04d}"


# --- surfaces and what "shows it" means ------------------------------------------------


def unfold(body: str) -> str:
    """iCalendar content lines unfolded and unescaped, so a marker is one string."""
    return body.replace("\r\n ", "").replace("\n ", "").replace("\\,", ",")


@dataclass(frozen=True)
class Surface:
    """One URL of one process (a server or the edge)."""

    process: str
    name: str
    url: str

    @property
    def label(self) -> str:
        return f"{self.process}:{self.name}"


LISTS = ("api-list", "api-items", "api-v2-list", "rss", "ical", "embed", "index")
DETAILS = ("api-detail", "api-v2-detail", "page")


def list_urls(base: str) -> dict[str, str]:
    """The surfaces that list events (and, for `topics`, the taxonomy)."""
    return {
        "api-list": f"{base}/api/v1/events/?limit=100",
        "api-items": f"{base}/api/v1/items/?limit=100",
        "api-v2-list": f"{base}/api/v2/pages/?type=pages.EventPage&limit=100",
        "rss": f"{base}/feeds/events.rss",
        "ical": f"{base}/feeds/events.ics",
        "embed": f"{base}/embed/events/?limit=100",
        "index": f"{base}/veranstaltungen/",
        "sitemap": f"{base}/sitemap.xml",
        "topics": f"{base}/api/v1/topics/",
    }


def detail_urls(base: str, pk: int, path: str) -> dict[str, str]:
    return {
        "api-detail": f"{base}/api/v1/events/{pk}/",
        "api-v2-detail": f"{base}/api/v2/pages/{pk}/",
        "page": f"{base}{path}",
    }


Check = Callable[[int, str], bool]
"""Whether an answer (status, body) shows what is looked for."""


def contains(marker: str) -> Check:
    return lambda status, body: status == 200 and marker in body


def lacks(marker: str) -> Check:
    return lambda status, body: status == 200 and marker not in body


def gone() -> Check:
    return lambda status, body: status in (404, 410)


def page_hidden(marker: str) -> Check:
    """A public page that no longer shows the item: 404, or a password form."""
    return lambda status, body: status != 200 or marker not in body


def in_sitemap(path: str) -> Check:
    return contains(f"{path}</loc>")


def not_in_sitemap(path: str) -> Check:
    return lacks(f"{path}</loc>")


def visible_checks(title: str, path: str) -> dict[str, Check]:
    """Every surface name → check that the item (by its unique title) is shown."""
    checks = {name: contains(title) for name in (*LISTS, *DETAILS)}
    checks["sitemap"] = in_sitemap(path)
    return checks


def hidden_checks(title: str, path: str) -> dict[str, Check]:
    """Every surface name → check that the item is no longer shown anywhere."""
    checks: dict[str, Check] = {name: lacks(title) for name in LISTS}
    checks.update(
        {"api-detail": gone(), "api-v2-detail": gone(), "page": page_hidden(title)}
    )
    checks["sitemap"] = not_in_sitemap(path)
    return checks


# Surfaces that show each kind of change (besides the visibility kinds, which are all).
TITLE_SURFACES = (*LISTS, *DETAILS)
VENUE_SURFACES = ("api-list", "api-detail", "rss", "ical", "page")
TOPIC_SURFACES = ("api-list", "api-detail", "rss", "ical", "page", "index", "topics")


# --- polling ---------------------------------------------------------------------------


class Counter:
    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def add(self) -> None:
        with self.lock:
            self.value += 1


_sessions: dict[str, requests.Session] = {}
_sessions_lock = threading.Lock()


def close_sessions() -> None:
    """Close every kept-alive connection (a stopping gunicorn would wait for them)."""
    with _sessions_lock:
        for session in _sessions.values():
            session.close()
        _sessions.clear()


def get(url: str, counter: Counter) -> tuple[int, str]:
    """One GET (a keep-alive client per URL, as a partner's mirror would have);
    (status, body), status 0 on a socket error. One thread at a time per URL."""
    with _sessions_lock:
        session = _sessions.setdefault(url, requests.Session())
    counter.add()
    try:
        response = session.get(url, timeout=30)
    except requests.RequestException:
        return 0, ""
    body = response.text
    if url.endswith(".ics"):
        body = unfold(body)
    return response.status_code, body


@dataclass
class Watch:
    """Checks on one URL; each is done at the first answer that passes it."""

    surface: Surface
    checks: dict[str, Check]
    shown_at: dict[str, float] = field(default_factory=dict)
    """check → when the first answer that passed it arrived."""
    asked_at: dict[str, float] = field(default_factory=dict)
    """check → when the request for that answer was sent."""
    stale: int = 0
    """Answers that did not pass every check yet (all asked after the commit)."""


def poll(
    watches: list[Watch], counter: Counter, *, deadline: float, pause: float
) -> None:
    """Ask every URL again and again (one thread each) until each of its checks
    passed once, or until `deadline` (time.time())."""

    def follow(watch: Watch) -> None:
        while time.time() < deadline:
            asked = time.time()
            status, body = get(watch.surface.url, counter)
            received = time.time()
            for key, check in watch.checks.items():
                if key not in watch.shown_at and check(status, body):
                    watch.shown_at[key] = received
                    watch.asked_at[key] = asked
            if len(watch.shown_at) == len(watch.checks):
                return
            watch.stale += 1
            time.sleep(pause)

    with ThreadPoolExecutor(max_workers=max(1, len(watches))) as pool:
        list(pool.map(follow, watches))


def read_once(watches: list[Watch], counter: Counter) -> list[str]:
    """One answer per URL; the labels of the checks that already pass."""
    return [label for label, passed, _, _ in read_all(watches, counter) if passed]


def read_all(
    watches: list[Watch], counter: Counter
) -> list[tuple[str, bool, int, str]]:
    """One answer per URL: (label of each check, passed, status, body)."""

    def ask(watch: Watch) -> list[tuple[str, bool, int, str]]:
        status, body = get(watch.surface.url, counter)
        return [
            (f"{watch.surface.label} {key}", check(status, body), status, body)
            for key, check in watch.checks.items()
        ]

    with ThreadPoolExecutor(max_workers=max(1, len(watches))) as pool:
        return [answer for answers in pool.map(ask, watches) for answer in answers]


# --- the measurement -------------------------------------------------------------------


@dataclass
class Target:
    slot: int
    id: int
    path: str
    venue: int
    title: str = ""
    street: str = ""
    published: bool = True
    restricted: bool = False


@dataclass
class ChangeResult:
    number: int
    kind: str
    item: int
    committed_at: float
    propagation: float | None
    """Seconds from commit to the last surface's first answer showing it; None: some
    surface did not show it before the deadline."""
    slowest: str
    missing: list[str]
    requests: int
    stale_answers: int
    """Answers to requests sent after the commit that did not show the change yet."""
    asked_after: float | None
    """Latest, over the surfaces, of the commit → sending of the request whose answer
    first showed the change (the rest of `propagation` is the answer's own time)."""
    lags: dict[str, float]
    warmup: bool
    anomalies: list[str]
    """Surfaces that did not show the state before the change at the first read."""


class Run:
    """One database: servers, worker, writer, the changes and the schedule."""

    def __init__(
        self, args: argparse.Namespace, bases: dict[str, str], log_dir: Path
    ) -> None:
        self.args = args
        self.bases = bases
        self.log_dir = log_dir
        self.counter = Counter()

    def watches(self, target: Target, checks: dict[str, Check]) -> list[Watch]:
        """One watch per process and URL, holding the checks of the surfaces in
        `checks` (a detail URL is the target's own)."""
        watches = []
        for process, base in self.bases.items():
            urls = {
                **list_urls(base),
                **detail_urls(base, target.id, target.path),
            }
            for name, check in checks.items():
                watches.append(Watch(Surface(process, name, urls[name]), {name: check}))
        return watches

    def change(
        self, writer: Writer, number: int, kind: str, target: Target, topic: dict
    ) -> tuple[dict[str, Check], dict[str, Check], Callable[[], float]]:
        """(checks the surfaces pass now: they show what the change replaces; checks
        that show the change; the change)."""
        if kind == "title":
            new = title_marker(target.slot, number)
            before = {name: contains(target.title) for name in TITLE_SURFACES}
            after = {name: contains(new) for name in TITLE_SURFACES}
            target.title = new
            return before, after, lambda: writer.call("title", pk=target.id, title=new)
        if kind == "venue":
            new = street_marker(target.slot, number)
            before = {name: contains(target.street) for name in VENUE_SURFACES}
            after = {name: contains(new) for name in VENUE_SURFACES}
            target.street = new
            return (
                before,
                after,
                lambda: writer.call("venue", pk=target.venue, street=new),
            )
        if kind == "taxonomy":
            new = topic_marker(number)
            before = {name: contains(topic["name"]) for name in TOPIC_SURFACES}
            after = {name: contains(new) for name in TOPIC_SURFACES}
            topic["name"] = new
            return (
                before,
                after,
                lambda: writer.call("taxonomy", pk=topic["id"], name=new),
            )
        shown = visible_checks(target.title, target.path)
        hidden = hidden_checks(target.title, target.path)
        if kind in ("unpublish", "restrict"):
            return shown, hidden, lambda: writer.call(kind, pk=target.id)
        return hidden, shown, lambda: writer.call(kind, pk=target.id)

    def check_before(self, number: int, kind: str, expected: list[Watch]) -> list[str]:
        """Read every surface once (warming every cache); each must show what the
        change replaces. One that does not is read again (up to 5 times, 0.5 s
        apart), its answer kept in the logs, and it is reported."""
        anomalies: list[str] = []
        for attempt in range(6):
            wrong = [
                (label, status, body)
                for label, passed, status, body in read_all(expected, self.counter)
                if not passed
            ]
            if not wrong:
                return anomalies
            for label, status, body in wrong:
                name = re.sub(r"[^a-z0-9-]+", "-", label.lower())
                saved = self.log_dir / f"before-{number}-{name}-{attempt}.txt"
                saved.write_text(f"status {status}\n{body}")
                anomalies.append(f"{label}: status {status}, read {attempt + 1}")
                log(
                    f"change {number} ({kind}): before the change, {label} answered "
                    f"{status} without the expected state (kept in {saved.name})"
                )
            failing = {label for label, _, _ in wrong}
            expected = [
                w
                for w in expected
                if any(f"{w.surface.label} {key}" in failing for key in w.checks)
            ]
            time.sleep(0.5)
        return anomalies

    def measure_changes(
        self, writer: Writer, targets: list[Target], topic: dict
    ) -> list[ChangeResult]:
        results: list[ChangeResult] = []
        failures_in_a_row = 0
        for number in range(1, self.args.warmup + self.args.changes + 1):
            kind = KINDS[(number - 1) % len(KINDS)]
            target = targets[((number - 1) // len(KINDS)) % len(targets)]
            before, after, perform = self.change(writer, number, kind, target, topic)
            # The details watched: the changed item's, or those of the item that
            # carries the renamed topic.
            shown = targets[0] if kind == "taxonomy" else target
            # Every surface once: warm caches, each shows what the change replaces.
            expected = self.watches(shown, before)
            anomalies = self.check_before(number, kind, expected)
            watches = self.watches(shown, after)
            requests_before = self.counter.value
            committed = perform()
            poll(
                watches,
                self.counter,
                deadline=committed + self.args.timeout,
                pause=self.args.pause,
            )
            lags = {
                w.surface.label: w.shown_at[w.surface.name] - committed
                for w in watches
                if w.surface.name in w.shown_at
            }
            missing = sorted(w.surface.label for w in watches if not w.shown_at)
            result = ChangeResult(
                number=number,
                kind=kind,
                item=target.id,
                committed_at=committed,
                propagation=None if missing else max(lags.values()),
                slowest=max(lags, key=lags.__getitem__) if lags else "",
                missing=missing,
                requests=self.counter.value - requests_before,
                stale_answers=sum(w.stale for w in watches),
                asked_after=(
                    None
                    if missing
                    else round(
                        max(w.asked_at[w.surface.name] for w in watches) - committed, 4
                    )
                ),
                warmup=number <= self.args.warmup,
                anomalies=anomalies,
                lags={label: round(lag, 4) for label, lag in sorted(lags.items())},
            )
            results.append(result)
            outcome = (
                f"{result.propagation * 1000:.0f} ms ({result.slowest})"
                if result.propagation is not None
                else f"NOT within {self.args.timeout:g} s: {missing[:4]}"
            )
            if self.args.verbose or missing:
                note = " (warm-up, not counted)" if result.warmup else ""
                log(f"change {number:3d} {kind:<10} item {target.id}: {outcome}{note}")
            failures_in_a_row = failures_in_a_row + 1 if missing else 0
            if failures_in_a_row == 3:
                log("three changes in a row did not propagate: stopping")
                break
        return results

    def measure_schedule(self, writer: Writer, source: int) -> list[dict[str, Any]]:
        count = self.args.scheduled
        if not count:
            return []
        offsets = [5.0 * (i + 1) for i in range(count)]
        log(
            f"scheduled go-live: {count} pages at t+{offsets[0]:g} … "
            f"t+{offsets[-1]:g} s"
        )
        pages = writer.call("schedule", offsets=offsets, source=source)
        watches, early = [], []
        for process, base in self.bases.items():
            for name, url in list_urls(base).items():
                if name == "topics":
                    continue
                checks = {}
                for page in pages:
                    key = f"{page['id']}"
                    checks[key] = (
                        in_sitemap(page["path"])
                        if name == "sitemap"
                        else contains(page["title"])
                    )
                watches.append(Watch(Surface(process, name, url), checks))
            for page in pages:
                for name, url in detail_urls(base, page["id"], page["path"]).items():
                    watches.append(
                        Watch(
                            Surface(process, name, url),
                            {f"{page['id']}": contains(page["title"])},
                        )
                    )
        # Before the first go-live time: on no surface.
        early = read_once(watches, self.counter)
        requests_before = self.counter.value
        poll(
            watches,
            self.counter,
            deadline=pages[-1]["go_live_at"] + self.args.schedule_timeout,
            pause=self.args.schedule_pause,
        )
        results = []
        for page in pages:
            key = str(page["id"])
            lags = {
                w.surface.label: w.shown_at[key] - page["go_live_at"]
                for w in watches
                if key in w.shown_at
            }
            missing = sorted(
                w.surface.label
                for w in watches
                if key in w.checks and key not in w.shown_at
            )
            results.append(
                {
                    "item": page["id"],
                    "go_live_at": page["go_live_at"],
                    "delay": None if missing else round(max(lags.values()), 3),
                    "first_surface": round(min(lags.values()), 3) if lags else None,
                    "missing": missing,
                    "shown_early": [
                        label for label in early if label.endswith(f" {key}")
                    ],
                }
            )
        log(
            "scheduled: "
            + ", ".join(
                f"{r['delay']:.1f} s" if r["delay"] is not None else "NOT shown"
                for r in results
            )
            + f" ({self.counter.value - requests_before} requests)"
        )
        return results


# --- Varnish, when the edge's configuration is there -----------------------------------


@contextlib.contextmanager
def varnish(
    servers: list[LiveProcess], workdir: Path, port: int, vcl: Path
) -> Iterator[str]:
    """varnishd with `vcl` (which includes ./backends.vcl, written here for
    `servers`) on `port`; its URL."""
    config = workdir / "varnish"
    config.mkdir(parents=True, exist_ok=True)
    shutil.copy(vcl, config / "hub.vcl")
    backends = ["import directors;"]
    for number, server in enumerate(servers, start=1):
        backend_port = server.url.rsplit(":", 1)[1]
        backends.append(
            f'backend app{number} {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}'
        )
    backends.append("sub vcl_init {\n    new hub_app = directors.round_robin();")
    backends += [
        f"    hub_app.add_backend(app{n});" for n in range(1, len(servers) + 1)
    ]
    backends.append("}")
    (config / "backends.vcl").write_text("\n".join(backends) + "\n")
    log_file = (workdir / "logs" / "varnish.log").open("ab")
    process = subprocess.Popen(
        [
            shutil.which("varnishd") or "varnishd",
            "-F",
            "-j",
            "none",
            "-n",
            str(config / "state"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(config / "hub.vcl"),
            "-s",
            "malloc,64m",
        ],
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"varnishd exited (log: {log_file.name})")
            with contextlib.suppress(requests.RequestException):
                answer = requests.get(f"{url}/api/v1/", timeout=2)
                if "varnish" in answer.headers.get("Via", "").lower():
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("varnishd did not answer")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def varnish_available(vcl: Path) -> bool:
    return vcl.exists() and shutil.which("varnishd") is not None


# --- statistics and reports -----------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def summary(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(percentile(values, 0.5), 4),
        "p95": round(percentile(values, 0.95), 4),
        "max": round(max(values), 4),
    }


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return result.stdout.strip() + ("+changes" if dirty else "")


def build_report(
    database: str,
    setup: dict[str, Any],
    changes: list[ChangeResult],
    scheduled: list[dict[str, Any]],
    requests: int,
) -> dict[str, Any]:
    warmup = [c for c in changes if c.warmup]
    changes = [c for c in changes if not c.warmup]
    done = [c.propagation for c in changes if c.propagation is not None]
    by_kind = {
        kind: summary(
            [
                c.propagation
                for c in changes
                if c.kind == kind and c.propagation is not None
            ]
        )
        for kind in KINDS
    }
    surface_lags: dict[str, list[float]] = {}
    for change in changes:
        for label, lag in change.lags.items():
            surface_lags.setdefault(label.split(":", 1)[1], []).append(lag)
    delays = [s["delay"] for s in scheduled if s["delay"] is not None]
    all_changes = summary(done)
    return {
        "database": database,
        "setup": setup,
        "changes": {
            "count": len(changes),
            "propagated": len(done),
            "not_propagated": [c.number for c in changes if c.propagation is None],
            "seconds": all_changes,
            "by_kind": by_kind,
            "by_surface": {
                name: summary(lags) for name, lags in sorted(surface_lags.items())
            },
            "requests": sum(c.requests for c in changes),
            "stale_answers": sum(c.stale_answers for c in changes),
            "anomalies_before": [
                f"change {c.number}: {anomaly}"
                for c in changes
                for anomaly in c.anomalies
            ],
            "asked_after_seconds": summary(
                [c.asked_after for c in changes if c.asked_after is not None]
            ),
            "warmup": len(warmup),
            "goal_seconds": GOAL_CHANGE,
            "goal_met": bool(
                changes
                and len(done) == len(changes)
                and all_changes["max"] <= GOAL_CHANGE
            ),
        },
        "scheduled": {
            "count": len(scheduled),
            "seconds": summary(delays),
            "pages": scheduled,
            "goal_seconds": GOAL_SCHEDULED,
            "goal_met": bool(
                scheduled
                and len(delays) == len(scheduled)
                and max(delays) <= GOAL_SCHEDULED
                and not any(s["shown_early"] for s in scheduled)
            ),
        },
        "requests": requests,
        "per_change": [asdict(c) for c in (*warmup, *changes)],
    }


def ms(value: float | int | None) -> str:
    return "–" if value is None else f"{value * 1000:,.0f} ms"


def markdown(report: dict[str, Any]) -> str:
    setup, changes, scheduled = report["setup"], report["changes"], report["scheduled"]
    seconds = changes["seconds"]
    lines = [
        f"# Propagation, {LABELS[report['database']]} ({setup['date']})",
        "",
        f"`{setup['command']}` — commit {setup['commit']}, {setup['machine']}, "
        f"Python {setup['python']}, load average (1, 5, 15 min) at start "
        f"{setup['load']}, after the changes {setup['load_end']}.",
        "",
        f"Processes: {setup['processes']}. Cache: {setup['cache']}. "
        f"Worker: {setup['worker']}.",
        "",
        "## Commit → every surface of every process shows it",
        "",
        f"{changes['count']} changes (after {changes['warmup']} not counted), "
        f"{changes['propagated']} propagated within {setup['timeout']:g} s. "
        f"Time from the writer's commit until the last of all surfaces of all "
        f"processes answered with the change. {changes['requests']:,} requests "
        f"after the commits, of which **{changes['stale_answers']} answered without "
        f"the change** ({report['requests']:,} requests in all, with the reads "
        f"before each change). Goal ≤ {changes['goal_seconds']:g} s: "
        f"**{'met' if changes['goal_met'] else 'missed'}**.",
        "",
        "The request whose answer first showed the change was sent, at the latest, "
        f"{ms(changes['asked_after_seconds'].get('max'))} after the commit "
        f"(p50 {ms(changes['asked_after_seconds'].get('p50'))}); the rest is the time "
        "the servers took to answer, every surface of every process asked at once.",
        "",
        "| changes | n | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|",
        f"| all | {seconds.get('n', 0)} | {ms(seconds.get('p50'))} | "
        f"{ms(seconds.get('p95'))} | {ms(seconds.get('max'))} |",
    ]
    for kind, stats in changes["by_kind"].items():
        if stats.get("n"):
            lines.append(
                f"| {kind} | {stats['n']} | {ms(stats['p50'])} | {ms(stats['p95'])} "
                f"| {ms(stats['max'])} |"
            )
    lines += [
        "",
        "Per surface (time until it showed the change, over processes and changes):",
        "",
        "| surface | n | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, stats in changes["by_surface"].items():
        lines.append(
            f"| {name} | {stats['n']} | {ms(stats['p50'])} | {ms(stats['p95'])} "
            f"| {ms(stats['max'])} |"
        )
    if changes["anomalies_before"]:
        lines += [
            "",
            "Surfaces that did not show the state before a change at the first read "
            "(read again up to 5 times):",
            "",
            *[f"- {anomaly}" for anomaly in changes["anomalies_before"]],
        ]
    if changes["not_propagated"]:
        lines += ["", f"Not propagated: changes {changes['not_propagated']}."]
    if scheduled["count"]:
        stats = scheduled["seconds"]
        lines += [
            "",
            "## Scheduled go-live → every surface of every process shows it",
            "",
            f"{scheduled['count']} pages scheduled at t+5 … t+{5 * scheduled['count']} s; "
            f"goal ≤ {scheduled['goal_seconds']:g} s: "
            f"**{'met' if scheduled['goal_met'] else 'missed'}**. "
            f"p50 {stats.get('p50', '–')} s, max {stats.get('max', '–')} s.",
            "",
            "| page | go-live → first surface | → every surface | shown early |",
            "|---|---:|---:|---|",
        ]
        for page in scheduled["pages"]:
            lines.append(
                f"| {page['item']} | {page['first_surface']} s | "
                f"{page['delay'] if page['delay'] is not None else 'not shown'} s | "
                f"{', '.join(page['shown_early']) or 'no'} |"
            )
    lines.append("")
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------


def require_services(database: str) -> None:
    if database != "postgres":
        return
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.Error as error:
        raise SystemExit(
            f"--database postgres needs PostgreSQL at {POSTGRES_URL}: {error}"
        ) from None
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        raise SystemExit(
            f"--database postgres needs Redis at {REDIS_URL}: {error}"
        ) from None


@contextlib.contextmanager
def database_for(database: str, workdir: Path) -> Iterator[LiveDatabase]:
    saved = os.environ.get("DATABASE_URL")
    if database == "postgres":
        os.environ["DATABASE_URL"] = POSTGRES_URL
        os.environ.setdefault("HUB_LIVE_REDIS_URL", REDIS_URL)
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        with live_database(workdir / "db", redis=database == "postgres") as db:
            yield db
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved


def start_processes(
    live: LiveProcesses,
    env: dict[str, str],
    ports: list[int],
    worker_args: list[str],
) -> list[LiveProcess]:
    """A server on each of `ports` and a worker, started at once (each takes seconds
    to import Django); the servers."""
    with ThreadPoolExecutor(max_workers=len(ports) + 1) as pool:
        worker = pool.submit(live.start_worker, env, *worker_args, name="worker")
        started = [
            pool.submit(live.start_server, env, port, name=f"server-{n}")
            for n, port in enumerate(ports, start=1)
        ]
        worker.result()
        return [future.result() for future in started]


def measure(database: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    require_services(database)
    log(f"{database}: preparing the database (a copy of the live-test template)")
    edge_env: dict[str, str] = {}
    use_varnish = args.varnish and varnish_available(args.vcl)
    if use_varnish:
        varnish_port = free_port()
        edge_env = {
            "HUB_EDGE_BACKEND": "varnish",
            "HUB_EDGE_PURGE_URLS": f"http://127.0.0.1:{varnish_port}/",
        }
    with (
        database_for(database, workdir) as db,
        LiveProcesses(workdir / "logs") as live,
        contextlib.ExitStack() as stack,
    ):
        env = db.env(**edge_env)
        if args.settings:
            env["DJANGO_SETTINGS_MODULE"] = args.settings
        # The writer imports Django while the servers and the worker start.
        writer = Writer(env, workdir / "logs" / "writer.log")
        stack.callback(writer.close)
        worker_args = ["--interval", str(args.worker_interval)]
        if args.schedule_interval:
            worker_args += ["--schedule-interval", str(args.schedule_interval)]
        ports: list[int] = []
        while len(ports) < args.servers:
            port = free_port()
            if port not in ports and not (use_varnish and port == varnish_port):
                ports.append(port)
        servers = start_processes(live, env, ports, worker_args)
        bases = {server.name: server.url for server in servers}
        if use_varnish:
            bases["varnish"] = stack.enter_context(
                varnish(servers, workdir, varnish_port, args.vcl)
            )
        for number, url in enumerate(args.edge, start=1):
            bases[f"edge-{number}" if len(args.edge) > 1 else "edge"] = url.rstrip("/")
        log(f"{database}: processes {', '.join(f'{k} {v}' for k, v in bases.items())}")
        prepared = writer.call("setup", slots=args.targets)
        targets = [
            Target(
                **target,
                title=title_marker(target["slot"], 0),
                street=street_marker(target["slot"], 0),
            )
            for target in prepared["targets"]
        ]
        topic = {"id": prepared["topic"], "name": topic_marker(0)}
        run = Run(args, bases, workdir / "logs")
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        log(f"{database}: {args.changes} changes")
        started = time.monotonic()
        changes = run.measure_changes(writer, targets, topic)
        log(f"{database}: changes took {time.monotonic() - started:.0f} s")
        load_end = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        scheduled = run.measure_schedule(writer, source=targets[-1].id)
        setup = {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": args.command_line,
            "commit": git_commit(),
            "machine": f"{os.cpu_count()} cores, {platform.platform(terse=True)}",
            "python": platform.python_version(),
            "load": load,
            "load_end": load_end,
            "processes": ", ".join(
                [f"{len(servers)} gunicorn servers (1 worker, 4 threads each)"]
                + (["Varnish in front of both"] if use_varnish else [])
                + [f"edge {url}" for url in args.edge]
                + ["1 run_worker", "1 writer"]
            ),
            "cache": (
                "Redis (shared)"
                if db.redis_url
                else "local memory, one per process (the SQLite default)"
            ),
            "worker": f"run_worker {' '.join(worker_args)}"
            + ("" if args.schedule_interval else " (default schedule interval, 10 s)"),
            "timeout": args.timeout,
            "targets": [target.id for target in targets],
            "settings": env["DJANGO_SETTINGS_MODULE"],
        }
        report = build_report(database, setup, changes, scheduled, run.counter.value)
        writer.close()
        close_sessions()
        # All at once: each gunicorn may wait for its keep-alive connections.
        with ThreadPoolExecutor(max_workers=len(live.processes)) as pool:
            list(pool.map(lambda process: process.stop(), live.processes))
        return report


def write_report(report: dict[str, Any], output: Path) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    name = "postgresql" if report["database"] == "postgres" else report["database"]
    stem = output / f"propagation-{dt.date.today().isoformat()}-{name}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=1) + "\n")
    stem.with_suffix(".md").write_text(markdown(report))
    return stem.with_suffix(".md")


def print_summary(report: dict[str, Any]) -> None:
    changes, scheduled = report["changes"], report["scheduled"]
    seconds = changes["seconds"]
    log(
        f"{report['database']}: {changes['propagated']}/{changes['count']} changes "
        f"propagated; p50 {ms(seconds.get('p50'))}, p95 {ms(seconds.get('p95'))}, "
        f"max {ms(seconds.get('max'))} (goal ≤ {GOAL_CHANGE:g} s: "
        f"{'met' if changes['goal_met'] else 'missed'}); {report['requests']:,} requests, "
        f"{changes['stale_answers']} stale answers after a commit"
    )
    if scheduled["count"]:
        stats = scheduled["seconds"]
        log(
            f"{report['database']}: scheduled go-live → every surface: "
            f"p50 {stats.get('p50', '–')} s, max {stats.get('max', '–')} s "
            f"(goal ≤ {GOAL_SCHEDULED:g} s: "
            f"{'met' if scheduled['goal_met'] else 'missed'})"
        )


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.propagation", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres", "both"),
        default="both",
        help="sqlite (no Redis), postgres (127.0.0.1:5432 + Redis), or both (default)",
    )
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument(
        "--scheduled", type=int, default=5, help="pages scheduled at t+5, t+10 … s"
    )
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument(
        "--warmup",
        type=int,
        default=len(KINDS),
        help="changes made and measured first but not counted (default: one of each kind)",
    )
    parser.add_argument(
        "--targets", type=int, default=3, help="events the changes rotate over"
    )
    parser.add_argument(
        "--edge",
        action="append",
        default=[],
        metavar="URL",
        help="read every surface through this HTTP cache too (repeatable)",
    )
    parser.add_argument(
        "--no-varnish",
        dest="varnish",
        action="store_false",
        help="do not start Varnish even when varnishd and deploy/varnish/hub.vcl exist",
    )
    parser.add_argument(
        "--vcl",
        type=Path,
        default=VCL,
        help="the Varnish configuration (default: deploy/varnish/hub.vcl)",
    )
    parser.add_argument(
        "--timeout", type=float, default=20, help="seconds a change may take"
    )
    parser.add_argument(
        "--pause", type=float, default=0.01, help="seconds between two polls of a URL"
    )
    parser.add_argument("--schedule-timeout", type=float, default=90)
    parser.add_argument("--schedule-pause", type=float, default=0.25)
    parser.add_argument(
        "--worker-interval",
        type=float,
        default=1.0,
        help="run_worker --interval (django-tasks-db's default: 1 s)",
    )
    parser.add_argument(
        "--schedule-interval",
        type=float,
        default=None,
        help="run_worker --schedule-interval (default: the worker's own, 10 s)",
    )
    parser.add_argument("--settings", default="", help=f"default: {SETTINGS}")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the logs directory")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    args.command_line = " ".join(["python -m bench.propagation", *argv])
    if not argv:
        args.command_line += " (make propagation)"
    return args


def main(argv: list[str]) -> int:
    if argv[:1] == ["writer"]:
        serve_writer()
        return 0
    args = parse(argv)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    workdir = Path(tempfile.mkdtemp(prefix="hub-propagation-"))
    log(f"logs in {workdir}")
    ok = False
    try:
        ok = True
        for database in databases:
            report = measure(database, args, workdir / database)
            path = write_report(report, args.output)
            print_summary(report)
            log(f"written: {path} (and .json)")
            ok = ok and report["changes"]["propagated"] == report["changes"]["count"]
            ok = ok and not report["changes"]["anomalies_before"]
    except BaseException:
        ok = False
        raise
    finally:
        if args.keep or not ok:
            log(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
