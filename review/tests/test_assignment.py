"""Assignment: a manager takes applications, and the "mine" filter finds them."""

import pytest

from applications.models import Application
from applications.tests.factories import submitted
from review.roles import MANAGERS
from review.tests.factories import staff
from review.tests.helpers import CHANGELIST, as_user
from volunteers.models import User

pytestmark = pytest.mark.django_db


def test_a_manager_assigns_and_the_mine_filter_finds_them(client, mission):
    as_user(client, staff(MANAGERS, "rh@example.org"))
    mine, other = submitted(mission), submitted(mission)

    client.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [mine.pk]})
    html = client.get(CHANGELIST, {"assigned": "mine"}).content.decode()

    assert mine.reference in html and other.reference not in html
    assert Application.objects.get(pk=mine.pk).assigned_to == User.objects.get(
        email="rh@example.org"
    )
