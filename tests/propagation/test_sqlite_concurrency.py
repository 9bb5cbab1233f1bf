"""Editors saving at the same time never see a 500 ("database is locked").

Two gunicorn servers on one database (the SQLite file by default), a task worker
polling it, and a management command publishing pages meanwhile (the third writer);
ten editors each save a contact person five times, all at once.
"""

import json
import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.live import LiveDatabase, LiveProcess, LiveProcesses

pytestmark = pytest.mark.live

EDITOR = {"username": "redaktion", "password": "ki-demo-2026"}
EDITORS = 10
SAVES = 5
CONTACTS = """
import json
from pages.snippets import ContactPerson
print(json.dumps([
    {"id": c.pk, "name": c.name, "role": c.role, "phone": c.phone, "email": c.email}
    for c in ContactPerson.objects.order_by("pk")
]))
"""
ROLES = """
import json
from pages.snippets import ContactPerson
print(json.dumps({c.pk: c.role for c in ContactPerson.objects.all()}))
"""
# The third writer: publishes new revisions of the demo's events while editors save.
PUBLISH = """
from pages.models import EventPage
for round in range(3):
    for page in EventPage.objects.live().order_by("pk"):
        page.save_revision().publish()
"""
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(server: LiveProcess) -> requests.Session:
    """An editor's browser session on `server`, signed in through the login form."""
    session = requests.Session()
    form = session.get(f"{server.url}/admin/login/", timeout=30)
    assert form.status_code == 200
    answer = session.post(
        f"{server.url}/admin/login/",
        data={**EDITOR, "csrfmiddlewaretoken": CSRF.search(form.text).group(1)},
        headers={"Referer": f"{server.url}/admin/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def test_simultaneous_admin_saves_never_fail(
    live_db: LiveDatabase, live: LiveProcesses
):
    env = live_db.env()
    servers = [live.start_server(env), live.start_server(env)]
    live.start_worker(env)
    result = live.manage(env, "shell", "-c", CONTACTS)
    contacts = json.loads(result.stdout.strip().splitlines()[-1])
    assert contacts, "the demo content has contact persons"
    sessions = [signed_in(servers[i % 2]) for i in range(EDITORS)]
    start = threading.Barrier(EDITORS + 1)

    def edit(editor: int) -> list[int]:
        server = servers[editor % 2]
        contact = contacts[editor % len(contacts)]
        url = f"{server.url}/admin/snippets/pages/contactperson/edit/{contact['id']}/"
        session = sessions[editor]
        token = CSRF.search(session.get(url, timeout=60).text).group(1)
        start.wait()
        statuses = []
        for save in range(SAVES):
            answer = session.post(
                url,
                data={
                    "csrfmiddlewaretoken": token,
                    "name": contact["name"],
                    "role": f"Koordination {editor}/{save}",
                    "phone": contact["phone"],
                    "email": contact["email"],
                },
                headers={"Referer": url},
                allow_redirects=False,
                timeout=60,
            )
            statuses.append(answer.status_code)
        return statuses

    with ThreadPoolExecutor(EDITORS + 1) as pool:
        edits = [pool.submit(edit, editor) for editor in range(EDITORS)]
        start.wait()
        third_writer = pool.submit(live.manage, env, "shell", "-c", PUBLISH)
        statuses = [status for edit in edits for status in edit.result()]
        third_writer.result()

    # Every save went through (302 back to the listing); none failed, none is lost.
    assert statuses == [302] * (EDITORS * SAVES)
    result = live.manage(env, "shell", "-c", ROLES)
    roles = json.loads(result.stdout.strip().splitlines()[-1])
    for index, contact in enumerate(contacts[:EDITORS]):
        written = {
            f"Koordination {editor}/{save}"
            for editor in range(index, EDITORS, len(contacts))
            for save in range(SAVES)
        }
        assert roles[str(contact["id"])] in written

    if live_db.sqlite_path is not None:
        with sqlite3.connect(live_db.sqlite_path) as database:
            (mode,) = database.execute("PRAGMA journal_mode").fetchone()
        assert mode == "wal"
