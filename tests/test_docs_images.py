"""The README's and the docs' images exist, and only `make screenshots` writes them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import SCREENSHOTS, screenshot_dir

ROOT = Path(__file__).resolve().parents[1]
# Markdown images ![alt](path) and HTML <img src="path">.
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]*\ssrc=\"([^\"]+)\"")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def referenced_images(document: Path) -> list[str]:
    text = document.read_text(encoding="utf-8")
    return [
        target
        for match in IMAGE.finditer(text)
        if not (target := match[1] or match[2]).startswith(("http://", "https://"))
    ]


def test_finds_the_readmes_screenshots():
    assert "docs/screenshots/admin-events.png" in referenced_images(ROOT / "README.md")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_referenced_image_exists(document):
    missing = [
        target
        for target in referenced_images(document)
        if not (document.parent / target.split("#")[0]).is_file()
    ]
    assert missing == []


def test_screenshots_go_to_docs_only_under_make_screenshots():
    assert screenshot_dir({}) is None
    assert screenshot_dir({"HUB_SCREENSHOTS": "0"}) is None
    assert screenshot_dir({"HUB_SCREENSHOTS": "1"}) == SCREENSHOTS


def test_ordinary_browser_tests_leave_docs_alone():
    # The screenshot module skips without HUB_SCREENSHOTS=1, before any server starts;
    # no other test module names the screenshot directory.
    env = {key: value for key, value in os.environ.items() if key != "HUB_SCREENSHOTS"}
    before = {path: path.stat().st_mtime_ns for path in SCREENSHOTS.iterdir()}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "pytest", "tests/browser/test_screenshots.py"]
        + ["-p", "no:cacheprovider", "-q", "-p", "no:xdist"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "5 skipped" in result.stdout, result.stdout[-2000:]
    assert {path: path.stat().st_mtime_ns for path in SCREENSHOTS.iterdir()} == before
    writers = [
        path.name
        for path in (ROOT / "tests" / "browser").glob("test_*.py")
        if re.search(r"SCREENSHOTS|screenshot_dir|docs/screenshots", path.read_text())
    ]
    assert writers == ["test_screenshots.py"]
