"""What an embed looks like: colours and font chosen by the partner (strictly
validated), its heading and its link to the full list in each language."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from hub.languages import Language
from pages import sections

COLOUR_RE = re.compile(r"^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# Font keywords → CSS font stacks; nothing else reaches the stylesheet.
FONTS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    "sans-serif": "Arial, Helvetica, sans-serif",
    "serif": 'Georgia, "Times New Roman", serif',
    "inherit": "inherit",
}
STYLE_PARAMETERS = frozenset({"accent", "text", "background", "font"})
# Parameters of the embed itself, next to the contract's filters.
EMBED_PARAMETERS = STYLE_PARAMETERS | {"format", "title", "heading"}
FORMATS = ("html", "fragment")
# Each list's heading and its link to the full list in the reader's language; the
# msgids are the German wording (`short_title` of pages/sections.py).
HEADINGS = {
    "events": (
        gettext_lazy("Veranstaltungen"),
        gettext_lazy("Alle Veranstaltungen beim Kommunalen Integrationszentrum"),
    ),
    "press": (
        gettext_lazy("Pressemitteilungen"),
        gettext_lazy("Alle Pressemitteilungen beim Kommunalen Integrationszentrum"),
    ),
    "programmes": (
        gettext_lazy("Programme"),
        gettext_lazy("Alle Programme beim Kommunalen Integrationszentrum"),
    ),
    "newsletters": (
        gettext_lazy("Newsletter"),
        gettext_lazy("Alle Newsletter beim Kommunalen Integrationszentrum"),
    ),
}


def index_path_in(listed: sections.Section, language: Language) -> str:
    """The public index of a section in `language`: `/ar/veranstaltungen/`."""
    return listed.path if language.is_source else f"/{language.tag}{listed.path}"


class InvalidStyle(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class EmbedStyle:
    accent: str = ""
    text: str = ""
    background: str = ""
    font: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "EmbedStyle":
        errors: dict[str, str] = {}
        values: dict[str, str] = {}
        for name in ("accent", "text", "background"):
            raw = params.get(name, "").strip()
            if not raw:
                continue
            if not COLOUR_RE.match(raw):
                errors[name] = (
                    f"„{name}“ muss eine Farbe in Hex-Schreibweise sein, "
                    "z. B. 00567a oder #00567a."
                )
                continue
            values[name] = "#" + raw.lstrip("#").lower()
        font = params.get("font", "").strip()
        if font and font not in FONTS:
            errors["font"] = f"„font“ muss einer dieser Werte sein: {', '.join(FONTS)}."
        elif font:
            values["font"] = font
        if errors:
            raise InvalidStyle(errors)
        return cls(**values)

    def css_variables(self) -> str:
        """Declarations for a style attribute; values are validated above, never raw."""
        declarations = []
        if self.accent:
            declarations.append(f"--hub-accent:{self.accent}")
        if self.text:
            declarations.append(f"--hub-text:{self.text}")
        if self.background:
            declarations.append(f"--hub-bg:{self.background}")
        if self.font:
            declarations.append(f"--hub-font:{FONTS[self.font]}")
        return ";".join(declarations)

    def key(self) -> str:
        return f"{self.accent}|{self.text}|{self.background}|{self.font}"
