"""Factories for pages and snippets; pages need a `parent` (e.g. the demo section index)."""

import datetime as dt

import factory
import wagtail_factories

from pages import models, snippets


class CityFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Teststadt {n}")

    class Meta:
        model = snippets.City


class TargetGroupFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Zielgruppe {n}")

    class Meta:
        model = snippets.TargetGroup


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")

    class Meta:
        model = snippets.Topic


class ContactPersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Person {n}")
    phone = "02336 93-0000"
    email = factory.Sequence(lambda n: f"person{n}@example.org")

    class Meta:
        model = snippets.ContactPerson


class VenueFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Ort {n}")
    street = "Hauptstraße 1"
    postcode = "58332"
    town = "Schwelm"

    class Meta:
        model = snippets.Venue


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Veranstaltung {n}")
    teaser = "Kurzbeschreibung"
    status = "scheduled"
    city = factory.SubFactory(CityFactory)

    class Meta:
        model = models.EventPage


class EventOccurrenceFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(EventPageFactory)
    start_date = dt.date(2030, 5, 1)

    class Meta:
        model = models.EventOccurrence


class ProgrammePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Programm {n}")
    teaser = "Kurzbeschreibung"

    class Meta:
        model = models.ProgrammePage


class PressReleasePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pressemitteilung {n}")
    teaser = "Kurzbeschreibung"
    date = dt.date(2030, 1, 15)

    class Meta:
        model = models.PressReleasePage


class NewsletterIssuePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Newsletter {n}")
    issue = factory.Sequence(lambda n: f"{n}/2030")
    date = dt.date(2030, 2, 1)

    class Meta:
        model = models.NewsletterIssuePage
