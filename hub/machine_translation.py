"""DeepL for the hub's languages, behind wagtail-localize's machine-translator interface.

wagtail-localize's `DeepLTranslator` sends the primary subtag in upper case: `EN` (which
DeepL wants as `EN-GB` or `EN-US`) and `DE` for Leichte Sprache. The hub's languages
table says which DeepL target each language has (`Language.deepl_target`); German, the
source, and Leichte Sprache, which people write, have none and are never offered.
Machine output only fills the segments of a draft: publishing stays with an editor.
"""

from typing import Any

from wagtail.models import Locale

from wagtail_localize.machine_translators.deepl import DeepLTranslator

from hub import languages


def deepl_target(locale: Locale) -> str | None:
    """DeepL's `target_lang` for a locale; None: not to be machine translated."""
    try:
        return languages.by_tag(locale.language_code).deepl_target
    except languages.UnknownLanguage:
        return None


def is_source(locale: Locale) -> bool:
    try:
        return languages.by_tag(locale.language_code).is_source
    except languages.UnknownLanguage:
        return False


class HubDeepLTranslator(DeepLTranslator):
    display_name = "DeepL"

    def get_parameters(
        self, source_locale: Locale, target_locale: Locale, strings: Any
    ) -> dict[str, Any]:
        parameters: dict[str, Any] = super().get_parameters(
            source_locale, target_locale, strings
        )
        target = deepl_target(target_locale)
        if target is None:
            raise ValueError(
                f"DeepL does not translate into {target_locale.language_code!r}."
            )
        parameters["target_lang"] = target
        return parameters

    def can_translate(self, source_locale: Locale, target_locale: Locale) -> bool:
        """Only from German, only into a language with a DeepL target."""
        return is_source(source_locale) and deepl_target(target_locale) is not None
