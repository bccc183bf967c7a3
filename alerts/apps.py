from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alertes de missions")

    def ready(self) -> None:
        from alerts.services import alerts_erase, alerts_of
        from volunteers.erasure import ACCOUNT_ERASERS, ARCHIVE_SECTIONS

        if alerts_erase not in ACCOUNT_ERASERS:
            ACCOUNT_ERASERS.append(alerts_erase)
        ARCHIVE_SECTIONS["alerts"] = alerts_of
