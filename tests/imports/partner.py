"""A partner's web server serving iCal files with ETags, as calendar exports do."""

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.receiving import QuietHandler, serving

CALENDARS = Path(__file__).parent / "calendars"


@dataclass
class Partner:
    """What the partner's server answers at /<name>: a file from `calendars/` or raw
    bytes, with an ETag; requests are recorded (path and headers)."""

    base: str
    files: dict[str, bytes] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def serve(self, name: str, body: bytes | None = None) -> str:
        self.files[name] = body if body is not None else (CALENDARS / name).read_bytes()
        return self.url(name)


@contextmanager
def partner_server() -> Iterator[Partner]:
    """A `Partner` answering on a free port of 127.0.0.1 while the block runs."""
    state = Partner(base="")

    class Handler(QuietHandler):
        def do_GET(self):
            name = self.path.lstrip("/")
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.requests.append((name, headers))
            if name in state.delays:
                time.sleep(state.delays[name])
            body = state.files.get(name)
            status = state.statuses.get(name, 200 if body is not None else 404)
            if status != 200 or body is None:
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if headers.get("if-none-match") == etag:
                self.send_response(304)
                self.send_header("etag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("content-type", "text/calendar; charset=utf-8")
            self.send_header("etag", etag)
            self.send_header("last-modified", "Fri, 20 Nov 2026 10:00:00 GMT")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as base:
        state.base = base
        yield state
