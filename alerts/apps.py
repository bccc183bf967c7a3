from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alertes de missions")

    def ready(self) -> None:
        from alerts.services import alerts_erase
        from volunteers.erasure import ACCOUNT_ERASERS

        if alerts_erase not in ACCOUNT_ERASERS:
            ACCOUNT_ERASERS.append(alerts_erase)
