"""The export actions added to the applications list in the admin: managers only."""

import pytest
from django.urls import reverse

from applications.models import ExportLog
from review.roles import MANAGERS, REVIEWERS
from review.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_managers_reach_every_mission_and_export_from_the_admin(client, francoise):
    manager = staff(MANAGERS, "rh@example.org")
    client.force_login(manager)

    assert client.get(reverse("coordination:mission", args=["EXP1"])).status_code == 200
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [francoise.pk]},
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert "EXP1-0001" in body
    assert ExportLog.objects.get().user == manager


def test_reviewers_cannot_export(client, francoise):
    client.force_login(staff(REVIEWERS, "rev@example.org"))

    assert client.get(reverse("coordination:mission", args=["EXP1"])).status_code == 404
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [francoise.pk]},
    )
    assert not response.streaming and not ExportLog.objects.exists()
