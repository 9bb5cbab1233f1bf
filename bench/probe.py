"""Steady-state queries, status and body size per path, measured in-process.

`python -m bench.probe [--save-first FILE] PATH…`

Run by `bench/run.py` with the benchmark's settings and database; prints JSON. Each path
is requested twice and the second request counts, so one-off work (the site root paths
Wagtail caches) does not inflate the figure. `reset_queries()` comes first because the
`request_started` signal would otherwise clear the log mid-capture.
"""

import json
import os
import sys


def probe(paths: list[str], save_first: str | None = None) -> dict[str, dict]:
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    results = {}
    for path in paths:
        for _ in range(2):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
                body = (
                    b"".join(response.streaming_content)
                    if response.streaming
                    else response.content
                )
        if save_first and path == paths[0] and response.status_code == 200:
            with open(save_first, "wb") as file:
                file.write(body)
        results[path] = {
            "status": response.status_code,
            "bytes": len(body),
            "queries": len(queries),
            "content_type": response.get("Content-Type", ""),
        }
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    arguments = sys.argv[1:]
    save = None
    if arguments[:1] == ["--save-first"]:
        save, arguments = arguments[1], arguments[2:]
    json.dump(probe(arguments, save), sys.stdout)
