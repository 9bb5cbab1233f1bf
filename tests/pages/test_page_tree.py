from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from pages.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    NewsletterIndexPage,
    NewsletterIssuePage,
    PressIndexPage,
    PressReleasePage,
    ProgrammeIndexPage,
    ProgrammePage,
)


class PageTreeTests(WagtailPageTestCase):
    def test_home_holds_exactly_the_four_sections(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {ProgrammeIndexPage, EventIndexPage, PressIndexPage, NewsletterIndexPage},
        )
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_each_section_holds_only_its_items(self):
        for index, item in [
            (ProgrammeIndexPage, ProgrammePage),
            (EventIndexPage, EventPage),
            (PressIndexPage, PressReleasePage),
            (NewsletterIndexPage, NewsletterIssuePage),
        ]:
            with self.subTest(index=index.__name__):
                self.assertAllowedSubpageTypes(index, {item})
                self.assertAllowedParentPageTypes(index, {HomePage})
                self.assertAllowedParentPageTypes(item, {index})
                self.assertAllowedSubpageTypes(item, set())

    def test_home_and_sections_are_singletons(self):
        home = HomePage.objects.get(locale__language_code="de")
        for model in (HomePage, ProgrammeIndexPage, EventIndexPage, PressIndexPage):
            with self.subTest(model=model.__name__):
                self.assertEqual(model.max_count, 1)
                self.assertFalse(model.can_create_at(home))

    def test_sections_live_under_german_paths(self):
        home = HomePage.objects.get(locale__language_code="de")
        paths = sorted(page.url for page in home.get_children())
        self.assertEqual(
            paths, ["/newsletter/", "/presse/", "/programme/", "/veranstaltungen/"]
        )
