import datetime as dt

import factory

from missions.models import Mission, Programme


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    reference = factory.Sequence(lambda n: f"T{n:05d}")
    title = factory.Sequence(lambda n: f"Chargé·e de mission {n}")
    status = Mission.Status.PUBLISHED
    region = "Afrique"
    host_country = "BJ"
    city = "Cotonou"
    time_zone = "Africa/Porto-Novo"
    duration_months = 12
    start_date = dt.date(2027, 6, 1)
    training_start = dt.date(2027, 5, 3)
    training_end = dt.date(2027, 5, 7)
    published_on = dt.date(2026, 11, 1)
    deadline_date = dt.date(2027, 3, 31)
    contact_email = "candidatures@example.org"
    application_subject = factory.LazyAttribute(lambda m: f"{m.reference} – {m.title}")
    summary = "Appui aux partenaires locaux de la mission."
