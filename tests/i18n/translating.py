"""Translating a German page the way wagtail-localize's editor does, for the tests."""

from wagtail.models import Locale, Page

from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)


def translate(
    page: Page,
    tag: str,
    *,
    publish: bool = True,
    prefix: str = "",
    strings: bool = True,
) -> Page:
    """Translate every segment of `page` into `tag` (text prefixed with the tag) and save
    the translation, published or as a draft. Publishing happens on commit: wrap the
    call in `django_capture_on_commit_callbacks(execute=True)`. Without `strings`
    nothing is translated yet (the draft shows the German text)."""
    locale = Locale.objects.get(language_code=tag)
    source, _ = TranslationSource.get_or_create_from_instance(page)
    source.update_from_db()
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale
    )
    segments = StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    )
    for segment in segments if strings else []:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": f"{prefix or tag.upper()} {segment.string.data}"},
        )
    translation.save_target(publish=publish)
    return page.get_translation(locale)
