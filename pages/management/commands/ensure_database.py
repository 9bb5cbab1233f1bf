"""`manage.py ensure_database`: create the PostgreSQL database DATABASE_URL names when
the server has none of that name (run by `make migrate` and `make serve`)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

import psycopg
from psycopg import errors, sql

MAINTENANCE_DATABASE = "postgres"


class Command(BaseCommand):
    help = (
        "Creates the PostgreSQL database of DATABASE_URL when it does not exist yet "
        "(through the server's 'postgres' database, with the same credentials)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            return  # SQLite makes its file on the first connection
        params = connection.get_connection_params()
        name = params["dbname"]
        where = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
        try:
            with psycopg.connect(**params, connect_timeout=10):
                return
        except errors.InvalidCatalogName:
            pass  # the server answered: no database of that name
        except psycopg.OperationalError as error:
            if not _means_missing_database(error, name):
                raise CommandError(
                    f"PostgreSQL at {where} refused the connection: {_summary(error)}"
                ) from None
        self._create(params, name, where)

    def _create(self, params: dict[str, Any], name: str, where: str) -> None:
        user = params.get("user") or "postgres"
        maintenance = {**params, "dbname": MAINTENANCE_DATABASE}
        try:
            with psycopg.connect(
                **maintenance, autocommit=True, connect_timeout=10
            ) as server:
                server.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
                )
        except errors.DuplicateDatabase:
            return  # made by someone else meanwhile
        except psycopg.Error as error:
            raise CommandError(
                f'Database "{name}" does not exist at {where} and could not be '
                f"created ({_summary(error)}); create it as a PostgreSQL superuser: "
                f"createdb -h {params.get('host') or 'localhost'} -O {user} {name}"
            ) from None
        self.stdout.write(f'Created database "{name}" at {where}.')


def _means_missing_database(error: psycopg.OperationalError, name: str) -> bool:
    """A failed connection carries no SQLSTATE, only libpq's message."""
    return f'database "{name}" does not exist' in str(error)


def _summary(error: Exception) -> str:
    """The error on one line."""
    return " ".join(str(error).split()) or type(error).__name__
