"""The digest: the catalogue's own search finds the missions, only those first published since
the last run, open ones, once each, in one e-mail in the subscriber's language."""

import datetime as dt

import pytest
from django.utils import timezone

from alerts import services
from alerts.models import Alert, SentMission
from alerts.tests.factories import confirmed_alert, published_mission
from missions.models import Mission
from missions.tests.factories import ProgrammeFactory
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def digests() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="alert_digest").order_by("pk"))


def sent_references(message: OutboxMessage) -> list[str]:
    return sorted(item["reference"] for item in message.context["missions"])


@pytest.fixture
def catalogue() -> dict[str, Mission]:
    """Four missions, each differing from the first by one filter."""
    pvd = ProgrammeFactory(slug="pvd", name="Programme volontariat et développement")
    base = published_mission(reference="BJ-VSI", host_country="BJ", volunteer_status="vsi",
                             title="Appui à l'élevage pastoral")  # fmt: skip
    base.programmes.add(pvd)
    return {
        "base": base,
        "country": published_mission(reference="TG-VSI", host_country="TG", volunteer_status="vsi", title="Appui à l'élevage pastoral"),
        "framework": published_mission(reference="BJ-VIE", host_country="BJ", volunteer_status="vie", title="Appui à l'élevage pastoral"),
        "words": published_mission(reference="BJ-ECOLE", host_country="BJ", volunteer_status="vsi", title="Animation scolaire"),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ({}, ["BJ-ECOLE", "BJ-VIE", "BJ-VSI", "TG-VSI"]),
        ({"country": "BJ"}, ["BJ-ECOLE", "BJ-VIE", "BJ-VSI"]),
        ({"programme": "pvd"}, ["BJ-VSI"]),
        ({"framework": "vie"}, ["BJ-VIE"]),
        ({"q": "élevage"}, ["BJ-VIE", "BJ-VSI", "TG-VSI"]),
        ({"q": "élevage", "country": "BJ", "framework": "vsi"}, ["BJ-VSI"]),
        ({"q": "Togo élevage"}, ["TG-VSI"]),  # a country's name, as the catalogue finds it
    ],
)
def test_the_alert_finds_what_the_catalogue_finds_with_the_same_filters(
    catalogue, search, expected
):
    confirmed_alert(**search)

    assert services.alerts_send_digests(now=timezone.now()) == 1

    (digest,) = digests()
    assert sent_references(digest) == expected


def test_a_search_matching_nothing_new_sends_nothing(catalogue):
    alert = confirmed_alert(country="SN")

    assert services.alerts_send_digests(now=timezone.now()) == 0

    assert digests() == []
    alert.refresh_from_db()
    assert alert.last_run_at is not None and alert.last_sent_at is None


def test_only_missions_first_published_since_the_last_run_are_sent_and_each_once():
    now = timezone.now()
    published_mission(reference="BEFORE", at=now - dt.timedelta(days=3))  # before confirmation
    published_mission(reference="FIRST", at=now - dt.timedelta(hours=5))
    alert = confirmed_alert(at=now - dt.timedelta(days=2))

    services.alerts_send_digests(now=now)
    assert services.alerts_send_digests(now=now + dt.timedelta(hours=2)) == 0  # not due yet
    published_mission(reference="SECOND", at=now + dt.timedelta(hours=3))
    services.alerts_send_digests(now=now + dt.timedelta(days=1))

    first, second = digests()
    assert sent_references(first) == ["FIRST"]
    assert sent_references(second) == ["SECOND"]
    assert SentMission.objects.filter(alert=alert).count() == 2


def test_closed_draft_archived_and_past_deadline_missions_are_not_sent():
    now = timezone.now()
    published_mission(reference="OPEN")
    for reference, status in [("CLOSED", "closed"), ("DRAFT", "draft"), ("ARCHIVED", "archived")]:
        mission = published_mission(reference=reference)
        Mission.objects.filter(pk=mission.pk).update(status=status)
    published_mission(reference="PAST", deadline_date=timezone.localdate() - dt.timedelta(days=1))
    confirmed_alert()

    services.alerts_send_digests(now=now)

    (digest,) = digests()
    assert sent_references(digest) == ["OPEN"]


def test_a_mission_published_by_the_service_is_new_for_the_alerts(django_user_model):
    now = timezone.now()
    confirmed_alert()
    mission = published_mission(reference="LATER")
    Mission.objects.filter(pk=mission.pk).update(status="draft", published_at=None)
    staff = django_user_model.objects.create(email="rh@example.org", is_staff=True)

    from missions.services import missions_set_status

    missions_set_status(
        missions=Mission.objects.filter(pk=mission.pk), status="published", acting_user=staff
    )
    services.alerts_send_digests(now=now + dt.timedelta(minutes=1))

    (digest,) = digests()
    assert sent_references(digest) == ["LATER"]


def test_a_weekly_alert_waits_a_week_after_its_last_run():
    now = timezone.now()
    confirmed_alert(frequency=Alert.Frequency.WEEKLY)
    published_mission(reference="ONE")
    services.alerts_send_digests(now=now)
    published_mission(reference="TWO", at=now + dt.timedelta(hours=1))

    assert services.alerts_send_digests(now=now + dt.timedelta(days=3)) == 0
    assert services.alerts_send_digests(now=now + dt.timedelta(days=7)) == 1

    assert [sent_references(d) for d in digests()] == [["ONE"], ["TWO"]]


def test_unsubscribed_and_unconfirmed_alerts_get_nothing():
    now = timezone.now()
    published_mission()
    services.alert_unsubscribe(alert=confirmed_alert("a@example.org"), now=now)
    services.alert_subscribe(
        email="b@example.org", search={}, frequency="daily", language="fr", user=None, now=now
    )

    assert services.alerts_send_digests(now=now) == 0


def test_the_digest_is_one_message_in_the_subscribers_language_with_links_to_apply_and_unsubscribe(
    settings,
):
    settings.SITE_URL = "https://volontiers.example.org"
    published_mission(reference="3S2001", title="Appui aux coopératives", host_country="SN",
                      deadline_date=timezone.localdate() + dt.timedelta(days=40), time_zone="Africa/Dakar")  # fmt: skip
    confirmed_alert(language="en", country="SN")

    services.alerts_send_digests(now=timezone.now())

    (digest,) = digests()
    assert digest.language == "en"
    (item,) = digest.context["missions"]
    assert item["url"] == "https://volontiers.example.org/en/missions/3S2001/?source=alert"
    assert item["country"] == "Senegal"
    assert item["deadline"] == (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    assert digest.context["unsubscribe_url"].startswith(
        "https://volontiers.example.org/en/alertes/desabonner/"
    )
    assert digest.headers == {
        "List-Unsubscribe": "<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_a_long_digest_lists_the_first_missions_and_links_to_the_catalogue_for_the_others(
    monkeypatch,
):
    monkeypatch.setattr(services, "DIGEST_MAX", 2)
    for i in range(3):
        published_mission(reference=f"SN{i}", host_country="SN")
    confirmed_alert(country="SN")

    services.alerts_send_digests(now=timezone.now())

    (digest,) = digests()
    assert len(digest.context["missions"]) == 2 and digest.context["more"] is True
    assert digest.context["catalogue_url"].endswith("/missions/?country=SN")
    assert SentMission.objects.count() == 2
    from notifications.emails import render

    assert "D'autres missions correspondent à votre recherche" in render(digest).body


def test_the_task_deletes_alerts_left_unconfirmed_for_a_week():
    from alerts.tasks import send_alert_digests

    now = timezone.now()
    for email, days in [("old@example.org", 8), ("new@example.org", 6)]:
        services.alert_subscribe(email=email, search={}, frequency="daily", language="fr", user=None,
                                 now=now - dt.timedelta(days=days))  # fmt: skip
        Alert.objects.filter(email=email).update(created_at=now - dt.timedelta(days=days))

    send_alert_digests()

    assert list(Alert.objects.values_list("email", flat=True)) == ["new@example.org"]


def test_an_english_alert_finds_a_country_by_its_english_name(catalogue):
    confirmed_alert(q="Benin", language="en")  # "Bénin" in French: only English finds it

    assert services.alerts_send_digests(now=timezone.now()) == 1

    assert sent_references(digests()[0]) == ["BJ-ECOLE", "BJ-VIE", "BJ-VSI"]


def test_the_digest_names_the_programme_not_its_slug(catalogue):
    confirmed_alert(programme="pvd")

    services.alerts_send_digests(now=timezone.now())

    assert digests()[0].context["programme"] == "Programme volontariat et développement"
