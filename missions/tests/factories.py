import factory

from missions.models import Mission, Programme, Question
from testing.clock import days


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
    # From the tests' "now" (testing.clock): open for four months, starting in six.
    start_date = factory.LazyFunction(lambda: days(187))
    training_start = factory.LazyFunction(lambda: days(158))
    training_end = factory.LazyFunction(lambda: days(162))
    published_on = factory.LazyFunction(lambda: days(-25))
    deadline_date = factory.LazyFunction(lambda: days(125))
    contact_email = "candidatures@example.org"
    application_subject = factory.LazyAttribute(lambda m: f"{m.reference} – {m.title}")
    summary = "Appui aux partenaires locaux de la mission."


class QuestionFactory(factory.django.DjangoModelFactory):
    """A mission's own short-text question (linked to the mission when saved)."""

    class Meta:
        model = Question

    mission = factory.SubFactory(MissionFactory)
    kind = Question.Kind.SHORT_TEXT
    label_fr = factory.Sequence(lambda n: f"Question {n}")
    label_en = factory.Sequence(lambda n: f"Question {n} (en)")
    order = factory.Sequence(lambda n: n)
