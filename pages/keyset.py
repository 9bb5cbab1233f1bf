"""Keyset ("seek") paging: the rows after, or before, one row of an ordered list.

An ordering is a tuple of field names (`pages.sections.Ordering`, a leading `-` for
descending) that ends in `pk`, so it orders every row; a row's *key* is its values of
those fields. NULL sorts as the largest value on every database (PostgreSQL's default,
not SQLite's): `order_by` says so explicitly, and `beyond` compares the same way, so the
rows beyond a key are exactly those an offset page would list after it.

SQLite keeps a datetime as text, in Django's spelling (`.123456`) or the database
clock's (`Now()`: `.123`), and compares the text: there a datetime's key is its text as
stored (`comparable`), so the row a key was read from compares equal to it.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, F, Field, OrderBy, Q, QuerySet, TextField
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Cast

Key = tuple[Any, ...]


def order_by(ordering: Sequence[str]) -> list[OrderBy]:
    """The ordering as expressions, NULL last ascending and first descending."""
    return [_order_by(name.lstrip("-"), name.startswith("-")) for name in ordering]


def _order_by(field: str, descending: bool) -> OrderBy:
    if field == "pk":  # never NULL
        return F(field).desc() if descending else F(field).asc()
    return (
        F(field).desc(nulls_first=True) if descending else F(field).asc(nulls_last=True)
    )


def compares_as_text(field: Field) -> bool:
    """Whether the database compares `field`'s values as the text it stores."""
    return connection.vendor == "sqlite" and isinstance(field, DateTimeField)


def comparable(queryset: QuerySet, name: str) -> BaseExpression | F:
    """An ordering field of `queryset` as its key compares it (`compares_as_text`)."""
    resolved = queryset.query.clone().resolve_ref(name)
    if compares_as_text(resolved.output_field):
        return Cast(F(name), TextField())
    return F(name)


def reverse(ordering: Sequence[str]) -> tuple[str, ...]:
    """The same ordering backwards (`order_by` of it is exactly the reverse order)."""
    return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in ordering)


def beyond(ordering: Sequence[str], key: Key) -> Q:
    """The rows that come after `key` in `ordering` (strictly: not the row itself).

    Before a key is beyond it in `reverse(ordering)`.
    """
    if len(key) != len(ordering):
        raise ValueError(f"a key of {len(ordering)} values, not {len(key)}")
    condition = Q(pk__in=[])
    equal = Q()
    for name, value in zip(ordering, key, strict=True):
        field = name.lstrip("-")
        after = _after(field, value, descending=name.startswith("-"))
        if after is not None:
            condition |= equal & after
        equal &= (
            Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})
        )
    return condition


def _after(field: str, value: Any, *, descending: bool) -> Q | None:
    """One field's values after `value` (NULL being the largest); None: there are none."""
    if value is None:
        return Q(**{f"{field}__isnull": False}) if descending else None
    if descending:
        return Q(**{f"{field}__lt": value})
    return Q(**{f"{field}__gt": value}) | Q(**{f"{field}__isnull": True})
