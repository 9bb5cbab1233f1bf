"""Benchmark: data generator, references and the `make bench` harness (see README)."""

# Fields the stock Wagtail API v2 reference is asked for, comparable to /api/v1/events/.
V2_FIELDS = (
    "subtitle",
    "series",
    "teaser",
    "status",
    "first_published_at",
    "last_published_at",
    "city",
    "venue",
    "occurrences",
    "target_groups",
    "topics",
    "registration_required",
    "registration_url",
)
# The same without nested relations: what stock v2 costs when nothing is joined.
V2_FLAT_FIELDS = (
    "subtitle",
    "series",
    "teaser",
    "status",
    "first_published_at",
    "last_published_at",
    "registration_required",
    "registration_url",
)
