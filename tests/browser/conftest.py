"""A real hub server and two partner sites on other origins, for tests in Chromium.

The hub runs as its own process with production settings on a fresh SQLite database
(never pytest-django's live server, whose flush would wipe the session's demo content).
Without Chromium the tests skip, except under CI=true, where they must run.
"""

import contextlib
import functools
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# README.md's images; only `make screenshots` (HUB_SCREENSHOTS=1) writes them.
SCREENSHOTS = ROOT / "docs" / "screenshots"
# pytest-xdist workers get disjoint port ranges, so parallel sessions never race for one.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PORTS = range(8301 + 10 * _WORKER, 8311 + 10 * _WORKER)
if os.environ.get("HUB_SCREENSHOTS") == "1":
    # Ports of their own: the embed code in embed-builder.png shows the hub's address.
    PORTS = range(8291, 8301)
EDITOR = ("browser-redaktion", "browser-test-passwort-1")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_tools() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed (pip install -e '.[dev]')"
    if not AXE.exists():
        return f"axe-core not found at {AXE} (npm ci)"
    return ""


def require_browser() -> None:
    """Skip without the tools, but never under CI=true: there the tests must run."""
    reason = missing_tools()
    if not reason:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true requires the browser tests to run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def screenshot_dir(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where test_screenshots.py writes: docs/screenshots/ under HUB_SCREENSHOTS=1
    (`make screenshots`), otherwise nowhere, so the ordinary tests leave docs/ alone."""
    return SCREENSHOTS if environ.get("HUB_SCREENSHOTS") == "1" else None


def free_ports(count: int) -> list[int]:
    ports = []
    for port in PORTS:
        with socket.socket() as probe:
            # As gunicorn and http.server bind: a port a just-stopped server left in
            # TIME_WAIT is free (so `make screenshots` keeps its address).
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"no free ports in {PORTS.start}–{PORTS.stop - 1}")


def wait_for(
    url: str, process: subprocess.Popen, log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"hub server exited:\n{log.read_text()[-3000:]}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=2),  # noqa: S310 - local test server
        ):
            return
        time.sleep(0.3)
    raise RuntimeError(f"hub server did not answer {url}:\n{log.read_text()[-3000:]}")


class Hub:
    def __init__(
        self, url: str, partner_url: str, stranger_url: str, env: dict[str, str]
    ):
        self.url = url
        self.partner_url = partner_url
        self.stranger_url = stranger_url
        self.env = env

    def manage(self, *command: str) -> str:
        """Runs a management command against the hub's database; returns its output."""
        return subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, str(ROOT / "manage.py"), *command],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout


@pytest.fixture(scope="module")
def hub(request, tmp_path_factory):
    """The hub (production settings, demo content) plus an allowed and a foreign partner.

    A test module may name other settings in `HUB_SETTINGS` (production's with a
    change, e.g. `tests.browser.outbound_settings`)."""
    require_browser()
    hub_port, partner_port, stranger_port = free_ports(3)
    work = tmp_path_factory.mktemp("browser-hub")
    hub_url = f"http://127.0.0.1:{hub_port}"
    partner_url = f"http://localhost:{partner_port}"
    stranger_url = f"http://localhost:{stranger_port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE=getattr(
            request.module, "HUB_SETTINGS", "hub.settings.production"
        ),
        DATABASE_URL=f"sqlite:///{work / 'hub.sqlite3'}",
        SECRET_KEY="browser-tests-only-" + "x" * 48,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_BASE_URL=hub_url,
        MEDIA_ROOT=str(work / "media"),
        DJANGO_SUPERUSER_USERNAME=EDITOR[0],
        DJANGO_SUPERUSER_PASSWORD=EDITOR[1],
        DJANGO_SUPERUSER_EMAIL="redaktion@example.org",
        LOG_LEVEL="WARNING",
        # The tests know the seed's own dates; test_demo_calendar.py moves them itself.
        HUB_DEMO_DATES="seed",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--no-input", "--verbosity", "0"],
        ["load_demo_content"],
        ["collectstatic", "--no-input", "--verbosity", "0"],
        ["createsuperuser", "--no-input"],
        ["embed_origins", partner_url],
    ):
        subprocess.run(  # noqa: S603 - fixed arguments
            manage + command, cwd=ROOT, env=env, check=True, capture_output=True
        )
    log = work / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "hub.wsgi",
                "--bind",
                f"127.0.0.1:{hub_port}",
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    partners = []
    try:
        wait_for(hub_url + "/veranstaltungen/", server, log)
        site = work / "partner"
        site.mkdir()
        write_partner_pages(site, hub_url)
        for port in (partner_port, stranger_port):
            handler = functools.partial(QuietHandler, directory=str(site))
            httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            partners.append(httpd)
        yield Hub(hub_url, partner_url, stranger_url, env)
    finally:
        for httpd in partners:
            httpd.shutdown()
            httpd.server_close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def write_partner_pages(site: Path, hub_url: str) -> None:
    """A city's page using exactly the snippets the editors' builder hands out."""
    from embeds.builder import iframe_snippet, script_snippet

    params = [("city", "witten"), ("limit", "5")]
    iframe = iframe_snippet(hub_url, "events", params, "Veranstaltungen in Witten")
    script = script_snippet(
        hub_url,
        "events",
        [*params, ("title", "Termine in Witten"), ("heading", "3")],
        "Veranstaltungen in Witten",
        "/veranstaltungen/",
    )
    page = f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stadt Witten – Integration vor Ort</title>
<style>
body {{ margin: 0; font-family: Georgia, serif; color: #222; background: #f7f4ee; }}
header {{ background: #7a1f00; color: #fff; padding: 1rem 2rem; }}
main {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
  gap: 2rem; padding: 1rem 2rem; }}
section {{ background: #fff; padding: 1rem; border-radius: .5rem; }}
#script-embed {{ --hub-accent: #7a1f00; }}
</style>
</head>
<body>
<header><h1>Stadt Witten: Integration vor Ort</h1></header>
<main>
<section id="iframe-embed"><h2>Eingebettet per iframe</h2>
{iframe}
</section>
<section id="script-embed"><h2>Eingebettet per Skript</h2>
{script}
</section>
</main>
</body>
</html>
"""
    (site / "index.html").write_text(page, encoding="utf-8")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright; stopped after the module so no event
    loop outlives the browser tests."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="de-DE", viewport={"width": 1100, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def log_in(hub, page, account: tuple[str, str] = EDITOR) -> None:
    """Sign in to the admin the way an editor does, and land on the dashboard."""
    page.goto(hub.url + "/admin/login/")
    page.fill("input[name=username]", account[0])
    page.fill("input[name=password]", account[1])
    page.click("button[type=submit]")
    page.wait_for_url(hub.url + "/admin/")


def type_into(page, selector: str, text: str) -> None:
    """Click the field, select what is there, type, leave with Tab (as editors do)."""
    field = page.locator(selector)
    field.click()
    page.wait_for_timeout(300)  # a person's pause; the date picker opens after 100 ms
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def field_error(page, name: str) -> str:
    """The admin's error message on the field named `name`."""
    wrapper = page.locator(f"[data-field-wrapper]:has([name='{name}'])")
    return wrapper.locator(".error-message").inner_text()


# axe findings in Wagtail's own markup that no template, stylesheet, script or label of
# the hub produces, by rule and target:
WAGTAIL_CORE = {
    # Chooser modals (wagtailadmin/js/modal-workflow.js) open a role="dialog" element
    # without aria-label or aria-labelledby.
    ("aria-dialog-name", ".modal"),
}


def admin_findings(page) -> list[dict]:
    """Serious and critical axe findings on an admin page, without Wagtail's own."""
    page.wait_for_timeout(400)  # let transitions end: half-faded text fails contrast
    result = []
    for violation in run_axe(page):
        nodes = [
            target
            for target in violation["nodes"]
            if (violation["id"], target[-1]) not in WAGTAIL_CORE
        ]
        if nodes:
            result.append({**violation, "nodes": nodes})
    return result


def run_axe(tab) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
