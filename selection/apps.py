from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Co-sélection avec les partenaires")

    def ready(self) -> None:
        from selection.privacy import partner_accesses
        from volunteers.erasure import ARCHIVE_SECTIONS

        ARCHIVE_SECTIONS["partner_accesses"] = partner_accesses
