"""Where a request's time goes: `python -m bench.profile PATH [--size N] [--requests 50]`.

Profiles repeated in-process requests with pyinstrument on the cached benchmark data
(response cache off, so every request does the real work) and prints the call tree.
"""

import argparse
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    from bench.run import PostgresData, SQLiteData, data_key

    url = os.environ.get("DATABASE_URL", "")
    data = PostgresData(url) if url.startswith("postgres") else SQLiteData()
    os.environ["DATABASE_URL"] = data.database_url(args.size, data_key())
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["HUB_RESPONSE_CACHE"] = "0"

    import django

    django.setup()
    from django.test import Client

    from pyinstrument import Profiler

    client = Client()
    status = client.get(args.path).status_code
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.requests):
            client.get(args.path)
    print(f"{args.path}: HTTP {status}, {args.requests} requests")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
