"""The project's URLs: what config/urls.py routes where."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_login_goes_through_the_rate_limited_account_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
