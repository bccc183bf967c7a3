from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Vivier et anciens candidats")

    def ready(self) -> None:
        from applications import documents, services
        from talent import index, invitations, tasks
        from volunteers import services as volunteer_services
        from volunteers.erasure import ACCOUNT_ERASERS, ARCHIVE_SECTIONS

        documents.STORED.append(tasks.documents_stored)
        services.SUBMITTED.append(tasks.volunteer_changed)
        services.DELETED.append(index.volunteer_refresh)
        volunteer_services.SAVED.append(tasks.volunteer_changed)
        ACCOUNT_ERASERS.append(index.search_profile_erase)
        ARCHIVE_SECTIONS["invitations"] = invitations.invitations_of
