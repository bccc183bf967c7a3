"""The export actions on the applications list (added to review's ApplicationAdmin), and the
log of every export (Journal des exports)."""

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ExportLog
from coordination.views import export_response
from missions.models import Mission
from review.admin import ApplicationAdmin


def export(
    request: HttpRequest, queryset: QuerySet[Application], export_format: str
) -> HttpResponseBase:
    """The selection as one export, logged; named after its mission when it has only one."""
    missions = set(queryset.values_list("mission", flat=True).distinct()[:2])
    mission = Mission.objects.get(pk=missions.pop()) if len(missions) == 1 else None
    selection = Application.objects.filter(pk__in=queryset.values("pk"))
    return export_response(request, selection, export_format=export_format, mission=mission)


@admin.action(description=_("Exporter en CSV"), permissions=["export_applications"])
def export_csv(
    modeladmin: ApplicationAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponseBase:
    return export(request, queryset, ExportLog.Format.CSV)


@admin.action(description=_("Exporter en XLSX"), permissions=["export_applications"])
def export_xlsx(
    modeladmin: ApplicationAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponseBase:
    return export(request, queryset, ExportLog.Format.XLSX)


@admin.action(description=_("Exporter les documents (ZIP)"), permissions=["export_applications"])
def export_zip(
    modeladmin: ApplicationAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponseBase:
    return export(request, queryset, ExportLog.Format.ZIP)


@admin.action(
    description=_("Dossier PDF des candidatures sélectionnées"), permissions=["export_applications"]
)
def export_dossier(
    modeladmin: ApplicationAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponseBase | None:
    """A few applications' dossier, built at once; a shortlist's big one is built in the
    background from its coordination page."""
    if queryset.count() > settings.DOSSIER_SYNC_MAX:
        modeladmin.message_user(
            request,
            _(
                "Le dossier PDF se prépare ici pour %(count)s candidatures au plus. Pour une "
                "liste plus longue, ouvrez la page de coordination de la mission : le dossier "
                "y est préparé en arrière-plan et un e-mail vous prévient."
            )
            % {"count": settings.DOSSIER_SYNC_MAX},
            messages.WARNING,
        )
        return None
    return export(request, queryset, ExportLog.Format.DOSSIER)


ApplicationAdmin.actions = (
    *ApplicationAdmin.actions,
    export_csv,
    export_xlsx,
    export_zip,
    export_dossier,
)


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin[ExportLog]):
    """Every export of candidates' data: who, which mission, which format, how many rows, when."""

    list_display = ("created_at", "user", "mission", "format", "language", "rows")
    list_filter = ("format", ("mission", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "mission")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
