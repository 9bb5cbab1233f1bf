"""`python -m examples.partner_mirror sync | watch | serve-webhooks` (see README.md)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

import requests

from .hub import Hub, HubError
from .mirror import PAGE_SIZE, Mirror
from .store import Conflict, Store
from .webhooks import SyncWorker, WebhookServer

logger = logging.getLogger("partner_mirror")

FILTERS = ("type", "city", "target_group", "topic")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S"
    )
    return int(args.command(args) or 0)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m examples.partner_mirror",
        description="Keep an exact SQLite copy of the hub's content.",
    )
    commands = root.add_subparsers(required=True, metavar="command")
    sync = commands.add_parser("sync", help="bring the copy up to date once")
    watch = commands.add_parser("watch", help="sync every --interval seconds")
    serve = commands.add_parser(
        "serve-webhooks", help="receive signed webhooks and sync on each change"
    )
    for command in (sync, watch, serve):
        command.add_argument("--hub", required=True, help="e.g. http://127.0.0.1:8000")
        command.add_argument("--db", required=True, help="the SQLite file of the copy")
        for name in FILTERS:
            command.add_argument(
                f"--{name.replace('_', '-')}",
                dest=name,
                help=f"{name} filter (comma-separated slugs); changing it rebuilds the copy",
            )
        command.add_argument("--page-size", type=int, default=PAGE_SIZE)
    sync.set_defaults(command=run_sync)
    watch.add_argument("--interval", type=float, default=60)
    watch.set_defaults(command=run_watch)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=9000)
    serve.add_argument(
        "--secret",
        default=os.environ.get("HUB_WEBHOOK_SECRET"),
        help="the endpoint's whsec_… secret (default: $HUB_WEBHOOK_SECRET)",
    )
    serve.add_argument(
        "--interval",
        type=float,
        default=900,
        help="also sync every INTERVAL seconds, in case a delivery is lost",
    )
    serve.set_defaults(command=run_serve)
    return root


def mirror(args: argparse.Namespace) -> Mirror:
    filters = {name: getattr(args, name) for name in FILTERS if getattr(args, name)}
    return Mirror(Hub(args.hub), Store(args.db), filters, page_size=args.page_size)


def sync_once(copy: Mirror) -> bool:
    try:
        result = copy.sync()
    except (HubError, Conflict, requests.RequestException) as error:
        logger.error("Sync failed: %s", error)
        return False
    logger.info(
        "%s: %d changed, %d deleted, %d requests; %d items in the copy",
        "New copy" if result.full else "Synced",
        result.upserted,
        result.deleted,
        result.requests,
        copy.store.count(),
    )
    return True


def run_sync(args: argparse.Namespace) -> int:
    return 0 if sync_once(mirror(args)) else 1


def run_watch(args: argparse.Namespace) -> int:
    copy = mirror(args)
    try:
        while True:
            sync_once(copy)
            time.sleep(args.interval)
    except KeyboardInterrupt:
        return 0


def run_serve(args: argparse.Namespace) -> int:
    if not args.secret:
        logger.error("--secret (or HUB_WEBHOOK_SECRET) is required")
        return 2
    worker = SyncWorker(lambda: mirror(args), interval=args.interval)
    server = WebhookServer(
        (args.host, args.port),
        args.secret,
        Store(args.db),
        on_item_event=lambda payload: worker.request(),
    )
    worker.start()
    logger.info("Receiving webhooks on http://%s:%d/", args.host, args.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
