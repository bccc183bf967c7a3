"""The alerts' admin: read-only, filtered by state, a count of missions sent, one action."""

import pytest
from django.utils import timezone

from alerts import services
from alerts.models import Alert
from alerts.tests.factories import confirmed_alert, published_mission

pytestmark = pytest.mark.django_db


def test_staff_list_filter_and_stop_alerts_but_add_none(admin_client):
    alert = confirmed_alert(country="SN")
    published_mission(host_country="SN")
    services.alerts_send_digests(now=timezone.now())

    listing = admin_client.get("/admin/alerts/alert/", {"state__exact": "active"})
    html = listing.content.decode()
    assert listing.status_code == 200 and "awa@example.org" in html
    assert admin_client.get("/admin/alerts/alert/add/").status_code == 403
    page = admin_client.get(f"/admin/alerts/alert/{alert.pk}/change/").content.decode()
    assert alert.token_hash not in page and alert.confirm_token_hash not in page

    admin_client.post(
        "/admin/alerts/alert/", {"action": "unsubscribe", "_selected_action": [alert.pk]}
    )

    alert.refresh_from_db()
    assert alert.state == Alert.State.UNSUBSCRIBED
