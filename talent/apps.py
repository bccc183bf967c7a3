from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Vivier et anciens candidats")

    def ready(self) -> None:
        from applications import documents, privacy, services
        from talent import index, tasks
        from volunteers import services as volunteer_services

        documents.STORED.append(tasks.documents_stored)
        services.SUBMITTED.append(tasks.volunteer_changed)
        volunteer_services.SAVED.append(tasks.volunteer_changed)
        privacy.ERASERS.append(index.search_profile_erase)
