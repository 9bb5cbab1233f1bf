"""What every public template may read."""

from django.http import HttpRequest

from . import sections


def navigation(request: HttpRequest) -> dict[str, tuple[sections.Section, ...]]:
    """The main navigation's sections (`pages.sections.NAVIGATION`)."""
    return {"navigation": sections.NAVIGATION}
