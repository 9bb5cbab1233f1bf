"""What every public template may read."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import translation

from . import sections
from .snippets import source_language


@dataclass(frozen=True)
class NavigationLink:
    path: str
    title: str


def navigation(request: HttpRequest) -> dict[str, object]:
    """The main navigation (`pages.sections.NAVIGATION`) and the home page in the
    reader's language: its index pages under the language's prefix (every offered
    language has them, `pages.translations`), labelled in the language."""
    language = translation.get_language() or source_language()
    prefix = "" if language == source_language() else f"/{language}"
    return {
        "navigation": tuple(
            NavigationLink(
                prefix + section.path, translation.gettext(section.nav_title)
            )
            for section in sections.NAVIGATION
        ),
        "home_path": prefix + "/",
    }
