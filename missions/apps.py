from django.apps import AppConfig
from django.core.signals import request_finished
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from missions.counters import counts_send_if_due

        # A worker's page counts reach the cache after any request, once they are due.
        request_finished.connect(counts_send_if_due, dispatch_uid="missions.counts_send")
