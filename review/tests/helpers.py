"""What the admin tests share: the changelist, signing in, and the stage-move action."""

from django.urls import reverse

CHANGELIST = reverse("admin:applications_application_changelist")


def as_user(client, user):
    client.force_login(user)
    return client


def move(client, applications, **data):
    payload = {
        "action": "move_stage",
        "_selected_action": [a.pk for a in applications],
        "confirm": "1",
        **data,
    }
    return client.post(CHANGELIST, payload, follow=True)
