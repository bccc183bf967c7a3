"""A person's alerts go with their account's erasure."""

import pytest

from alerts.models import Alert
from alerts.tests.factories import confirmed_alert
from applications.privacy import account_erase
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_erased_account_takes_its_alerts_with_it_whoever_made_them():
    user = UserFactory(email="awa@example.org")
    confirmed_alert("awa@example.org")  # signed up while signed out: by address only
    confirmed_alert("kofi@example.org")

    account_erase(user=user, reason="demande de la candidate")

    assert list(Alert.objects.values_list("email", flat=True)) == ["kofi@example.org"]
