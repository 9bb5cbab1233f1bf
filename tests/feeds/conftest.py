import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FEED_FORMATS = ["rss", "atom", "json"]
SECTIONS = ["all", "events", "press", "programmes", "newsletters"]


@pytest.fixture
def fetch(client):
    """GET a feed, asserting it answered 200."""

    def fetch(url: str, **extra):
        response = client.get(url, **extra)
        assert response.status_code == 200, response.content[:500]
        return response

    return fetch


def jing_errors(document: bytes, tmp_path: Path) -> str:
    """Errors of `jing` against RFC 4287's schema; skip only where jing may be missing."""
    if shutil.which("jing") is None:
        if os.environ.get("CI"):
            pytest.fail("jing is required under CI (apt-get install jing)")
        pytest.skip("jing is not installed (Debian package `jing`); CI installs it")
    path = tmp_path / "feed.atom"
    path.write_bytes(document)
    result = subprocess.run(  # noqa: S603
        ["jing", "-c", str(HERE / "atom.rnc"), str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout.strip()
