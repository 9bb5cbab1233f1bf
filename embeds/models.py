"""Which partner websites may embed the hub's lists (edited under Einstellungen)."""

import contextlib
import re

from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

ORIGIN_RE = re.compile(r"^https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?$")


def parse_origins(text: str) -> list[str]:
    """One origin per line (scheme://host[:port]); raise ValidationError naming bad lines."""
    origins, bad = [], []
    for line in text.splitlines():
        candidate = line.strip().lower().removesuffix("/")
        if not candidate:
            continue
        port = candidate.rpartition(":")[2]
        if not ORIGIN_RE.match(candidate) or (
            candidate.count(":") == 2 and not 0 < int(port) < 65536
        ):
            bad.append(line.strip())
        elif candidate not in origins:
            origins.append(candidate)
    if bad:
        raise ValidationError(
            "Keine gültige Adresse: %(lines)s. Bitte je Zeile nur Schema, Host und "
            "gegebenenfalls Port angeben, z. B. „https://www.witten.de“ – ohne Pfad.",
            params={"lines": ", ".join(f"„{line[:80]}“" for line in bad)},
        )
    return origins


def validate_origins(text: str) -> None:
    parse_origins(text)


@register_setting(icon="code")
class EmbedSettings(BaseGenericSetting):
    """Which partner websites may show the hub's embeds (framing and fetching)."""

    allowed_origins = models.TextField(
        "Erlaubte Partner-Websites",
        blank=True,
        validators=[validate_origins],
        help_text="Eine Adresse je Zeile, z. B. „https://www.witten.de“. Nur diese "
        "Websites dürfen die Listen des Integrationszentrums einbetten (iframe) oder "
        "per Skript laden.",
    )

    panels = [
        HelpPanel(
            "Die Einbettungs-Codes erstellen Sie unter „Einbettung für Partner“. "
            "Änderungen gelten nach spätestens einer Minute."
        ),
        FieldPanel("allowed_origins"),
    ]

    class Meta:
        # Created by pages 0003; embeds 0001 took the model over in state only.
        db_table = "pages_embedsettings"
        verbose_name = "Einbettung auf Partnerseiten"
        verbose_name_plural = "Einbettung auf Partnerseiten"

    def clean(self):
        super().clean()
        with contextlib.suppress(ValidationError):  # the field's validator reports it
            self.allowed_origins = "\n".join(parse_origins(self.allowed_origins))

    @property
    def origins(self) -> list[str]:
        return parse_origins(self.allowed_origins)
