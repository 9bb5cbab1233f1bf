"""Benchmark: data generator, references and the `make bench` harness (see README)."""

# The stock Wagtail API v2 reference without nested relations: what v2 costs unjoined.
V2_FLAT_FIELDS = (
    "subtitle",
    "series",
    "teaser",
    "status",
    "first_published_at",
    "last_published_at",
    "registration_required",
    "registration_url",
    "registration_email",
    "registration_deadline",
    "registration_note",
    "postponed_note",
    "previous_start_date",
    "online_url",
    "audience",
    "participation_note",
)
# Fields the stock v2 reference is asked for, comparable to /api/v1/events/.
V2_FIELDS = (
    *V2_FLAT_FIELDS,
    "city",
    "venue",
    "occurrences",
    "target_groups",
    "topics",
    "image",
    "contacts",
    "attachments",
)
