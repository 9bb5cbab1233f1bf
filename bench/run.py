"""`make bench`: our figures against named references, side by side in one run.

Builds (or reuses) the benchmark data per size, measures queries and bytes in-process,
starts the app under gunicorn (one sync worker, production settings, DEBUG off) pinned to
CPU 0, drives it with `wrk` pinned to CPU 1, warms up, runs interleaved repeats
(A B C A B C …), takes medians and prints one table, also written to
`bench/results/<date>-<db>.md`. Only ratios measured in the same run mean anything on a
shared machine. An endpoint that does not exist yet is reported as "n/a", not a crash.
"""

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import V2_FIELDS, V2_FLAT_FIELDS

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
PYTHON = sys.executable
PORT_BASE = 8401
STATIC_NAME = "bench-events-20.json"
FALLBACK_STATIC_BYTES = 8192

API = "/api/v1/events/"
API_20 = API + "?limit=20"
FILTERED = API + "?city=witten&upcoming=true"
FEED_RSS, FEED_ATOM = "/feeds/events.rss", "/feeds/events.atom"
SYND_RSS, SYND_ATOM = "/bench/syndication/events.rss", "/bench/syndication/events.atom"


def v2_path(fields: tuple[str, ...]) -> str:
    return f"/bench/v2/pages/?type=pages.EventPage&limit=20&fields={','.join(fields)}"


# --- data ------------------------------------------------------------------------------


def data_key() -> str:
    """Changes whenever the generator or the seed content changes.

    Schema changes need no new data: `migrate` runs on the cached data before each run.
    """
    digest = hashlib.sha256()
    sources = [
        BENCH / "generate.py",
        BENCH / "management/commands/generate_bench_data.py",
        ROOT / "pages/demo/content.yaml",
        ROOT / "pages/demo/loader.py",
    ]
    for path in sources:
        digest.update(path.name.encode() + path.read_bytes())
    import wagtail

    digest.update(wagtail.__version__.encode())
    return digest.hexdigest()[:10]


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=str(CACHE / "www"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def migrate(database_url: str) -> None:
    """Bring cached data up to the current schema (new indexes, fields); quick when current."""
    subprocess.run(
        [PYTHON, "-W", "ignore", "manage.py", "migrate", "--no-input", "--verbosity=0"],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
    )


def generate(database_url: str, size: int) -> None:
    print(f"Generating {size:,} events (cached for later runs) …", flush=True)
    subprocess.run(
        [PYTHON, "manage.py", "generate_bench_data", "--events", str(size)],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
    )


class SQLiteData:
    name = "sqlite"

    def __init__(self):
        import sqlite3

        self.version = f"SQLite {sqlite3.sqlite_version}"

    def database_url(self, size: int, key: str) -> str:
        path = CACHE / f"sqlite-{size}-{key}.sqlite3"
        CACHE.mkdir(exist_ok=True)
        if not path.exists():
            for stale in CACHE.glob(f"sqlite-{size}-*.sqlite3"):
                stale.unlink()
            temporary = path.with_suffix(".tmp")
            temporary.unlink(missing_ok=True)
            generate(f"sqlite:///{temporary}", size)
            temporary.rename(path)
        url = f"sqlite:///{path}"
        migrate(url)
        return url


class PostgresData:
    """Generates into a template database once, then clones it for each run (seconds)."""

    name = "postgresql"

    def __init__(self, url: str):
        self.url = urlsplit(url)
        with self.admin() as cursor:
            cursor.execute("SHOW server_version")
            self.version = "PostgreSQL " + cursor.fetchone()[0].split()[0]

    def url_for(self, database: str) -> str:
        return urlunsplit(self.url._replace(path="/" + database))

    @contextlib.contextmanager
    def admin(self) -> Iterator:
        import psycopg

        with psycopg.connect(self.url_for("postgres"), autocommit=True) as connection:
            yield connection.cursor()

    def database_url(self, size: int, key: str) -> str:
        template, work = f"hub_bench_tpl_{size}_{key}", f"hub_bench_run_{size}"
        with self.admin() as cursor:
            cursor.execute("SELECT datname FROM pg_database")
            prefix = f"hub_bench_tpl_{size}_"
            existing = {
                name
                for (name,) in cursor.fetchall()
                if name.startswith(prefix) and "_" not in name[len(prefix) :]
            }
            for stale in existing - {template}:
                cursor.execute(f'DROP DATABASE "{stale}" WITH (FORCE)')
            if template not in existing:
                cursor.execute(f'CREATE DATABASE "{template}"')
                try:
                    generate(self.url_for(template), size)
                except BaseException:
                    cursor.execute(f'DROP DATABASE "{template}" WITH (FORCE)')
                    raise
            cursor.execute(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{work}" TEMPLATE "{template}"')
        migrate(self.url_for(work))
        self.analyze(work)
        return self.url_for(work)

    def analyze(self, database: str) -> None:
        """Visibility map and planner statistics, as autovacuum keeps them on a live database.

        A fresh clone plus `migrate` leaves dead rows and no visibility map, so index-only
        scans would still read the table; this server may run without autovacuum.
        """
        import psycopg

        with psycopg.connect(self.url_for(database), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")


# --- measuring -------------------------------------------------------------------------


def probe(database_url: str, paths: list[str], save_first: Path | None = None) -> dict:
    """Status, bytes and steady-state queries per path, with the response cache off."""
    command = [PYTHON, "-W", "ignore", "-m", "bench.probe"]
    if save_first:
        command += ["--save-first", str(save_first)]
    output = subprocess.run(
        command + paths,
        cwd=ROOT,
        env=django_env(database_url, HUB_RESPONSE_CACHE="0"),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout)


def cpu_prefix(cpu: int) -> list[str]:
    if (os.cpu_count() or 1) < 2 or not shutil.which("taskset"):
        return []
    return ["taskset", "-c", str(cpu)]


@dataclass
class Server:
    """One gunicorn with a single sync worker, like the reference figures were measured."""

    label: str
    database_url: str
    port: int
    response_cache: bool
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            *cpu_prefix(0),
            PYTHON,
            "-m",
            "gunicorn",
            "hub.wsgi:application",
            "--workers=1",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{self.port}",
            "--log-level=warning",
            "--timeout=60",
            # Several servers run at once; they would share gunicorn's default socket.
            "--no-control-socket",
        ]
        env = django_env(
            self.database_url, HUB_RESPONSE_CACHE="1" if self.response_cache else "0"
        )
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn for {self.label} exited early")
            try:
                with urllib.request.urlopen(  # noqa: S310 (http to localhost)
                    self.base + "/" + STATIC_NAME, timeout=5
                ):
                    return
            except (TimeoutError, urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn for {self.label} did not answer in {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def etag(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:  # noqa: S310
                return response.headers.get("ETag")
        except urllib.error.URLError:
            return None


@dataclass
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    bad_responses: int


@dataclass
class Target:
    key: str
    label: str
    server: Server
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    probe: dict | None = None
    missing: str = ""
    runs: list[Run] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(run, name) for run in self.runs)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> Run:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read \d+, write (\d+), timeout (\d+)", output
    )
    failures = int(bad.group(1)) if bad else 0
    if errors:
        failures += int(errors.group(1)) + int(errors.group(2)) + int(errors.group(3))
    return Run(
        float(rate.group(1)) if rate else 0.0, latency("50"), latency("99"), failures
    )


def wrk(target: Target, seconds: float, connections: int) -> Run:
    command = [
        *cpu_prefix(1),
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout=10s",
        "--latency",
    ]
    for name, value in target.headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        command + [target.server.base + target.path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(output)


# --- report ----------------------------------------------------------------------------


@dataclass
class Check:
    figure: str
    reference: str
    value: float | None
    target: str
    met: bool | None


def ratio(
    ours: Target, reference: Target, *, higher_is_better: bool = True
) -> float | None:
    if ours.missing or reference.missing or not ours.runs or not reference.runs:
        return None
    if higher_is_better:
        return ours.median("requests_per_second") / reference.median(
            "requests_per_second"
        )
    return ours.median("p50_ms") / reference.median("p50_ms")


def machine(data) -> list[str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    wrk_line = (wrk_version.stdout or wrk_version.stderr).splitlines()[0:1]
    return [
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- commit: {commit}{' (uncommitted changes)' if dirty else ''}",
        f"- machine: {os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}",
        f"- python: {platform.python_version()}, database: {data.version}",
        f"- load: {' '.join(wrk_line)}",
    ]


def fmt_rate(target: Target) -> str:
    return f"{target.median('requests_per_second'):,.0f}" if target.runs else "–"


def fmt_ms(target: Target, name: str) -> str:
    return f"{target.median(name):.1f}" if target.runs else "–"


def render(
    targets: list[Target],
    checks: list[Check],
    queries: dict,
    header: list[str],
    settings: str,
) -> str:
    lines = ["# Benchmark", "", *header, f"- method: {settings}", ""]
    lines += [
        "| figure | path | req/s | p50 ms | p99 ms | bytes | queries |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for t in targets:
        if t.missing:
            lines.append(f"| {t.label} | `{t.path}` | n/a ({t.missing}) | | | | |")
            continue
        bytes_ = t.probe["bytes"] if t.probe else "–"
        count = t.probe["queries"] if t.probe else "–"
        bad = sum(run.bad_responses for run in t.runs)
        note = f" ⚠ {bad} failed" if bad else ""
        lines.append(
            f"| {t.label} | `{t.path}` | {fmt_rate(t)}{note} | {fmt_ms(t, 'p50_ms')} | "
            f"{fmt_ms(t, 'p99_ms')} | {bytes_} | {count} |"
        )
    lines += [
        "",
        "| figure | reference | ratio | target | met |",
        "|---|---|---:|---|---|",
    ]
    for c in checks:
        value = "n/a (endpoint missing)" if c.value is None else f"{c.value:.2f}×"
        met = {
            True: "yes",
            False: "**no**",
            None: "–" if c.target == "none" else "n/a",
        }[c.met]
        lines.append(f"| {c.figure} | {c.reference} | {value} | {c.target} | {met} |")
    lines += ["", "Queries per list request (in-process, response cache off):", ""]
    lines += ["| request | queries | bytes |", "|---|---:|---:|"]
    for path, result in queries.items():
        if result["status"] == 404:
            lines.append(f"| `{path}` | n/a (endpoint missing) | |")
        else:
            lines.append(f"| `{path}` | {result['queries']} | {result['bytes']} |")
    return "\n".join(lines) + "\n"


# --- main ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,100000"))
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5"))
    )
    parser.add_argument(
        "--repeats", type=int, default=int(os.environ.get("BENCH_REPEATS", "3"))
    )
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("make bench needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    started = time.monotonic()
    CACHE.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    (CACHE / "www").mkdir(exist_ok=True)
    (CACHE / "static").mkdir(exist_ok=True)
    url = os.environ.get("DATABASE_URL", "")
    data = PostgresData(url) if url.startswith("postgres") else SQLiteData()
    key = data_key()
    urls = {size: data.database_url(size, key) for size in sizes}
    main_size = sizes[0]

    print("Measuring queries and bytes in-process …", flush=True)
    v2, v2_flat = v2_path(V2_FIELDS), v2_path(V2_FLAT_FIELDS)
    limits = [f"{API}?limit={n}" for n in (1, 20, 100)]
    static_file = CACHE / "www" / STATIC_NAME
    body = CACHE / "api-body.tmp"
    body.unlink(missing_ok=True)
    main_probe = probe(
        urls[main_size],
        [
            API_20,
            v2,
            v2_flat,
            FEED_RSS,
            FEED_ATOM,
            SYND_RSS,
            SYND_ATOM,
            FILTERED,
            *limits,
        ],
        save_first=body,
    )
    size_probes = {main_size: main_probe[FILTERED]}
    for size in sizes[1:]:
        size_probes[size] = probe(urls[size], [FILTERED])[FILTERED]
    if body.exists():
        body.replace(static_file)
    else:
        static_file.write_bytes(b"{" + b" " * (FALLBACK_STATIC_BYTES - 2) + b"}")
    static_probe = {"status": 200, "bytes": static_file.stat().st_size, "queries": 0}

    warm = Server("warm", urls[main_size], PORT_BASE, response_cache=True)
    cold = Server("cold", urls[main_size], PORT_BASE + 1, response_cache=False)
    sized = {
        size: Server(
            f"cold {size}", urls[size], PORT_BASE + 2 + i, response_cache=False
        )
        for i, size in enumerate(sizes[1:])
    }
    sized[main_size] = cold
    servers = [warm, cold, *(s for size, s in sized.items() if size != main_size)]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()

        def target(key, label, server, path, probed, **headers) -> Target:
            missing = "endpoint missing" if probed["status"] == 404 else ""
            if probed["status"] >= 500:
                missing = f"HTTP {probed['status']}"
            return Target(key, label, server, path, headers, probed, missing)

        static_etag = warm.etag("/" + STATIC_NAME)
        targets = [
            target(
                "static",
                "static file (whitenoise), 200",
                warm,
                "/" + STATIC_NAME,
                static_probe,
            ),
            target(
                "static304",
                "static file (whitenoise), 304",
                warm,
                "/" + STATIC_NAME,
                {**static_probe, "bytes": 0},
                **{"If-None-Match": static_etag or ""},
            ),
            target("warm", "API warm (cached), 200", warm, API_20, main_probe[API_20]),
        ]
        api_etag = warm.etag(API_20) if not targets[-1].missing else None
        targets += [
            target(
                "warm304",
                "API warm, 304",
                warm,
                API_20,
                {**main_probe[API_20], "bytes": 0, "queries": 0},
                **{"If-None-Match": api_etag or ""},
            ),
            target("cold", "API cold (cache off)", cold, API_20, main_probe[API_20]),
            target("v2", "stock Wagtail API v2, same fields", cold, v2, main_probe[v2]),
            target(
                "v2_flat",
                "stock Wagtail API v2, flat fields only",
                cold,
                v2_flat,
                main_probe[v2_flat],
            ),
            target("rss", "RSS feed cold", cold, FEED_RSS, main_probe[FEED_RSS]),
            target(
                "synd_rss", "syndication.Feed RSS", cold, SYND_RSS, main_probe[SYND_RSS]
            ),
            target("atom", "Atom feed cold", cold, FEED_ATOM, main_probe[FEED_ATOM]),
            target(
                "synd_atom",
                "syndication.Feed Atom",
                cold,
                SYND_ATOM,
                main_probe[SYND_ATOM],
            ),
        ]
        targets += [
            target(
                f"filtered{size}",
                f"filtered listing, {size:,} events",
                sized[size],
                FILTERED,
                size_probes[size],
            )
            for size in sizes
        ]
        for t in targets:
            t.label = (
                t.label if "events" in t.label else f"{t.label} ({main_size:,} events)"
            )
        active = [t for t in targets if not t.missing]
        print(f"Warming up {len(active)} targets …", flush=True)
        for t in active:
            wrk(t, args.warmup, args.connections)
        for repeat in range(1, args.repeats + 1):
            print(f"Repeat {repeat}/{args.repeats} …", flush=True)
            for t in active:
                t.runs.append(wrk(t, args.seconds, args.connections))
    finally:
        for server in servers:
            server.stop()

    by_key = {t.key: t for t in targets}
    checks = [
        Check(
            "API warm 200",
            "static file 200",
            ratio(by_key["warm"], by_key["static"]),
            "≥ 0.6×",
            None,
        ),
        Check(
            "API warm 304",
            "static file 304",
            ratio(by_key["warm304"], by_key["static304"]),
            "≥ 0.6×",
            None,
        ),
        Check(
            "API cold",
            "stock Wagtail API v2, same fields",
            ratio(by_key["cold"], by_key["v2"]),
            "≥ 10×",
            None,
        ),
        Check(
            "API cold (information)",
            "stock v2, flat fields (no relations)",
            ratio(by_key["cold"], by_key["v2_flat"]),
            "none",
            None,
        ),
        Check(
            "RSS cold",
            "syndication.Feed RSS",
            ratio(by_key["rss"], by_key["synd_rss"]),
            "≥ 3×",
            None,
        ),
        Check(
            "Atom cold",
            "syndication.Feed Atom",
            ratio(by_key["atom"], by_key["synd_atom"]),
            "≥ 3×",
            None,
        ),
    ]
    for c in checks:
        if c.value is not None and c.target != "none":
            c.met = c.value >= float(c.target.split()[1].rstrip("×"))
    if len(sizes) > 1:
        largest = sizes[-1]
        value = ratio(
            by_key[f"filtered{largest}"],
            by_key[f"filtered{main_size}"],
            higher_is_better=False,
        )
        checks.append(
            Check(
                f"filtered listing p50, {largest:,} events",
                f"itself at {main_size:,} events",
                value,
                "≤ 2×",
                None if value is None else value <= 2,
            )
        )
    query_rows = {path: main_probe[path] for path in limits}
    counts = {r["queries"] for r in query_rows.values() if r["status"] == 200}
    if all(r["status"] == 200 for r in query_rows.values()):
        checks.append(
            Check(
                "queries per list request",
                "limit 1 vs 20 vs 100",
                float(max(counts)),
                "equal, ≤ 10",
                len(counts) == 1 and max(counts) <= 10,
            )
        )
    else:
        checks.append(
            Check(
                "queries per list request",
                "limit 1 vs 20 vs 100",
                None,
                "equal, ≤ 10",
                None,
            )
        )
    method = (
        f"gunicorn 1 sync worker on CPU 0, `wrk -t1 -c{args.connections}` on CPU 1, "
        f"{args.warmup:g}s warm-up, {args.repeats}× {args.seconds:g}s interleaved, medians; "
        f"sizes {', '.join(f'{s:,}' for s in sizes)}; run took {time.monotonic() - started:.0f}s"
    )
    report = render(targets, checks, query_rows, machine(data), method)
    print()
    print(report)
    out = RESULTS / f"{dt.date.today():%Y-%m-%d}-{data.name}.md"
    out.write_text(report, encoding="utf-8")
    print(f"Written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
