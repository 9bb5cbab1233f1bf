"""Tables of the project's plumbing (not content)."""

from django.db import models


class Lease(models.Model):
    """A named lock with an expiry, shared by every process through the database.

    Taken with one conditional UPDATE (`hub.scheduler.acquire`), so it works the same on
    SQLite and PostgreSQL; a holder that dies loses it when `held_until` passes.
    """

    name = models.CharField(max_length=64, primary_key=True)
    holder = models.CharField(max_length=128, blank=True)
    held_until = models.DateTimeField()

    class Meta:
        verbose_name = "Sperre"
        verbose_name_plural = "Sperren"

    def __str__(self) -> str:
        return f"{self.name} ({self.holder or 'frei'})"
