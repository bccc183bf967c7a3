"""The weekly digest: the last seven days' figures, once a week, to those with the dashboard."""

import datetime as dt

import pytest
from django.utils import timezone

from dashboard.digest import weekly_digests_send
from missions.models import Event
from missions.tallies import local_day, tallies_add
from missions.tests.factories import MissionFactory
from notifications.emails import render_content
from notifications.models import OutboxMessage
from review.roles import MANAGERS, REVIEWERS
from review.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_managers_get_the_weeks_figures_once_with_the_dashboards_link(settings):
    settings.SITE_URL = "https://volontiers.example.org"
    manager = staff(MANAGERS, "manager@example.org")
    staff(REVIEWERS, "reviewer@example.org")  # no dashboard, no digest
    mission = MissionFactory()
    today = local_day(timezone.now())
    tallies_add([
        (mission.pk, today - dt.timedelta(days=1), Event.VIEW, "", 120),
        (mission.pk, today - dt.timedelta(days=7), Event.VIEW, "", 30),
        (mission.pk, today - dt.timedelta(days=8), Event.VIEW, "", 5000),  # the week before
        (mission.pk, today, Event.VIEW, "", 7000),  # today: next week's
        (mission.pk, today - dt.timedelta(days=2), Event.SUBMITTED, "", 9),
        (mission.pk, today - dt.timedelta(days=2), Event.REFUSED, "host_residence", 4),
    ])  # fmt: skip

    assert weekly_digests_send(now=timezone.now()) == 1
    assert weekly_digests_send(now=timezone.now()) == 0  # the same week: nothing more

    message = OutboxMessage.objects.get()
    assert message.to == manager.email
    content = render_content(message.template, message.language, message.context)
    assert content.subject == "Volontiers, la semaine : 9 candidatures, 150 consultations"
    assert "Consultations des missions : 150" in content.text
    assert "Règle refusant le plus : Résidence dans le pays d'accueil (4)" in content.text
    start = (today - dt.timedelta(days=7)).isoformat()
    end = (today - dt.timedelta(days=1)).isoformat()
    link = f"https://volontiers.example.org/admin/dashboard/dashboard/?start={start}&end={end}"
    assert f"Le tableau de bord : {link}" in content.text
    assert f'href="{link.replace("&", "&amp;")}"' in content.html
