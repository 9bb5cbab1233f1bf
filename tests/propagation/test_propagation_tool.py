"""`make propagation`'s tool, run as a user runs it: a few changes on the SQLite default.

The tool starts two servers, a worker and a writer of its own; the report it writes
must hold every change, each shown on every surface of both servers, and no answer
asked for after a commit may still show the old state.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import ROOT

pytestmark = pytest.mark.live

CHANGES = 5


def test_a_few_changes_reach_every_surface_of_both_servers(tmp_path: Path):
    result = subprocess.run(  # noqa: S603 - our own tool
        [
            sys.executable,
            "-m",
            "bench.propagation",
            "--database",
            "sqlite",
            "--changes",
            str(CHANGES),
            "--warmup",
            "0",
            "--targets",
            "1",
            "--scheduled",
            "0",
            "--no-varnish",
            "--timeout",
            "10",
            "--output",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [report_file] = tmp_path.glob("propagation-*-sqlite.json")
    report = json.loads(report_file.read_text())
    changes = report["changes"]
    assert changes["count"] == CHANGES
    assert changes["propagated"] == CHANGES, changes["not_propagated"]
    assert changes["stale_answers"] == 0
    kinds = [change["kind"] for change in report["per_change"]]
    assert kinds == ["title", "venue", "unpublish", "republish", "restrict"]
    for change in report["per_change"]:
        processes = {label.split(":")[0] for label in change["lags"]}
        assert processes == {"server-1", "server-2"}, change
        assert 0 < change["propagation"] <= 10
    assert changes["seconds"]["max"] == pytest.approx(
        max(change["propagation"] for change in report["per_change"]), abs=1e-3
    )
    summary = report_file.with_suffix(".md").read_text()
    assert "Commit → every surface of every process shows it" in summary
    assert "propagated" in result.stdout
