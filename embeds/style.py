"""Strictly validated look of an embed: colours and font chosen by the partner."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

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
